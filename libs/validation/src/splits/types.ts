/** Rows `start` (inclusive) to `end` (exclusive) of a chronologically ordered dataset. */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

/** One cross-validation split: row indices to fit on and row indices to score on, both ascending. */
export interface Fold {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** The rows of `range` as ascending indices. */
export function rangeIndices(range: IndexRange): Int32Array {
  const out = new Int32Array(Math.max(0, range.end - range.start));
  for (let k = 0; k < out.length; k++) out[k] = range.start + k;
  return out;
}
