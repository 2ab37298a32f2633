/**
 * Seeded classification fixtures for the XGBoost tests (not exported from the barrel). Features
 * are standard normal; labels are class indices 0..2.
 */
import { Rng } from '@ares/data';
import type { Matrix, TrainingSet } from '../core/Model';

export interface SyntheticOptions {
  rows: number;
  seed: number;
  /** Columns in all. @default 10 */
  cols?: number;
  /** Fraction of labels replaced by a uniformly random class. @default 0.1 */
  labelNoise?: number;
  /** Fraction of values in non-signal columns set to NaN (missing). @default 0.01 */
  missing?: number;
}

/** Column positions the planted label depends on (not the first two, so the f<N> → column mapping is exercised). */
export const SIGNAL_COLUMNS = [3, 7] as const;
/** A column that is constant 0: XGBoost can never split on it. */
export const CONSTANT_COLUMN = 9;

/**
 * Planted signal: class 2 when x3 > 0.43, else class 1 when x7 > 0, else class 0 (about a third
 * each), then `labelNoise` of the labels replaced at random. The Bayes accuracy is
 * 1 − labelNoise · 2/3 (0.93 at the default 0.1).
 */
export function plantedSignal(options: SyntheticOptions): TrainingSet {
  const rng = new Rng(options.seed);
  const x = gaussianMatrix(rng, options);
  const noise = options.labelNoise ?? 0.1;
  const [a, b] = SIGNAL_COLUMNS;
  const y = new Int32Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    const row = r * x.cols;
    y[r] = x.data[row + a]! > 0.43 ? 2 : x.data[row + b]! > 0 ? 1 : 0;
    if (rng.uniform() < noise) y[r] = Math.floor(rng.uniform() * 3);
  }
  return { x, y };
}

/** The same features with labels drawn uniformly at random, independent of them. */
export function noiseLabels(options: SyntheticOptions): TrainingSet {
  const rng = new Rng(options.seed);
  const x = gaussianMatrix(rng, options);
  const y = Int32Array.from({ length: x.rows }, () => Math.floor(rng.uniform() * 3));
  return { x, y };
}

/**
 * Imbalanced: class 0 is `minority` of the rows with x3 ~ N(−1.5, 1); classes 1 and 2 share the
 * rest with x3 ~ N(0.5, 1) and are separated by the sign of x7. Class 0 overlaps the others, so
 * an unweighted model rarely predicts it.
 */
export function imbalanced(options: SyntheticOptions & { minority: number }): TrainingSet {
  const rng = new Rng(options.seed);
  const x = gaussianMatrix(rng, { ...options, missing: 0 });
  const [a, b] = SIGNAL_COLUMNS;
  const y = new Int32Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    const row = r * x.cols;
    if (rng.uniform() < options.minority) {
      y[r] = 0;
      x.data[row + a] = x.data[row + a]! - 1.5;
    } else {
      y[r] = x.data[row + b]! > 0 ? 2 : 1;
      x.data[row + a] = x.data[row + a]! + 0.5;
    }
  }
  return { x, y };
}

/** Fraction of rows whose most probable class (argmax of rows × 3 probabilities) is the label. */
export function accuracy(predicted: Int32Array, y: Int32Array): number {
  let hits = 0;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) hits++;
  return hits / y.length;
}

/** Recall of class `c`: the fraction of its rows predicted as c. */
export function recall(predicted: Int32Array, y: Int32Array, c: number): number {
  let rows = 0;
  let hits = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== c) continue;
    rows++;
    if (predicted[i] === c) hits++;
  }
  return hits / rows;
}

/**
 * Multiclass log loss as XGBoost's mlogloss computes it: the (weighted) mean of −log p_y with p
 * clipped below at 1e-16 (src/metric/multiclass_metric.cu, EvalMultiLogLoss).
 */
export function mlogloss(proba: Float64Array, y: Int32Array, k = 3): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum -= Math.log(Math.max(proba[i * k + y[i]!]!, 1e-16));
  return sum / y.length;
}

function gaussianMatrix(rng: Rng, options: SyntheticOptions): Matrix {
  const cols = options.cols ?? 10;
  const missing = options.missing ?? 0.01;
  const data = new Float32Array(options.rows * cols);
  for (let i = 0; i < data.length; i++) {
    const col = i % cols;
    if (col === CONSTANT_COLUMN) data[i] = 0;
    else if (!(SIGNAL_COLUMNS as readonly number[]).includes(col) && rng.uniform() < missing) data[i] = Number.NaN;
    else data[i] = rng.normal();
  }
  return { rows: options.rows, cols, data, columns: Array.from({ length: cols }, (_, j) => `feature_${j}`) };
}
