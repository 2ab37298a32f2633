import { Rng } from '@ares/data';
import type { TrainingSet } from '../../core/Model';

/**
 * Tercile of N(0, 5), the distribution of a sum of 5 standard normals: ±0.430727 · √5 splits it
 * into three equal shares (0.430727 = Φ⁻¹(2/3), from a normal table).
 */
export const SUM5_TERCILE = 0.430727 * Math.sqrt(5);

export interface SyntheticSequenceOptions {
  rows: number;
  seed: number;
  /** Feature columns f0 … f{cols−1}, all iid N(0, 1). @default 4 */
  cols?: number;
  /**
   * 'planted': class 2 when f0 summed over the last 5 bars (rows i − 4 .. i) is above
   * SUM5_TERCILE, 0 when below −SUM5_TERCILE, else 1 (a third each; the first 4 rows sum what
   * there is). 'noise': labels drawn independently of the features with `shares`.
   */
  labels: 'planted' | 'noise';
  /** Class shares for 'noise' labels. @default [1/3, 1/3, 1/3] */
  shares?: readonly [number, number, number];
}

/** Chronological rows with a planted sequential signal or pure-noise labels (for LSTM tests and the benchmark). */
export function syntheticSequences({ rows, seed, cols = 4, labels, shares = [1 / 3, 1 / 3, 1 / 3] }: SyntheticSequenceOptions): TrainingSet {
  const rng = new Rng(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (labels === 'planted') {
      let sum = 0;
      for (let k = Math.max(0, r - 4); k <= r; k++) sum += data[k * cols]!;
      y[r] = sum > SUM5_TERCILE ? 2 : sum < -SUM5_TERCILE ? 0 : 1;
    } else {
      const u = rng.uniform();
      y[r] = u < shares[0] ? 0 : u < shares[0] + shares[1] ? 1 : 2;
    }
  }
  return { x: { rows, cols, data, columns: Array.from({ length: cols }, (_, c) => `f${c}`) }, y };
}

/** Rows [from, to) of `set` as a new TrainingSet (a chronological split). */
export function sliceRows(set: TrainingSet, from: number, to: number): TrainingSet {
  const { cols, columns } = set.x;
  const x = { rows: to - from, cols, columns, data: set.x.data.slice(from * cols, to * cols) };
  return set.weight === undefined ? { x, y: set.y.slice(from, to) } : { x, y: set.y.slice(from, to), weight: set.weight.slice(from, to) };
}
