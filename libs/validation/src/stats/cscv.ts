import { InvalidStatisticsInputError } from '../errors';

/**
 * Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, López de Prado & Zhu, "The Probability of Backtest Overfitting", 2017, §2):
 *
 * - The T × N matrix of the trials' returns (rows in time order) is cut into S contiguous blocks
 *   of ⌊T/S⌋ rows; the T mod S rows at the START are dropped (the latest data is kept).
 * - For each of the C(S, S/2) ways to pick S/2 blocks as in-sample J (the rest, J̄, out of sample)
 *   the metric (per-period Sharpe, mean / std with ddof 1; 0 when the std is 0) of every trial is
 *   computed on J and on J̄. n* = the in-sample best (ties: the lowest trial index).
 * - ω̄ = rank of n*'s out-of-sample metric among the N, by AVERAGE ranks for ties (1 = worst),
 *   divided by N + 1; λ = ln(ω̄ / (1 − ω̄)).
 * - PBO = the share of combinations with λ ≤ 0: the in-sample best at or below the out-of-sample
 *   median. Also: the least-squares slope and intercept of the out-of-sample against the
 *   in-sample metric of the selected trials (performance degradation), and the share of
 *   combinations where the selected trial's out-of-sample metric is below 0.
 *
 * Block sums of returns and squares are precomputed, so a combination costs O(S·N), not O(T·N).
 */

export interface PboOptions {
  /** S, even, >= 2. @default 16 */
  blocks?: number;
}

export interface PboResult {
  pbo: number;
  /** λ per combination, in the order of the combinations (lexicographic block sets). */
  logits: Float64Array;
  combinations: number;
  blocks: number;
  trials: number;
  /** Rows used (T − T mod S). */
  rows: number;
  degradation: { slope: number; intercept: number };
  probabilityOfLoss: number;
}

export interface ReturnMatrix {
  rows: number;
  trials: number;
  /** Row-major: values[t·trials + n] is trial n's return at row t. */
  values: Float64Array;
}

export function probabilityOfBacktestOverfitting(matrix: ReturnMatrix, options: PboOptions = {}): PboResult {
  const S = options.blocks ?? 16;
  const { rows: T, trials: N, values } = matrix;
  if (!Number.isInteger(S) || S < 2 || S % 2 !== 0) throw new InvalidStatisticsInputError(`probabilityOfBacktestOverfitting: blocks must be an even integer >= 2, got ${S}`);
  if (!(N >= 2)) throw new InvalidStatisticsInputError(`probabilityOfBacktestOverfitting: needs at least 2 trials, got ${N}`);
  if (!(T >= S)) throw new InvalidStatisticsInputError(`probabilityOfBacktestOverfitting: ${T} rows for ${S} blocks (needs at least one row per block)`);
  if (values.length !== T * N) throw new InvalidStatisticsInputError(`probabilityOfBacktestOverfitting: values has ${values.length} entries, rows × trials = ${T * N}`);
  const size = Math.floor(T / S);
  const skip = T - size * S;
  // Per block and trial: sum and sum of squares.
  const sum = new Float64Array(S * N);
  const sq = new Float64Array(S * N);
  for (let t = skip; t < T; t++) {
    const b = Math.floor((t - skip) / size);
    for (let n = 0; n < N; n++) {
      const v = values[t * N + n]!;
      if (!Number.isFinite(v)) throw new InvalidStatisticsInputError(`probabilityOfBacktestOverfitting: values[row ${t}, trial ${n}] is ${v}`);
      sum[b * N + n]! += v;
      sq[b * N + n]! += v * v;
    }
  }
  const half = S / 2;
  const count = half * size;
  const sharpeOf = (blocks: number[], n: number) => {
    let s = 0;
    let q = 0;
    for (const b of blocks) {
      s += sum[b * N + n]!;
      q += sq[b * N + n]!;
    }
    const mean = s / count;
    const variance = count > 1 ? (q - count * mean * mean) / (count - 1) : 0;
    return variance > 1e-300 ? mean / Math.sqrt(variance) : 0;
  };
  const logits: number[] = [];
  const isBest: number[] = [];
  const oosBest: number[] = [];
  const oos = new Float64Array(N);
  for (const J of combinations(S, half)) {
    const inJ = new Set(J);
    const Jbar = Array.from({ length: S }, (_, b) => b).filter((b) => !inJ.has(b));
    let best = 0;
    let bestIs = -Infinity;
    for (let n = 0; n < N; n++) {
      const v = sharpeOf(J, n);
      if (v > bestIs) {
        bestIs = v;
        best = n;
      }
      oos[n] = sharpeOf(Jbar, n);
    }
    const omega = averageRank(oos, best) / (N + 1);
    logits.push(Math.log(omega / (1 - omega)));
    isBest.push(bestIs);
    oosBest.push(oos[best]!);
  }
  const k = logits.length;
  const pbo = logits.filter((l) => l <= 0).length / k;
  return { pbo, logits: Float64Array.from(logits), combinations: k, blocks: S, trials: N, rows: size * S, degradation: leastSquares(isBest, oosBest), probabilityOfLoss: oosBest.filter((v) => v < 0).length / k };
}

/** 1-based rank of x[i] among x, ties sharing their average rank (scipy.stats.rankdata 'average'). */
function averageRank(x: Float64Array, i: number): number {
  let below = 0;
  let equal = 0;
  for (const v of x) {
    if (v < x[i]!) below++;
    else if (v === x[i]!) equal++;
  }
  return below + (equal + 1) / 2;
}

/** Every k-subset of 0..n−1, lexicographic. */
function* combinations(n: number, k: number): Generator<number[]> {
  const c = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield c.slice();
    let i = k - 1;
    while (i >= 0 && c[i] === n - k + i) i--;
    if (i < 0) return;
    c[i]!++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1]! + 1;
  }
}

function leastSquares(x: number[], y: number[]): { slope: number; intercept: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}
