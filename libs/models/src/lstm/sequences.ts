import type { Matrix } from '../core/Model';
import { NonFiniteSequenceError, SequenceInputError } from './errors';

/**
 * Sequence windows over a chronological, row-major feature matrix. Convention (the classic
 * trainer's): the sample for row i is rows [i − L + 1 .. i] and is aligned to row i, the
 * sequence's LAST bar; its label is y[i]. Rows 0 .. L − 2 start no sample. A window only ever
 * reads rows ≤ its end, so nothing after row i can reach the prediction for row i.
 *
 * Because rows are contiguous in a row-major matrix, the window ending at row i is the slice
 * data[(i − L + 1) · cols, (i + 1) · cols): copying a window is one `set`.
 */

/** Rows that end a window, in order: L − 1, L, …, rows − 1 (empty when rows < L). */
export function sequenceEnds(rows: number, sequenceLength: number): Int32Array {
  const count = Math.max(0, rows - sequenceLength + 1);
  const ends = new Int32Array(count);
  for (let k = 0; k < count; k++) ends[k] = sequenceLength - 1 + k;
  return ends;
}

/**
 * Copies the windows ending at ends[from .. to) into `out` as a [to − from, L, cols] row-major
 * block (the layout of a tfjs tensor3d). `out` must hold at least (to − from) · L · cols values.
 */
export function gatherWindows(x: Matrix, ends: ArrayLike<number>, from: number, to: number, sequenceLength: number, out: Float32Array): void {
  const width = sequenceLength * x.cols;
  for (let k = from; k < to; k++) {
    const start = (ends[k]! - sequenceLength + 1) * x.cols;
    out.set(x.data.subarray(start, start + width), (k - from) * width);
  }
}

/** Throws SequenceInputError unless `x` has at least one full window, naming what and the counts. */
export function requireOneSequence(x: Matrix, sequenceLength: number, what: string): void {
  if (x.rows < sequenceLength) {
    throw new SequenceInputError(`${what} has ${x.rows} rows, fewer than sequenceLength ${sequenceLength}: it forms no sequence (each needs ${sequenceLength} consecutive rows)`);
  }
}

/** Throws NonFiniteSequenceError naming the first column with NaN/±Inf, its count and first row. */
export function requireFinite(x: Matrix, what: string): void {
  for (let c = 0; c < x.cols; c++) {
    let count = 0;
    let first = -1;
    for (let r = 0; r < x.rows; r++) {
      if (!Number.isFinite(x.data[r * x.cols + c]!)) {
        count += 1;
        if (first < 0) first = r;
      }
    }
    if (count > 0) {
      throw new NonFiniteSequenceError(`${what}: column '${x.columns[c]}' has ${count} NaN/±Inf values (first at row ${first}); an LSTM has no missing-value handling, impute or drop them first`);
    }
  }
}

/** For each row, whether the window ending there holds a NaN/±Inf value (false for rows < L − 1, which have no window). */
export function windowsWithNonFinite(x: Matrix, sequenceLength: number): Uint8Array {
  const out = new Uint8Array(x.rows);
  let lastBadRow = -Infinity;
  for (let r = 0; r < x.rows; r++) {
    for (let c = 0; c < x.cols; c++) {
      if (!Number.isFinite(x.data[r * x.cols + c]!)) {
        lastBadRow = r;
        break;
      }
    }
    if (r >= sequenceLength - 1 && lastBadRow > r - sequenceLength) out[r] = 1;
  }
  return out;
}

/** Throws SequenceInputError unless `x` has exactly the training columns, in order. */
export function requireColumns(x: Matrix, columns: readonly string[], what: string): void {
  const same = x.cols === columns.length && columns.every((name, i) => x.columns[i] === name);
  if (same) return;
  const missing = columns.filter((c) => !x.columns.includes(c));
  const extra = x.columns.filter((c) => !columns.includes(c));
  const detail = missing.length + extra.length > 0 ? `missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(extra)}` : 'same names in a different order';
  throw new SequenceInputError(`${what}: columns differ from the ${columns.length} training columns (${detail})`);
}
