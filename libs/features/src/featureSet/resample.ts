import { alignOpenTime, intervalMs, type Interval } from '@ares/data';
import type { FeatureInput, InputColumn } from '../series';

/** Higher-timeframe bars built from base bars, and for each base bar the last closed one. */
export interface Resampled {
  input: FeatureInput;
  /**
   * For base bar i: index of the last higher-timeframe bar whose close time is <= base bar i's
   * close time (that bar is closed when bar i closes), or -1 when none is.
   */
  asOf: Int32Array;
}

const SUM: readonly InputColumn[] = ['volume', 'quoteVolume', 'trades', 'takerBuyBaseVolume', 'takerBuyQuoteVolume', 'buyVolume', 'sellVolume', 'buyTrades', 'sellTrades', 'largeTradeVolume'];
const LAST: readonly InputColumn[] = ['close', 'fundingRate', 'openInterest', 'openInterestValue', 'refClose'];

/**
 * Resamples base bars to `interval` (open: first, high: max, low: min, close and as-of series:
 * last, volumes and counts: sum). A higher-timeframe bar closes at its bucket's end; the last bucket
 * may be incomplete, and then it is never joined (its close is after every base bar's close).
 */
export function resample(base: FeatureInput, interval: Interval): Resampled {
  const step = intervalMs(interval);
  if (step <= intervalMs(base.interval)) throw new Error(`timeframe ${interval} is not above the base interval ${base.interval}`);
  const openTime = base.columns.openTime!;
  const baseClose = base.columns.closeTime!;
  const n = base.length;
  const bucketOf = new Float64Array(n);
  let buckets = 0;
  for (let i = 0; i < n; i++) {
    bucketOf[i] = alignOpenTime(openTime[i]!, interval);
    if (i === 0 || bucketOf[i] !== bucketOf[i - 1]) buckets++;
  }
  const cols: Partial<Record<InputColumn, Float64Array>> = {};
  const present = (Object.keys(base.columns) as InputColumn[]).filter((k) => base.columns[k]);
  for (const k of present) cols[k] = new Float64Array(buckets);
  let b = -1;
  for (let i = 0; i < n; i++) {
    const fresh = i === 0 || bucketOf[i] !== bucketOf[i - 1];
    if (fresh) b++;
    for (const k of present) {
      const v = base.columns[k]![i]!;
      const out = cols[k]!;
      if (k === 'openTime') out[b] = bucketOf[i]!;
      else if (k === 'closeTime') out[b] = bucketOf[i]! + step - 1;
      else if (k === 'open') { if (fresh) out[b] = v; }
      else if (k === 'high') out[b] = fresh ? v : Math.max(out[b]!, v);
      else if (k === 'low') out[b] = fresh ? v : Math.min(out[b]!, v);
      else if (SUM.includes(k)) out[b] = fresh ? v : out[b]! + v;
      else if (LAST.includes(k)) out[b] = v;
    }
  }
  const asOf = new Int32Array(n);
  const htfClose = cols.closeTime!;
  let j = -1;
  for (let i = 0; i < n; i++) {
    while (j + 1 < buckets && htfClose[j + 1]! <= baseClose[i]!) j++;
    asOf[i] = j;
  }
  return { input: { length: buckets, interval, columns: cols }, asOf };
}
