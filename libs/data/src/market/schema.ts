import { z } from 'zod';

/** Binance kline intervals (the spot and futures APIs accept the same set). */
export const INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w'] as const;
export type Interval = (typeof INTERVALS)[number];

const MINUTE = 60_000;
const INTERVAL_MS: Record<Exclude<Interval, never>, number> = {
  '1m': MINUTE, '3m': 3 * MINUTE, '5m': 5 * MINUTE, '15m': 15 * MINUTE, '30m': 30 * MINUTE,
  '1h': 60 * MINUTE, '2h': 120 * MINUTE, '4h': 240 * MINUTE, '6h': 360 * MINUTE, '8h': 480 * MINUTE,
  '12h': 720 * MINUTE, '1d': 1440 * MINUTE, '3d': 3 * 1440 * MINUTE, '1w': 7 * 1440 * MINUTE,
};

/** Length of one bar in milliseconds. */
export function intervalMs(interval: Interval): number {
  return INTERVAL_MS[interval];
}

/** Binance weekly bars open on Monday 00:00 UTC; 1970-01-01 (epoch 0) was a Thursday, so they sit 4 days off epoch multiples. */
const WEEK_ORIGIN_MS = 4 * 86_400_000;

/** The instant bars of `interval` are counted from: epoch 0, except Monday-aligned weeks. */
export function barOriginMs(interval: Interval): number {
  return interval === '1w' ? WEEK_ORIGIN_MS : 0;
}

/** True when `openTime` (ms) is the start of a bar of `interval`. */
export function isAlignedOpenTime(openTime: number, interval: Interval): boolean {
  return (openTime - barOriginMs(interval)) % intervalMs(interval) === 0;
}

/** The open time of the bar of `interval` that contains `time`. */
export function alignOpenTime(time: number, interval: Interval): number {
  const origin = barOriginMs(interval);
  const step = intervalMs(interval);
  return origin + Math.floor((time - origin) / step) * step;
}

/** Binance symbols: upper-case letters and digits, e.g. BTCUSDT. Anything else (`../x`) is rejected. */
export const SymbolSchema = z
  .string()
  .regex(/^[A-Z0-9]{2,20}$/, 'symbol must be 2-20 upper-case letters or digits, e.g. BTCUSDT');
export const IntervalSchema = z.enum(INTERVALS, { error: (i) => `interval must be one of ${INTERVALS.join(', ')}; got ${JSON.stringify(i.input)}` });

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const nonNegative = finite.refine((v) => v >= 0, 'must be >= 0');

/**
 * One kline with every field of Binance's kline array, in order:
 * [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore].
 * Times are epoch milliseconds (UTC).
 */
export const KlineSchema = z
  .object({
    openTime: z.number().int().nonnegative(),
    open: finite.refine((v) => v > 0, 'must be > 0'),
    high: finite.refine((v) => v > 0, 'must be > 0'),
    low: finite.refine((v) => v > 0, 'must be > 0'),
    close: finite.refine((v) => v > 0, 'must be > 0'),
    volume: nonNegative,
    closeTime: z.number().int().nonnegative(),
    quoteVolume: nonNegative,
    trades: z.number().int().nonnegative(),
    takerBuyBaseVolume: nonNegative,
    takerBuyQuoteVolume: nonNegative,
  })
  .superRefine((k, ctx) => {
    if (k.high < Math.max(k.open, k.close)) ctx.addIssue({ code: 'custom', path: ['high'], message: `high ${k.high} < max(open, close) ${Math.max(k.open, k.close)}` });
    if (k.low > Math.min(k.open, k.close)) ctx.addIssue({ code: 'custom', path: ['low'], message: `low ${k.low} > min(open, close) ${Math.min(k.open, k.close)}` });
    if (k.closeTime <= k.openTime) ctx.addIssue({ code: 'custom', path: ['closeTime'], message: `closeTime ${k.closeTime} <= openTime ${k.openTime}` });
    if (k.takerBuyBaseVolume > k.volume * (1 + 1e-9)) ctx.addIssue({ code: 'custom', path: ['takerBuyBaseVolume'], message: `takerBuyBaseVolume ${k.takerBuyBaseVolume} > volume ${k.volume}` });
  });
export type Kline = z.infer<typeof KlineSchema>;

