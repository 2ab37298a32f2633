/**
 * Summaries of a simulated distribution. Quantiles use linear interpolation between order
 * statistics, numpy.quantile's default (Hyndman & Fan type 7): for sorted x of length n,
 * Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]) with h = (n − 1)·p.
 */

/** Quantiles reported for every simulated distribution, in percent. */
export const SUMMARY_PERCENTS = [1, 5, 25, 50, 75, 95, 99] as const;

/** A distribution in a JSON-serialisable form: moments, extremes and the quantiles of SUMMARY_PERCENTS. */
export interface DistributionSummary {
  mean: number;
  /** Sample standard deviation (ddof 1); 0 for one value. */
  std: number;
  min: number;
  max: number;
  p1: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
}

/** Quantile `p` in [0, 1] of ascending `sorted`, numpy's linear interpolation. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Ascending copy. */
export function sortedCopy(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

/** Summary of ascending `sorted` (non-empty). */
export function summarise(sorted: Float64Array): DistributionSummary {
  const n = sorted.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i]! - mean) ** 2;
  const q = (percent: number): number => quantileSorted(sorted, percent / 100);
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min: sorted[0]!, max: sorted[n - 1]!, p1: q(1), p5: q(5), p25: q(25), p50: q(50), p75: q(75), p95: q(95), p99: q(99) };
}

/** Historical VaR and CVaR (expected shortfall) at confidence `level`, as positive losses. */
export interface TailRisk {
  /** −Q(1 − level): the loss exceeded with probability 1 − level. */
  valueAtRisk: number;
  /** −mean of the outcomes at or below Q(1 − level). */
  conditionalValueAtRisk: number;
}

/**
 * Historical tail risk of ascending `sorted` outcomes (returns, gains positive): VaR_α = −Q(1 − α)
 * with Q numpy's linear quantile, CVaR_α = −mean{x : x ≤ Q(1 − α)} (never empty: Q ≥ the minimum).
 * Both are losses, so positive when the tail is negative.
 */
export function tailRisk(sorted: Float64Array, level: number): TailRisk {
  const q = quantileSorted(sorted, 1 - level);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < sorted.length && sorted[i]! <= q; i++) {
    sum += sorted[i]!;
    count++;
  }
  return { valueAtRisk: asLoss(q), conditionalValueAtRisk: asLoss(sum / count) };
}

/** −x, with a zero outcome a zero loss (+0, not −0, which JSON could not round-trip). */
function asLoss(x: number): number {
  return x === 0 ? 0 : -x;
}

/**
 * At most `max` values of ascending `sorted` for a histogram: all of them when they fit, else the
 * order statistics nearest the plotting positions (i + ½)/max, so the shape is kept.
 */
export function thinSorted(sorted: Float64Array, max: number): number[] {
  if (sorted.length <= max) return Array.from(sorted);
  const out = new Array<number>(max);
  for (let i = 0; i < max; i++) out[i] = sorted[Math.floor(((i + 0.5) / max) * sorted.length)]!;
  return out;
}
