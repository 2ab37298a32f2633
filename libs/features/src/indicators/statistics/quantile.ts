import { z } from 'zod';
import { firstValid, nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { paramTag } from '../../featureSet/outputs';
import { periodParam } from '../../featureSet/params';
import { lowerBound, sortedQuantile, sortedReplace } from './sortedWindow';
import { logReturns } from './returns';

/**
 * Rolling quantiles over n values with linear interpolation between order statistics, as pandas'
 * `rolling(n).quantile(q, interpolation='linear')`. The window is kept sorted (sortedWindow.ts);
 * several quantiles share it.
 */
export function rollingQuantiles(x: Float64Array, n: number, qs: readonly number[]): Float64Array[] {
  return qs.length === 0 ? [] : scanSorted(x, n, qs.length, (sorted, _v, i, outs) => {
    for (let k = 0; k < qs.length; k++) outs[k]![i] = sortedQuantile(sorted, qs[k]!);
  });
}

/** One rolling quantile (see {@link rollingQuantiles}). */
export function rollingQuantile(x: Float64Array, n: number, q: number): Float64Array {
  return rollingQuantiles(x, n, [q])[0]!;
}

/**
 * Percentile rank of the latest value within its last n values, ties averaged, divided by n:
 * pandas' `rolling(n).rank(pct=True)` (method 'average'). In (0, 1]: 1 = highest of the window.
 */
export function rollingPercentRank(x: Float64Array, n: number): Float64Array {
  return scanSorted(x, n, 1, (sorted, at, i, outs) => {
    // Ties around v's slot: values < v lie before the first equal, so rank = below + (equal + 1) / 2.
    const v = sorted[at]!;
    let lo = at;
    let hi = at;
    while (lo > 0 && sorted[lo - 1] === v) lo--;
    while (hi < n - 1 && sorted[hi + 1] === v) hi++;
    outs[0]![i] = (lo + (hi - lo + 2) / 2) / n;
  })[0]!;
}

/**
 * Slides a sorted n-window over x (from its first finite value); at each full window `emit` gets
 * the sorted values, the slot of the latest value and the bar index, and fills `count` outputs.
 */
function scanSorted(x: Float64Array, n: number, count: number, emit: (sorted: Float64Array, latestAt: number, i: number, outs: Float64Array[]) => void): Float64Array[] {
  const outs = Array.from({ length: count }, () => nans(x.length));
  const start = firstValid(x);
  if (x.length - start < n) return outs;
  const sorted = Float64Array.from(x.subarray(start, start + n)).sort();
  emit(sorted, lowerBound(sorted, x[start + n - 1]!), start + n - 1, outs);
  for (let i = start + n; i < x.length; i++) emit(sorted, sortedReplace(sorted, x[i - n]!, x[i]!), i, outs);
  return outs;
}

/** A quantile as a column-name fragment: 0.1 -> "10", 0.025 -> "2p5". */
const pct = (q: number): string => paramTag(Number((q * 100).toPrecision(12)), 'keep');

export const returnQuantilesFeature = defineFeature({
  name: 'return_quantiles',
  group: 'statistics',
  description: 'Rolling `lower` and `upper` quantiles of 1-bar log returns over `period` bars, linear interpolation (pandas rolling quantile).',
  params: z
    .strictObject({
      period: periodParam(2, 50),
      lower: z.number().gt(0).lt(1).default(0.1),
      upper: z.number().gt(0).lt(1).default(0.9),
    })
    .superRefine((p, ctx) => {
      if (p.lower >= p.upper) ctx.addIssue({ code: 'custom', path: ['lower'], message: `'lower' (${p.lower}) must be below 'upper' (${p.upper})` });
      else if (pct(p.lower) === pct(p.upper)) ctx.addIssue({ code: 'custom', path: ['lower'], message: `'lower' (${p.lower}) and 'upper' (${p.upper}) give the same column name` });
    }),
  requires: ['close'],
  outputs: (p) => [`ret_q${pct(p.lower)}_${p.period}`, `ret_q${pct(p.upper)}_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => rollingQuantiles(logReturns(col(input, 'close'), 1), p.period, [p.lower, p.upper]),
});

export const closeRankFeature = defineFeature({
  name: 'close_rank',
  group: 'statistics',
  description: 'Percentile rank of the close within its last `period` closes, ties averaged, in (0, 1] (pandas rolling rank, pct=True).',
  params: z.strictObject({ period: periodParam(2, 50) }),
  requires: ['close'],
  outputs: (p) => [`close_rank_${p.period}`],
  warmup: (p) => p.period - 1,
  compute: (input, p) => [rollingPercentRank(col(input, 'close'), p.period)],
});
