import { generateSyntheticMarket, type Interval } from '@ares/data';
import type { FeatureInput } from '../series';

/**
 * A seeded synthetic market with every input column a feature can ask for: candles, trade flow,
 * funding and open interest as of each bar's close, and a second market as the reference symbol.
 */
export function syntheticFeatureInput(bars: number, interval: Interval = '1h', seed = 5): FeatureInput {
  const m = generateSyntheticMarket({ bars, interval, seed, signal: 0.5 });
  const ref = generateSyntheticMarket({ bars, interval, seed: seed + 1, signal: 0.5 });
  const c = m.candles;
  const asOf = (times: number[], values: number[]) => {
    const out = new Float64Array(bars).fill(Number.NaN);
    let j = -1;
    for (let i = 0; i < bars; i++) {
      while (j + 1 < times.length && times[j + 1]! <= c.closeTime[i]!) j++;
      if (j >= 0) out[i] = values[j]!;
    }
    return out;
  };
  return {
    length: bars,
    interval,
    columns: {
      openTime: c.openTime, closeTime: c.closeTime, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume,
      quoteVolume: c.quoteVolume, trades: c.trades, takerBuyBaseVolume: c.takerBuyBaseVolume, takerBuyQuoteVolume: c.takerBuyQuoteVolume,
      buyVolume: m.tradeFlow.buyVolume, sellVolume: m.tradeFlow.sellVolume, buyTrades: m.tradeFlow.buyTrades, sellTrades: m.tradeFlow.sellTrades, largeTradeVolume: m.tradeFlow.largeTradeVolume,
      fundingRate: asOf(m.funding.map((f) => f.fundingTime), m.funding.map((f) => f.fundingRate)),
      openInterest: asOf(m.openInterest.map((o) => o.time), m.openInterest.map((o) => o.sumOpenInterest)),
      openInterestValue: asOf(m.openInterest.map((o) => o.time), m.openInterest.map((o) => o.sumOpenInterestValue)),
      refClose: ref.candles.close,
    },
  };
}
