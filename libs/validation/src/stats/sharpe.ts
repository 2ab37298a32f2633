import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { InvalidStatisticsInputError } from '../errors';

/**
 * Sharpe-ratio statistics of Bailey & López de Prado: the standard error of an estimated Sharpe
 * ratio under non-normal returns (Mertens 2002 / Lo 2002), the Probabilistic Sharpe Ratio ("The
 * Sharpe Ratio Efficient Frontier", 2012) and the Deflated Sharpe Ratio ("The Deflated Sharpe
 * Ratio", 2014). Every Sharpe ratio here is PER PERIOD (not annualised) and T counts periods.
 * Kurtosis is the raw (non-excess) fourth standardised moment: 3 for a normal distribution.
 */

/** Euler–Mascheroni constant (the expected-maximum approximation's weight). */
const EULER_GAMMA = 0.5772156649015329;

/** Population (biased) skewness and raw kurtosis, as scipy.stats.skew / kurtosis(fisher=False) with bias=True. */
export function moments(values: ArrayLike<number>): { mean: number; std: number; skew: number; kurtosis: number; n: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const std = n > 1 ? Math.sqrt((m2 * n) / (n - 1)) : Number.NaN;
  return { mean, std, skew: m2 > 0 ? m3 / m2 ** 1.5 : 0, kurtosis: m2 > 0 ? m4 / (m2 * m2) : 3, n };
}

/** Shape of a return sample the Sharpe statistics need. */
export interface SharpeSample {
  /** Per-period Sharpe ratio. */
  sharpe: number;
  /** Number of periods (observations). */
  periods: number;
  /** @default 0 (normal) */
  skew?: number;
  /** Raw kurtosis. @default 3 (normal) */
  kurtosis?: number;
}

function varianceFactor(s: SharpeSample): number {
  const skew = s.skew ?? 0;
  const kurt = s.kurtosis ?? 3;
  return 1 - skew * s.sharpe + ((kurt - 1) / 4) * s.sharpe * s.sharpe;
}

function checkPeriods(s: SharpeSample, what: string): void {
  if (!(s.periods >= 2)) throw new InvalidStatisticsInputError(`${what}: periods must be >= 2, got ${s.periods}`);
}

/** Standard error of a per-period Sharpe estimate: sqrt((1 − γ3·SR + (γ4 − 1)/4·SR²) / (T − 1)). */
export function sharpeStandardError(s: SharpeSample): number {
  checkPeriods(s, 'sharpeStandardError');
  return Math.sqrt(Math.max(0, varianceFactor(s)) / (s.periods - 1));
}

/** PSR: the probability that the true Sharpe exceeds `benchmark` (per period) given the sample. */
export function probabilisticSharpeRatio(s: SharpeSample, benchmark = 0): number {
  checkPeriods(s, 'probabilisticSharpeRatio');
  const f = varianceFactor(s);
  if (!(f > 0)) return s.sharpe > benchmark ? 1 : 0;
  return normalCdf(((s.sharpe - benchmark) * Math.sqrt(s.periods - 1)) / Math.sqrt(f), 0, 1);
}

/** E[max of N independent standard normals], the extreme-value approximation of Bailey & López de Prado (2014, eq. 6 with V = 1). */
export function expectedMaxStandardNormal(trials: number): number {
  if (!(Number.isInteger(trials) && trials >= 1)) throw new InvalidStatisticsInputError(`expectedMaxStandardNormal: trials must be an integer >= 1, got ${trials}`);
  if (trials === 1) return 0;
  return (1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials, 0, 1) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E), 0, 1);
}

/** The deflated benchmark SR₀ = sqrt(V[SR]) · E[max of N standard normals]: the best Sharpe N skill-less trials would show. */
export function deflatedBenchmark(trials: number, trialSharpeVariance: number): number {
  if (!(trialSharpeVariance >= 0)) throw new InvalidStatisticsInputError(`deflatedBenchmark: trial Sharpe variance must be >= 0, got ${trialSharpeVariance}`);
  return Math.sqrt(trialSharpeVariance) * expectedMaxStandardNormal(trials);
}

/** DSR: PSR of the selected strategy against SR₀ of `trials` trials whose per-period Sharpes have variance `trialSharpeVariance`. */
export function deflatedSharpeRatio(s: SharpeSample, trials: number, trialSharpeVariance: number): { dsr: number; benchmark: number } {
  const benchmark = deflatedBenchmark(trials, trialSharpeVariance);
  return { dsr: probabilisticSharpeRatio(s, benchmark), benchmark };
}
