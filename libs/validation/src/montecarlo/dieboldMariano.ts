import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { InvalidStatisticsInputError } from '../errors';
import { requireFiniteSeries, requireInteger, requireSameLength } from './checks';
import { studentTCdf } from './studentT';

/** Options of `dieboldMariano`. */
export interface DieboldMarianoOptions {
  /** Autocovariance lags of the Newey–West variance (h − 1 for h-step forecasts), 0 … n − 1. */
  lag: number;
  /** Harvey, Leybourne & Newbold (1997): scale the statistic and use Student's t with n − 1 degrees of freedom. @default false */
  smallSampleCorrection?: boolean;
}

/** Result of `dieboldMariano`. */
export interface DieboldMarianoResult {
  /** DM (or HLN's DM*) statistic: mean(d) / sqrt(V̂ / n) with d = lossA − lossB. */
  statistic: number;
  /** One-sided p-value of H0: E[lossA] ≥ E[lossB] against A having the lower expected loss. */
  pValue: number;
  /** mean(lossA − lossB). */
  meanDifference: number;
  /** Newey–West long-run variance V̂ of d. */
  longRunVariance: number;
  lag: number;
  n: number;
}

/**
 * Newey–West (1987) long-run variance: γ̂₀ + 2·Σ_{k=1}^{lag} (1 − k/(lag + 1))·γ̂_k with
 * γ̂_k = (1/n)·Σ_{t=k}^{n−1} (d_t − d̄)(d_{t−k} − d̄) (Bartlett weights keep it non-negative).
 */
export function neweyWestVariance(d: ArrayLike<number>, lag: number): number {
  const n = d.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += d[i]!;
  mean /= n;
  let v = 0;
  for (let k = 0; k <= lag; k++) {
    let g = 0;
    for (let t = k; t < n; t++) g += (d[t]! - mean) * (d[t - k]! - mean);
    g /= n;
    v += k === 0 ? g : 2 * (1 - k / (lag + 1)) * g;
  }
  return v;
}

/**
 * Diebold & Mariano (1995) test of equal predictive accuracy on the loss differential
 * d_t = lossA_t − lossB_t: DM = d̄ / sqrt(V̂/n), V̂ the Newey–West variance with `lag` lags,
 * asymptotically N(0, 1). With `smallSampleCorrection`, DM* = DM·sqrt((n + 1 − 2h + h(h − 1)/n)/n)
 * with h = lag + 1, referred to t(n − 1) (Harvey, Leybourne & Newbold 1997). One-sided: p = F(DM),
 * small when A's losses are lower. Throws when d has zero variance (identical losses included):
 * the statistic is then undefined.
 */
export function dieboldMariano(lossA: ArrayLike<number>, lossB: ArrayLike<number>, o: DieboldMarianoOptions): DieboldMarianoResult {
  const what = 'dieboldMariano';
  requireSameLength(what, 'lossA', lossA, 'lossB', lossB);
  requireFiniteSeries(what, 'lossA', lossA, 2);
  requireFiniteSeries(what, 'lossB', lossB, 2);
  const n = lossA.length;
  const lag = requireInteger(what, 'lag', o.lag, 0);
  if (lag >= n) throw new InvalidStatisticsInputError(`${what}: lag ${lag} must be below the number of losses ${n}`);
  const d = new Float64Array(n);
  let meanDifference = 0;
  for (let i = 0; i < n; i++) {
    d[i] = lossA[i]! - lossB[i]!;
    meanDifference += d[i]!;
  }
  meanDifference /= n;
  const longRunVariance = neweyWestVariance(d, lag);
  if (!(longRunVariance > 0)) throw new InvalidStatisticsInputError(`${what}: the loss differential lossA − lossB has long-run variance ${longRunVariance} (identical losses, or a constant difference ${d[0]}?); the statistic is undefined`);
  const dm = meanDifference / Math.sqrt(longRunVariance / n);
  if (!o.smallSampleCorrection) return { statistic: dm, pValue: normalCdf(dm, 0, 1), meanDifference, longRunVariance, lag, n };
  const h = lag + 1;
  const statistic = dm * Math.sqrt((n + 1 - 2 * h + (h * (h - 1)) / n) / n);
  return { statistic, pValue: studentTCdf(statistic, n - 1), meanDifference, longRunVariance, lag, n };
}