/** One Binance aggregated trade (GET /api/v3/aggTrades): a, p, q, f, l, T, m. */
export const AggTradeSchema = z.object({
  id: z.number().int().nonnegative(),
  price: finite.refine((v) => v > 0, 'must be > 0'),
  quantity: nonNegative,
  firstTradeId: z.number().int().nonnegative(),
  lastTradeId: z.number().int().nonnegative(),
  time: z.number().int().nonnegative(),
  isBuyerMaker: z.boolean(),
});
export type AggTrade = z.infer<typeof AggTradeSchema>;

/** Aggregated-trade flow summarised per bar (what features consume). */
export const TradeFlowBarSchema = z.object({
  openTime: z.number().int().nonnegative(),
  buyVolume: nonNegative,
  sellVolume: nonNegative,
  buyTrades: z.number().int().nonnegative(),
  sellTrades: z.number().int().nonnegative(),
  /** Volume of trades at or above the large-trade threshold. */
  largeTradeVolume: nonNegative,
});
export type TradeFlowBar = z.infer<typeof TradeFlowBarSchema>;

/** Futures funding rate (GET /fapi/v1/fundingRate). */
export const FundingRateSchema = z.object({
  fundingTime: z.number().int().nonnegative(),
  fundingRate: finite,
  markPrice: finite.refine((v) => v > 0, 'must be > 0').optional(),
});
export type FundingRate = z.infer<typeof FundingRateSchema>;

/** Futures open interest history (GET /futures/data/openInterestHist). */
export const OpenInterestSchema = z.object({
  time: z.number().int().nonnegative(),
  sumOpenInterest: nonNegative,
  sumOpenInterestValue: nonNegative,
});
export type OpenInterest = z.infer<typeof OpenInterestSchema>;

/** Candle columns: the hot-path representation (one typed array per Binance kline field). */
export interface CandleColumns {
  readonly length: number;
  readonly openTime: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly closeTime: Float64Array;
  readonly quoteVolume: Float64Array;
  readonly trades: Float64Array;
  readonly takerBuyBaseVolume: Float64Array;
  readonly takerBuyQuoteVolume: Float64Array;
}

export const CANDLE_FIELDS = [
  'openTime', 'open', 'high', 'low', 'close', 'volume', 'closeTime',
  'quoteVolume', 'trades', 'takerBuyBaseVolume', 'takerBuyQuoteVolume',
] as const satisfies readonly (keyof Kline)[];

/** Allocates empty candle columns of `length` rows. */
export function allocateCandles(length: number): CandleColumns {
  const cols: Record<string, Float64Array | number> = { length };
  for (const f of CANDLE_FIELDS) cols[f] = new Float64Array(length);
  return cols as unknown as CandleColumns;
}

/** Converts validated klines to columns. */
export function klinesToColumns(klines: readonly Kline[]): CandleColumns {
  const cols = allocateCandles(klines.length);
  klines.forEach((k, i) => {
    for (const f of CANDLE_FIELDS) cols[f][i] = k[f];
  });
  return cols;
}

/** Trade-flow columns, aligned to candles by openTime. */
export interface TradeFlowColumns {
  readonly length: number;
  readonly openTime: Float64Array;
  readonly buyVolume: Float64Array;
  readonly sellVolume: Float64Array;
  readonly buyTrades: Float64Array;
  readonly sellTrades: Float64Array;
  readonly largeTradeVolume: Float64Array;
}

export const TRADE_FLOW_FIELDS = ['openTime', 'buyVolume', 'sellVolume', 'buyTrades', 'sellTrades', 'largeTradeVolume'] as const satisfies readonly (keyof TradeFlowBar)[];

/** Allocates empty trade-flow columns of `length` rows. */
export function allocateTradeFlow(length: number): TradeFlowColumns {
  const cols: Record<string, Float64Array | number> = { length };
  for (const f of TRADE_FLOW_FIELDS) cols[f] = new Float64Array(length);
  return cols as unknown as TradeFlowColumns;
}

/** Everything one collection produced for one symbol and interval. */
export interface MarketBatch {
  symbol: string;
  interval: Interval;
  candles: CandleColumns;
  tradeFlow: TradeFlowColumns;
  funding: FundingRate[];
  openInterest: OpenInterest[];
}
