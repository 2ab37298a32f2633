import { barOriginMs, intervalMs, type CandleColumns, type Interval } from '../market/schema';

/**
 * Why row i is not a valid kline, or null. The rules (Binance's own invariants): finite values,
 * positive prices, high >= max(open, close), low <= min(open, close), non-negative volumes and
 * trade count, taker-buy volume <= volume, close_time > open_time, open_time aligned to the interval (weeks open on Mondays).
 */
export function klineRejectReason(c: CandleColumns, i: number, interval: Interval, origin = barOriginMs(interval), stepMs = intervalMs(interval)): string | null {
  const open = c.open[i]!, high = c.high[i]!, low = c.low[i]!, close = c.close[i]!, volume = c.volume[i]!;
  const openTime = c.openTime[i]!, closeTime = c.closeTime[i]!;
  const tb = c.takerBuyBaseVolume[i]!, tq = c.takerBuyQuoteVolume[i]!, qv = c.quoteVolume[i]!, trades = c.trades[i]!;
  // One sum is non-finite when any term is (NaN or ±Inf), which keeps the common case to one test.
  if (!Number.isFinite(open + high + low + close + volume + openTime + closeTime + tb + tq + qv + trades)) return 'non-finite value';
  if (open <= 0 || high <= 0 || low <= 0 || close <= 0) return `non-positive price: open ${open}, high ${high}, low ${low}, close ${close}`;
  if (high < Math.max(open, close)) return `high ${high} < max(open, close) ${Math.max(open, close)}`;
  if (low > Math.min(open, close)) return `low ${low} > min(open, close) ${Math.min(open, close)}`;
  if (volume < 0 || qv < 0 || trades < 0 || tb < 0 || tq < 0) return 'negative volume or trade count';
  if (tb > volume * (1 + 1e-9)) return `taker_buy_base_volume ${tb} > volume ${volume}`;
  if (closeTime <= openTime) return `close_time ${closeTime} <= open_time ${openTime}`;
  if ((openTime - origin) % stepMs !== 0) return `open_time ${openTime} not aligned to ${interval} bars`;
  return null;
}
