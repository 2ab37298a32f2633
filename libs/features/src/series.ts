import type { Interval } from '@ares/data';

/**
 * The columns a feature can ask for. Candle fields come from the kline; the rest are aligned to
 * the bars as of each bar's close (trade flow by open time; funding and open interest: the last
 * value published at or before the bar's close; `refClose`: the reference symbol's close).
 */
export const INPUT_COLUMNS = [
  'openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'trades',
  'takerBuyBaseVolume', 'takerBuyQuoteVolume',
  'buyVolume', 'sellVolume', 'buyTrades', 'sellTrades', 'largeTradeVolume',
  'fundingRate', 'openInterest', 'openInterestValue',
  'refClose',
] as const;
export type InputColumn = (typeof INPUT_COLUMNS)[number];

/** Bars of one symbol and interval, as columns; absent columns are undefined. */
export interface FeatureInput {
  readonly length: number;
  readonly interval: Interval;
  readonly columns: Partial<Record<InputColumn, Float64Array>>;
}
