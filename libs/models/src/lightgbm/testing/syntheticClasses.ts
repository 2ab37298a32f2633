import { Rng } from '@ares/data';
import { argmaxRows, type Matrix, type TrainingSet } from '../../core/Model';

/** Options of plantedClasses. */
export interface PlantedClassesOptions {
  rows: number;
  /** @default 10 */
  cols?: number;
  /** The two columns the class depends on. @default [2, 7] */
  informative?: readonly [number, number];
  /** Standard deviation of the noise added to the score before thresholding. @default 0.25 */
  noise?: number;
  seed: number;
}

/** Standard-normal tertile boundary: P(Z < −0.4307) = 1/3. */
const NORMAL_TERTILE = 0.4307273;

/**
 * Rows of independent N(0, 1) features where the class depends on two of them:
 * s = x[a] + x[b] + noise·N(0, 1), class 0 below the lower tertile of s, 2 above the upper, 1 between
 * (so the classes are balanced). The other columns carry nothing.
 */
export function plantedClasses(o: PlantedClassesOptions): TrainingSet {
  const cols = o.cols ?? 10;
  const [a, b] = o.informative ?? [2, 7];
  const noise = o.noise ?? 0.25;
  const rng = new Rng(o.seed);
  const x = gaussianMatrix(o.rows, cols, rng);
  const cut = NORMAL_TERTILE * Math.sqrt(2 + noise * noise);
  const y = new Int32Array(o.rows);
  for (let r = 0; r < o.rows; r++) {
    const s = x.data[r * cols + a]! + x.data[r * cols + b]! + noise * rng.normal();
    y[r] = s < -cut ? 0 : s > cut ? 2 : 1;
  }
  return { x, y };
}

/** Gaussian features with labels drawn uniformly from {0, 1, 2}, independent of everything. */
export function noiseClasses(rows: number, cols: number, seed: number): TrainingSet {
  const rng = new Rng(seed);
  const x = gaussianMatrix(rows, cols, rng);
  const y = Int32Array.from({ length: rows }, () => Math.floor(3 * rng.uniform()));
  return { x, y };
}

/** The rows of `set` for which keep(row) is true. */
export function selectRows(set: TrainingSet, keep: (row: number) => boolean): TrainingSet {
  const { cols, columns } = set.x;
  const rows = [...set.y.keys()].filter(keep);
  const data = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => data.set(set.x.data.subarray(r * cols, (r + 1) * cols), i * cols));
  return { x: { rows: rows.length, cols, columns, data }, y: Int32Array.from(rows, (r) => set.y[r]!) };
}

export function gaussianMatrix(rows: number, cols: number, rng: Rng): Matrix {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { rows, cols, data, columns: Array.from({ length: cols }, (_, j) => `f${j}`) };
}

/** Share of rows whose most probable class is the label. */
export function accuracy(proba: Float64Array, y: Int32Array): number {
  const predicted = argmaxRows(proba);
  let hits = 0;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) hits++;
  return hits / y.length;
}

/** Recall of class c: share of rows labelled c predicted as c. */
export function recall(proba: Float64Array, y: Int32Array, c: number): number {
  const predicted = argmaxRows(proba);
  let n = 0;
  let hits = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== c) continue;
    n++;
    if (predicted[i] === c) hits++;
  }
  return hits / n;
}

/** Mean multiclass log loss, −mean log p(label), as LightGBM's multi_logloss (unweighted). */
export function multiLogloss(proba: Float64Array, y: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum -= Math.log(Math.max(proba[i * 3 + y[i]!]!, 1e-15));
  return sum / y.length;
}
