import { Rng } from '@ares/data';
import { automaticBlockLength, MIN_BLOCK_LENGTH_OBSERVATIONS } from './blockLength';
import { fillStationaryIndices } from './bootstrap';
import { requireAtLeast, requireFiniteSeries, requireInteger, requirePositive, requireSameLength } from './checks';

/** Options of `sharpeDifferenceTest`. */
export interface SharpeDifferenceOptions {
  /** Bootstrap replicates. @default 2000 */
  simulations?: number;
  /** Seed of the bootstrap. */
  seed: number;
  /** Mean block length of the stationary bootstrap (>= 1). @default the larger automaticBlockLength of a and b */
  blockLength?: number;
  /** Scales the reported Sharpe ratios (not the p-value): √periodsPerYear · mean / std. @default 1 (per bar) */
  periodsPerYear?: number;
}

/** Result of `sharpeDifferenceTest`; Sharpe ratios scaled by √periodsPerYear. */
export interface SharpeDifferenceResult {
  sharpeA: number;
  sharpeB: number;
  /** sharpeA − sharpeB. */
  difference: number;
  /** One-sided bootstrap p-value of H0: Sharpe(a) ≤ Sharpe(b). */
  pValue: number;
  /** Standard deviation of the bootstrap differences. */
  standardError: number;
  blockLength: number;
  simulations: number;
}

/** Sharpe ratio mean/std (ddof 1) of x[idx[i]] (of x when idx is omitted); 0 when the std is 0. */
function sharpeOf(x: Float64Array, idx: Int32Array | undefined, shift: number): number {
  const n = idx ? idx.length : x.length;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const d = (idx ? x[idx[i]!]! : x[i]!) - shift;
    sum += d;
    sumSq += d * d;
  }
  const variance = (sumSq - (sum * sum) / n) / (n - 1);
  return variance > 0 ? (sum / n + shift) / Math.sqrt(variance) : 0;
}

function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** The larger automatic block length of the two series (see automaticBlockLength). */
function pairedBlockLength(a: Float64Array, b: Float64Array): number {
  return Math.max(automaticBlockLength(a), automaticBlockLength(b));
}

/**
 * Bootstrap test that challenger `a` has a higher Sharpe ratio than champion `b` on the same bars
 * (Ledoit & Wolf 2008, "Robust performance hypothesis testing with the Sharpe ratio", with the
 * stationary bootstrap of paired rows instead of their studentised circular block bootstrap).
 * Each replicate resamples the same bar indices for both series and gives d* = SR(a*) − SR(b*).
 * The centred (basic) construction approximates the null distribution of d̂ − Δ by d* − d̂, so at
 * the boundary Δ = 0 of H0: Δ ≤ 0,
 *   p = (1 + #{d* − d̂ ≥ d̂}) / (B + 1),
 * the +1's counting the observed sample as one of the draws (Davison & Hinkley 1997, §4.2), so p is
 * never 0. Identical series give d̂ = 0 and every d* = 0, hence p = 1.
 */
export function sharpeDifferenceTest(a: Float64Array, b: Float64Array, o: SharpeDifferenceOptions): SharpeDifferenceResult {
  const what = 'sharpeDifferenceTest';
  requireSameLength(what, 'a', a, 'b', b);
  const minLength = o.blockLength === undefined ? MIN_BLOCK_LENGTH_OBSERVATIONS : 2;
  requireFiniteSeries(what, 'a', a, minLength);
  requireFiniteSeries(what, 'b', b, minLength);
  const simulations = requireInteger(what, 'simulations', o.simulations ?? 2000, 1);
  const seed = requireInteger(what, 'seed', o.seed, Number.MIN_SAFE_INTEGER);
  const scale = Math.sqrt(requirePositive(what, 'periodsPerYear', o.periodsPerYear ?? 1));
  const blockLength = o.blockLength === undefined ? pairedBlockLength(a, b) : requireAtLeast(what, 'blockLength', o.blockLength, 1);

  const shiftA = mean(a);
  const shiftB = mean(b);
  const sharpeA = sharpeOf(a, undefined, shiftA);
  const sharpeB = sharpeOf(b, undefined, shiftB);
  const observed = sharpeA - sharpeB;
  const rng = new Rng(seed);
  const idx = new Int32Array(a.length);
  let atLeast = 0;
  let sum = 0;
  let sumSq = 0;
  for (let s = 0; s < simulations; s++) {
    fillStationaryIndices(idx, blockLength, rng);
    const d = sharpeOf(a, idx, shiftA) - sharpeOf(b, idx, shiftB);
    if (d - observed >= observed) atLeast++;
    sum += d - observed;
    sumSq += (d - observed) ** 2;
  }
  const variance = simulations > 1 ? (sumSq - (sum * sum) / simulations) / (simulations - 1) : 0;
  return {
    sharpeA: sharpeA * scale,
    sharpeB: sharpeB * scale,
    difference: sharpeA * scale - sharpeB * scale,
    pValue: (1 + atLeast) / (simulations + 1),
    standardError: Math.sqrt(Math.max(0, variance)) * scale,
    blockLength,
    simulations,
  };
}
