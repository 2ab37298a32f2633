import { InvalidLabelsError, InvalidProbabilitiesError, NoRowsError } from './errors';

/** Number of classes: labels are class indices 0..2, probabilities are rows × 3. */
export const CLASS_COUNT = 3;

/** Largest |Σ_k p_k − 1| accepted for a probability row (Float32 softmax outputs are ~1e-7 off). */
export const ROW_SUM_TOLERANCE = 1e-4;

/** Checks labels: one class index 0..2 per row. */
export function checkLabels(y: Int32Array, rows: number, what: string): void {
  if (y.length !== rows) throw new InvalidLabelsError(`${what}: ${y.length} labels for ${rows} rows`);
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (c < 0 || c >= CLASS_COUNT) throw new InvalidLabelsError(`${what}: label ${c} at row ${i} is not a class index 0..${CLASS_COUNT - 1}`);
  }
}

/** Checks y_true / y_pred: equal lengths, class indices, at least one row. */
export function checkLabelPair(yTrue: Int32Array, yPred: Int32Array): void {
  if (yTrue.length === 0) throw new NoRowsError('no rows to score');
  checkLabels(yTrue, yTrue.length, 'y_true');
  checkLabels(yPred, yTrue.length, 'y_pred');
}

/**
 * Checks y_true against a rows × 3 probability matrix: shape, at least one row, no NaN, every
 * value in [0, 1] (as sklearn requires) and rows summing to 1 within ROW_SUM_TOLERANCE.
 */
export function checkProba(yTrue: Int32Array, proba: Float64Array): void {
  if (proba.length !== yTrue.length * CLASS_COUNT) throw new InvalidProbabilitiesError(`proba has ${proba.length} values; ${yTrue.length} rows × ${CLASS_COUNT} classes = ${yTrue.length * CLASS_COUNT}`);
  if (yTrue.length === 0) throw new NoRowsError('no rows to score');
  checkLabels(yTrue, yTrue.length, 'y_true');
  for (let r = 0; r < yTrue.length; r++) {
    let sum = 0;
    for (let c = 0; c < CLASS_COUNT; c++) {
      const p = proba[r * CLASS_COUNT + c]!;
      if (Number.isNaN(p)) throw new InvalidProbabilitiesError(`proba row ${r} has a NaN probability; drop NaN rows first (dropNanRows, or evaluate / scoreMetric which drop and count them)`);
      if (!(p >= 0 && p <= 1)) throw new InvalidProbabilitiesError(`proba row ${r} class ${c} is ${p}, outside [0, 1]`);
      sum += p;
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) throw new InvalidProbabilitiesError(`proba row ${r} sums to ${sum}, not 1 (tolerance ${ROW_SUM_TOLERANCE}): pass probabilities, rows × ${CLASS_COUNT}, row-major`);
  }
}

export interface CleanRows {
  yTrue: Int32Array;
  proba: Float64Array;
  /** Present when y_pred was given. */
  yPred?: Int32Array;
  /** Rows removed because one of their probabilities was NaN. */
  dropped: number;
}

/**
 * Removes the rows with any NaN probability (a model that could not score them) and counts them,
 * so a report can show how many rows its metrics leave out.
 */
export function dropNanRows(yTrue: Int32Array, proba: Float64Array, yPred?: Int32Array): CleanRows {
  if (proba.length !== yTrue.length * CLASS_COUNT) throw new InvalidProbabilitiesError(`proba has ${proba.length} values; ${yTrue.length} rows × ${CLASS_COUNT} classes = ${yTrue.length * CLASS_COUNT}`);
  if (yPred !== undefined && yPred.length !== yTrue.length) throw new InvalidLabelsError(`y_pred: ${yPred.length} labels for ${yTrue.length} rows`);
  const keep: number[] = [];
  for (let r = 0; r < yTrue.length; r++) {
    let hasNaN = false;
    for (let c = 0; c < CLASS_COUNT; c++) hasNaN ||= Number.isNaN(proba[r * CLASS_COUNT + c]!);
    if (!hasNaN) keep.push(r);
  }
  const dropped = yTrue.length - keep.length;
  if (dropped === 0) return yPred === undefined ? { yTrue, proba, dropped } : { yTrue, proba, yPred, dropped };
  const cleanProba = new Float64Array(keep.length * CLASS_COUNT);
  keep.forEach((r, i) => cleanProba.set(proba.subarray(r * CLASS_COUNT, (r + 1) * CLASS_COUNT), i * CLASS_COUNT));
  const clean: CleanRows = { yTrue: Int32Array.from(keep, (r) => yTrue[r]!), proba: cleanProba, dropped };
  if (yPred !== undefined) clean.yPred = Int32Array.from(keep, (r) => yPred[r]!);
  return clean;
}
