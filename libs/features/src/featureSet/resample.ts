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

const SUM: ReadonlySet<InputColumn> = new Set<InputColumn>(['volume', 'quoteVolume', 'trades', 'takerBuyBaseVolume', 'takerBuyQuoteVolume', 'buyVolume', 'sellVolume', 'buyTrades', 'sellTrades', 'largeTradeVolume']);

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
  // Bucket of every base bar, and where each bucket starts (one pass; buckets are contiguous).
  const origin = alignOpenTime(0, interval);
  const starts: number[] = [];
  const bucketOpen: number[] = [];
  let prev = Number.NaN;
  for (let i = 0; i < n; i++) {
    const b = origin + Math.floor((openTime[i]! - origin) / step) * step;
    if (b !== prev) {
      starts.push(i);
      bucketOpen.push(b);
      prev = b;
    }
  }
  starts.push(n);
  const buckets = bucketOpen.length;
  const cols: Partial<Record<InputColumn, Float64Array>> = {};
  for (const k of Object.keys(base.columns) as InputColumn[]) {
    const x = base.columns[k];
    if (!x) continue;
    const out = new Float64Array(buckets);
    for (let b = 0; b < buckets; b++) {
      const lo = starts[b]!;
      const hi = starts[b + 1]!;
      if (k === 'openTime') out[b] = bucketOpen[b]!;
      else if (k === 'closeTime') out[b] = bucketOpen[b]! + step - 1;
      else if (k === 'open') out[b] = x[lo]!;
      else if (k === 'high') { let m = x[lo]!; for (let i = lo + 1; i < hi; i++) if (x[i]! > m) m = x[i]!; out[b] = m; }
      else if (k === 'low') { let m = x[lo]!; for (let i = lo + 1; i < hi; i++) if (x[i]! < m) m = x[i]!; out[b] = m; }
      else if (SUM.has(k)) { let sum = 0; for (let i = lo; i < hi; i++) sum += x[i]!; out[b] = sum; }
      else out[b] = x[hi - 1]!; // close and as-of series: the last value
    }
    cols[k] = out;
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
