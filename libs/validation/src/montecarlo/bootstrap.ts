import type { Rng } from '@ares/data';
import { InvalidStatisticsInputError } from '../errors';
import { requireAtLeast, requireFiniteSeries, requireInteger } from './checks';

/**
 * Seeded resamplers. Each fills `out` when given (of length n, so that a loop of simulations
 * allocates nothing) and returns it; the randomness comes only from `rng`.
 */

function outputBuffer(what: string, n: number, out: Int32Array | undefined): Int32Array {
  if (out === undefined) return new Int32Array(n);
  if (out.length !== n) throw new InvalidStatisticsInputError(`${what}: out has length ${out.length}, expected n = ${n}`);
  return out;
}

/** Uniform integer in [0, n) from one uniform draw (n far below 2^53, so the bias is nil). */
function uniformIndex(rng: Rng, n: number): number {
  return Math.floor(rng.uniform() * n);
}

/** Indices of an i.i.d. (Efron) bootstrap: n draws with replacement from 0 … n − 1. */
export function iidBootstrapIndices(n: number, rng: Rng, out?: Int32Array): Int32Array {
  const what = 'iidBootstrapIndices';
  requireInteger(what, 'n', n, 1);
  return fillIidIndices(outputBuffer(what, n, out), rng);
}

/** The i.i.d. bootstrap into `idx` (its length is n), unchecked: for loops that validated once. */
export function fillIidIndices(idx: Int32Array, rng: Rng): Int32Array {
  const n = idx.length;
  for (let i = 0; i < n; i++) idx[i] = uniformIndex(rng, n);
  return idx;
}

/**
 * Indices of the stationary bootstrap of Politis & Romano (1994): blocks start at a uniform index
 * and run on, wrapping from n − 1 to 0, each next index starting a new block with probability
 * p = 1 / meanBlock, so block lengths are geometric with mean `meanBlock`. This is
 * arch.bootstrap.StationaryBootstrap's scheme; meanBlock = 1 is the i.i.d. bootstrap.
 */
export function stationaryBootstrapIndices(n: number, meanBlock: number, rng: Rng, out?: Int32Array): Int32Array {
  const what = 'stationaryBootstrapIndices';
  requireInteger(what, 'n', n, 1);
  requireAtLeast(what, 'meanBlock', meanBlock, 1);
  return fillStationaryIndices(outputBuffer(what, n, out), meanBlock, rng);
}

/** The stationary bootstrap into `idx` (its length is n), unchecked: for loops that validated once. */
export function fillStationaryIndices(idx: Int32Array, meanBlock: number, rng: Rng): Int32Array {
  const n = idx.length;
  const p = 1 / meanBlock;
  let j = uniformIndex(rng, n);
  idx[0] = j;
  for (let i = 1; i < n; i++) {
    if (rng.uniform() < p) j = uniformIndex(rng, n);
    else if (++j === n) j = 0;
    idx[i] = j;
  }
  return idx;
}

/**
 * A uniformly random permutation (Fisher–Yates) of the trades' net returns: the same trades in
 * another order, so the total return is unchanged and only the path (the drawdown) differs.
 */
export function tradeReshuffle(trades: Float64Array, rng: Rng, out?: Float64Array): Float64Array {
  const what = 'tradeReshuffle';
  requireFiniteSeries(what, 'trades', trades, 1);
  if (out !== undefined && out.length !== trades.length) throw new InvalidStatisticsInputError(`${what}: out has length ${out.length}, expected ${trades.length} (the number of trades)`);
  return shuffleInto(trades, out ?? new Float64Array(trades.length), rng);
}

/** Fisher–Yates permutation of `values` into `perm` (same length), unchecked. */
export function shuffleInto(values: Float64Array, perm: Float64Array, rng: Rng): Float64Array {
  perm.set(values);
  for (let i = perm.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}
