import type { Matrix, TrainingSet } from '../core/Model';
import { InvalidTrainingSetError } from './errors';

/** Number of classes: labels are class indices 0..2 (see core/labelMap.ts). */
export const CLASS_COUNT = 3;

/** Checks that `m`'s data length and column names agree with rows × cols. */
export function validateMatrix(m: Matrix, what: string): void {
  if (!Number.isInteger(m.rows) || m.rows < 0 || !Number.isInteger(m.cols) || m.cols < 0) throw new InvalidTrainingSetError(`${what}: rows ${m.rows} and cols ${m.cols} must be non-negative integers`);
  if (m.data.length !== m.rows * m.cols) throw new InvalidTrainingSetError(`${what}: data has ${m.data.length} values, rows × cols = ${m.rows} × ${m.cols} = ${m.rows * m.cols}`);
  if (m.columns.length !== m.cols) throw new InvalidTrainingSetError(`${what}: ${m.columns.length} column names for ${m.cols} columns`);
}

/** Checks matrix shape, one label in 0..2 per row and one weight per row. */
export function validateTrainingSet(set: TrainingSet, what: string): void {
  validateMatrix(set.x, `${what}.x`);
  if (set.y.length !== set.x.rows) throw new InvalidTrainingSetError(`${what}: ${set.y.length} labels for ${set.x.rows} rows`);
  for (let i = 0; i < set.y.length; i++) {
    const label = set.y[i]!;
    if (label < 0 || label >= CLASS_COUNT) throw new InvalidTrainingSetError(`${what}: label ${label} at row ${i} is not a class index 0..${CLASS_COUNT - 1}`);
  }
  if (set.weight !== undefined && set.weight.length !== set.x.rows) throw new InvalidTrainingSetError(`${what}: ${set.weight.length} weights for ${set.x.rows} rows`);
}

/** Rows per class, indexed by class. */
export function classCounts(y: Int32Array): number[] {
  const counts = new Array<number>(CLASS_COUNT).fill(0);
  for (let i = 0; i < y.length; i++) counts[y[i]!]! += 1;
  return counts;
}

/** A new TrainingSet holding `indices` of `set`, in the given order. */
export function selectRows(set: TrainingSet, indices: Int32Array): TrainingSet {
  const { cols } = set.x;
  const data = new Float32Array(indices.length * cols);
  const y = new Int32Array(indices.length);
  const weight = set.weight === undefined ? undefined : new Float32Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r]!;
    data.set(set.x.data.subarray(src * cols, (src + 1) * cols), r * cols);
    y[r] = set.y[src]!;
    if (weight !== undefined) weight[r] = set.weight![src]!;
  }
  const x: Matrix = { rows: indices.length, cols, data, columns: set.x.columns };
  return weight === undefined ? { x, y } : { x, y, weight };
}

/**
 * The named `columns` of `x`, in that order (`x` itself when it already matches). A column `x`
 * lacks throws `missing(column)`, so each caller names the error for its own context.
 */
export function selectColumns(x: Matrix, columns: readonly string[], missing: (column: string) => Error): Matrix {
  if (x.columns.length === columns.length && x.columns.every((c, i) => c === columns[i])) return x;
  const index = new Map(x.columns.map((c, i) => [c, i]));
  const src = columns.map((c) => {
    const i = index.get(c);
    if (i === undefined) throw missing(c);
    return i;
  });
  const data = new Float32Array(x.rows * columns.length);
  for (let r = 0; r < x.rows; r++) for (let c = 0; c < columns.length; c++) data[r * columns.length + c] = x.data[r * x.cols + src[c]!]!;
  return { rows: x.rows, cols: columns.length, data, columns: [...columns] };
}
