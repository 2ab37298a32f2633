import { CLASS_COUNT } from './rows';

/**
 * Reliability diagram data, with sklearn's `calibration_curve(strategy='uniform')` binning: edges
 * `i / bins` (computed as numpy's linspace does, i × (1 / bins)); a probability p falls in bin
 * `searchsorted(interior edges, p, side='left')`, i.e. bins are (e_i, e_{i+1}] except the first,
 * [0, e_1]. Unlike sklearn, empty bins are kept (count 0, means null) so every curve has `bins`
 * entries; sklearn's prob_pred / prob_true are the non-empty entries of meanPredicted /
 * observedFrequency.
 */
export interface CalibrationCurve {
  /** bins + 1 bin edges from 0 to 1. */
  edges: number[];
  /** Rows per bin. */
  count: number[];
  /** Mean predicted probability per bin (null for an empty bin). */
  meanPredicted: (number | null)[];
  /** Fraction of the bin's rows where the event happened (null for an empty bin). */
  observedFrequency: (number | null)[];
}

/** Calibration of class c's probability: predicted p_c against the frequency of y_true = c. */
export function classCalibration(yTrue: Int32Array, proba: Float64Array, c: number, bins = 10): CalibrationCurve {
  const n = yTrue.length;
  const prob = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    prob[r] = proba[r * CLASS_COUNT + c]!;
    event[r] = yTrue[r] === c ? 1 : 0;
  }
  return calibrationCurve(event, prob, bins);
}

/**
 * Confidence calibration: the probability given to the predicted class against the frequency of
 * the prediction being right.
 */
export function predictedClassCalibration(yTrue: Int32Array, proba: Float64Array, yPred: Int32Array, bins = 10): CalibrationCurve {
  const n = yTrue.length;
  const prob = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    prob[r] = proba[r * CLASS_COUNT + yPred[r]!]!;
    event[r] = yTrue[r] === yPred[r] ? 1 : 0;
  }
  return calibrationCurve(event, prob, bins);
}

/** Binary calibration curve of probabilities `prob` (in [0, 1]) against 0/1 outcomes `event`. */
export function calibrationCurve(event: Uint8Array, prob: Float64Array, bins: number): CalibrationCurve {
  const step = 1 / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? 1 : i * step));
  const count = new Array<number>(bins).fill(0);
  const sumPred = new Array<number>(bins).fill(0);
  const sumEvent = new Array<number>(bins).fill(0);
  for (let r = 0; r < prob.length; r++) {
    const b = binOf(prob[r]!, edges);
    count[b]! += 1;
    sumPred[b]! += prob[r]!;
    sumEvent[b]! += event[r]!;
  }
  return {
    edges,
    count,
    meanPredicted: count.map((k, b) => (k === 0 ? null : sumPred[b]! / k)),
    observedFrequency: count.map((k, b) => (k === 0 ? null : sumEvent[b]! / k)),
  };
}

/** Number of interior edges strictly below p (numpy searchsorted, side='left'), by bisection. */
function binOf(p: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length - 2; // interior edges are edges[1 .. bins - 1]
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid + 1]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
