import { InvalidInputError } from '@ares/data';
import type { Matrix, TrainingSet } from '../core/Model';

/**
 * Checks a feature matrix before it reaches XGBoost: shape, column names (when `columns` is
 * given, the same names in the same order as in training) and no ±Infinity (NaN is allowed: missing).
 */
export function validateMatrix(x: Matrix, what: string, columns?: readonly string[]): void {
  if (!Number.isInteger(x.rows) || x.rows < 0 || !Number.isInteger(x.cols) || x.cols < 1) {
    throw new InvalidInputError(`${what}: shape ${x.rows} × ${x.cols} is not a matrix with at least one column`);
  }
  if (x.data.length !== x.rows * x.cols) {
    throw new InvalidInputError(`${what}: data has ${x.data.length} values; ${x.rows} rows × ${x.cols} columns need ${x.rows * x.cols}`);
  }
  if (x.columns.length !== x.cols) throw new InvalidInputError(`${what}: ${x.columns.length} column names for ${x.cols} columns`);
  if (columns) checkSameColumns(x.columns, columns, what);
  checkFinite(x, what);
}

/** validateMatrix plus labels (class indices 0..numClass−1) and weights (finite, ≥ 0), one per row. */
export function validateTrainingSet(set: TrainingSet, what: string, numClass: number, columns?: readonly string[]): void {
  validateMatrix(set.x, what, columns);
  if (set.x.rows === 0) throw new InvalidInputError(`${what}: no rows`);
  if (set.y.length !== set.x.rows) throw new InvalidInputError(`${what}: ${set.y.length} labels for ${set.x.rows} rows`);
  for (let i = 0; i < set.y.length; i++) {
    const c = set.y[i]!;
    if (c < 0 || c >= numClass) throw new InvalidInputError(`${what}: label at row ${i} is ${c}; class indices must be 0..${numClass - 1}`);
  }
  if (set.weight) {
    if (set.weight.length !== set.x.rows) throw new InvalidInputError(`${what}: ${set.weight.length} weights for ${set.x.rows} rows`);
    for (let i = 0; i < set.weight.length; i++) {
      const w = set.weight[i]!;
      if (!(w >= 0) || w === Infinity) throw new InvalidInputError(`${what}: weight at row ${i} is ${w}; weights must be finite and ≥ 0`);
    }
  }
}

function checkSameColumns(actual: readonly string[], expected: readonly string[], what: string): void {
  if (actual.length !== expected.length) {
    throw new InvalidInputError(`${what}: ${actual.length} columns; the model was trained on ${expected.length} (${expected.join(', ')})`);
  }
  for (let j = 0; j < expected.length; j++) {
    if (actual[j] !== expected[j]) throw new InvalidInputError(`${what}: column ${j} is '${actual[j]}'; the model was trained with '${expected[j]}' there`);
  }
}

function checkFinite(x: Matrix, what: string): void {
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    if (v === Infinity || v === -Infinity) {
      const row = Math.floor(i / x.cols);
      const col = i % x.cols;
      const count = countInfinite(x, col);
      throw new InvalidInputError(`${what}: column '${x.columns[col]}' has ${count} infinite values (first at row ${row}); use NaN for missing values`);
    }
  }
}

function countInfinite(x: Matrix, col: number): number {
  let n = 0;
  for (let r = 0; r < x.rows; r++) if (Math.abs(x.data[r * x.cols + col]!) === Infinity) n++;
  return n;
}
