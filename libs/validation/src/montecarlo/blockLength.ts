import { InvalidStatisticsInputError } from '../errors';
import { requireFiniteSeries } from './checks';

/** Automatic block lengths of one series: mean block of the stationary bootstrap and block of the circular bootstrap. */
export interface OptimalBlockLength {
  stationary: number;
  circular: number;
}

/** Tuning constants of the automatic block length for a series of `n` observations (arch's rules, after Patton's MATLAB code). */
function blockLengthRules(n: number): { kn: number; mMax: number; bMax: number; critical: number } {
  const kn = Math.max(5, Math.trunc(Math.log10(n)));
  return {
    // K_N: how many consecutive insignificant autocorrelations end the search for m
    kn,
    mMax: Math.ceil(Math.sqrt(n)) + kn,
    bMax: Math.ceil(Math.min(3 * Math.sqrt(n), n / 3)),
    // the conservative band ±2·sqrt(log10(n)/n) of Politis & White (2004, §3.2, c = 2)
    critical: 2 * Math.sqrt(Math.log10(n) / n),
  };
}

function dot(e: Float64Array, from: number, other: number, length: number): number {
  let s = 0;
  for (let t = 0; t < length; t++) s += e[from + t]! * e[other + t]!;
  return s;
}

function smallestSeries(): number {
  let n = 2;
  while (n <= blockLengthRules(n).mMax + 1) n++;
  return n;
}

/**
 * Smallest series `optimalBlockLength` accepts (11): n must exceed m_max + 1 so that every lag up
 * to m_max has observations on both sides (arch divides by zero below that).
 */
export const MIN_BLOCK_LENGTH_OBSERVATIONS = smallestSeries();

/**
 * Politis & White (2004) automatic block length, with the correction of Patton, Politis & White
 * (2009), computed exactly as `arch.bootstrap.optimal_block_length` (arch 8.0): autocovariances
 * over the full sample divided by n; m̂ = 2·(the first lag starting K_N = max(5, ⌊log10 n⌋)
 * consecutive autocorrelations inside ±2·sqrt(log10 n / n)), at least 2, at most
 * m_max = ⌈√n⌉ + K_N (m_max when no such run exists); the flat-top window λ(k/m) = 1 for k/m ≤ ½
 * else 2(1 − k/m); b = (2Ĝ²/D̂)^{1/3}·n^{1/3} with D̂ = 2σ̂⁴ (stationary) or 4/3·σ̂⁴ (circular),
 * capped at b_max = ⌈min(3√n, n/3)⌉. Arch's quirk is kept: the autocorrelation at lag i divides the
 * lag-i cross product by the sums of squares of the lag-(i + 1) overlaps.
 *
 * The lengths are real numbers (not rounded) and may be below 1 for a series without dependence.
 */
export function optimalBlockLength(x: ArrayLike<number>): OptimalBlockLength {
  const what = 'optimalBlockLength';
  requireFiniteSeries(what, 'x', x, MIN_BLOCK_LENGTH_OBSERVATIONS);
  const n = x.length;
  if (isConstant(x)) throw new InvalidStatisticsInputError(`${what}: x is constant (all ${n} values equal ${x[0]}); the block length is undefined`);
  const { kn, mMax, bMax, critical } = blockLengthRules(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  const eps = new Float64Array(n);
  for (let i = 0; i < n; i++) eps[i] = x[i]! - mean;

  const acv = new Float64Array(mMax + 1);
  const absAcorr = new Float64Array(mMax + 1);
  let optM = -1;
  for (let i = 0; i <= mMax; i++) {
    const v1 = dot(eps, i + 1, i + 1, n - i - 1);
    const v2 = dot(eps, 0, 0, n - i - 1);
    const cross = dot(eps, i, 0, n - i);
    acv[i] = cross / n;
    absAcorr[i] = Math.abs(cross) / Math.sqrt(v1 * v2);
    if (i >= kn && optM < 0 && allBelow(absAcorr, i - kn, i, critical)) optM = i - kn;
  }
  const m = Math.min(optM >= 0 ? 2 * Math.max(optM, 1) : mMax, mMax);

  let g = 0;
  let longRunVariance = acv[0]!;
  for (let k = 1; k <= m; k++) {
    const lambda = k / m <= 1 / 2 ? 1 : 2 * (1 - k / m);
    g += 2 * lambda * k * acv[k]!;
    longRunVariance += 2 * lambda * acv[k]!;
  }
  const dStationary = 2 * longRunVariance ** 2;
  const dCircular = (4 / 3) * longRunVariance ** 2;
  const cubeRootN = n ** (1 / 3);
  return {
    stationary: Math.min(((2 * g ** 2) / dStationary) ** (1 / 3) * cubeRootN, bMax),
    circular: Math.min(((2 * g ** 2) / dCircular) ** (1 / 3) * cubeRootN, bMax),
  };
}

/**
 * Mean block length for a stationary bootstrap of `x`: the automatic stationary length, at least 1
 * (below 1 the scheme is the i.i.d. bootstrap anyway); 1 for a constant series, which has no
 * dependence to keep (every resample is the series itself).
 */
export function automaticBlockLength(x: ArrayLike<number>): number {
  requireFiniteSeries('automaticBlockLength', 'x', x, MIN_BLOCK_LENGTH_OBSERVATIONS);
  return isConstant(x) ? 1 : Math.max(1, optimalBlockLength(x).stationary);
}

function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

function allBelow(v: Float64Array, from: number, to: number, bound: number): boolean {
  for (let j = from; j < to; j++) if (!(v[j]! < bound)) return false;
  return true;
}
