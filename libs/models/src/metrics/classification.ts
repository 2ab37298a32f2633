import { z } from 'zod';
import { argmaxRows } from '../core/Model';
import { type CalibrationCurve, classCalibration, predictedClassCalibration } from './calibration';
import { InvalidMetricOptionsError, NoRowsError, UndefinedMetricError, UnknownMetricError } from './errors';
import { averagePrecisionOvr, rocAucOvr } from './ranking';
import { CLASS_COUNT, checkLabelPair, checkLabels, checkProba, dropNanRows } from './rows';

/**
 * Multiclass classification metrics for the three label classes, checked against scikit-learn
 * 1.7 (classification.reference.py). Conventions, all with labels = [0, 1, 2]:
 *
 * - precision / recall / F1 with zero_division = 0 (a class never predicted has precision 0);
 *   macro F1 is the unweighted mean over all three classes, so a class absent from both y_true and
 *   y_pred counts as F1 0 (sklearn `f1_score(labels=[0, 1, 2], average='macro')`);
 * - balanced accuracy is the mean recall over the classes present in y_true (sklearn);
 * - confusion matrix: rows are true classes, columns predicted classes;
 * - log loss: natural log, probabilities clipped to [ε, 1 − ε] with ε = 2.22e-16, the float64
 *   machine epsilon — sklearn 1.7 clips with the dtype's eps (`eps` parameter removed);
 * - Brier score: mean over rows of Σ_k (p_k − y_k)², range [0, 2] — sklearn 1.7's multiclass
 *   `brier_score_loss(labels=[0, 1, 2])` (not halved); per class, the binary
 *   `brier_score_loss(y == c, p_c)` = mean (p_c − [y = c])²;
 * - ROC AUC and average precision: one-vs-rest per class, see ranking.ts for undefined classes;
 * - calibration: sklearn `calibration_curve(strategy='uniform')` bins, see calibration.ts.
 *
 * Predictions default to the most probable class (first on ties, like numpy's argmax).
 */

/** Everything `evaluate` measures. JSON-serialisable: undefined values are null. */
export interface ClassificationReport {
  /** Rows scored (after dropping NaN rows). */
  rows: number;
  /** Rows dropped because one of their probabilities was NaN. */
  droppedNanRows: number;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  /** Lower is better. */
  logLoss: number;
  /** Multiclass Brier score, Σ_k (p_k − y_k)² averaged over rows, in [0, 2]. Lower is better. */
  brierScore: number;
  /** Mean of the defined per-class one-vs-rest ROC AUCs (null if none is defined). */
  rocAucOvrMacro: number | null;
  /** Mean of the defined per-class average precisions (null if none is defined). */
  averagePrecisionMacro: number | null;
  /** Classes whose ROC AUC / average precision is undefined on these rows (absent from y_true, or ROC AUC with the class in every row). */
  undefinedRankingClasses: number[];
  /** Per class, indexed 0..2. */
  perClass: PerClassReport;
  /** confusionMatrix[true][predicted] = rows. */
  confusionMatrix: number[][];
  calibration: {
    bins: number;
    /** One curve per class: p_c against [y = c]. */
    perClass: CalibrationCurve[];
    /** The predicted class's probability against [prediction correct]. */
    predictedClass: CalibrationCurve;
  };
}

export interface PerClassReport {
  precision: number[];
  recall: number[];
  f1: number[];
  /** Rows of the class in y_true. */
  support: number[];
  rocAuc: (number | null)[];
  averagePrecision: (number | null)[];
  /** Binary Brier score of the class, mean (p_c − [y = c])². */
  brier: number[];
}

export interface EvaluateOptions {
  /**
   * Predicted classes; the most probable class per row when omitted.
   * @default argmax of proba
   */
  yPred?: Int32Array;
  /**
   * Bins of the calibration curves.
   * @default 10
   */
  calibrationBins?: number;
}

/** Rows × classes counts: confusionMatrix[t][p] = rows with y_true t and y_pred p. */
export function confusionMatrix(yTrue: Int32Array, yPred: Int32Array): number[][] {
  checkLabelPair(yTrue, yPred);
  const m = Array.from({ length: CLASS_COUNT }, () => new Array<number>(CLASS_COUNT).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]!]![yPred[i]!]! += 1;
  return m;
}

export function accuracy(yTrue: Int32Array, yPred: Int32Array): number {
  return accuracyOf(confusionMatrix(yTrue, yPred));
}

/** Mean recall over the classes present in y_true. */
export function balancedAccuracy(yTrue: Int32Array, yPred: Int32Array): number {
  return balancedAccuracyOf(confusionMatrix(yTrue, yPred));
}

/** Per-class precision, recall, F1 (zero_division = 0) and support. */
export function precisionRecallF1(yTrue: Int32Array, yPred: Int32Array): Pick<PerClassReport, 'precision' | 'recall' | 'f1' | 'support'> {
  return precisionRecallF1Of(confusionMatrix(yTrue, yPred));
}

/** Unweighted mean of the three per-class F1 scores. */
export function macroF1(yTrue: Int32Array, yPred: Int32Array): number {
  return mean(precisionRecallF1(yTrue, yPred).f1);
}

/** Mean −log p(true class), p clipped to [ε, 1 − ε] with ε the float64 epsilon. Lower is better. */
export function logLoss(yTrue: Int32Array, proba: Float64Array): number {
  checkProba(yTrue, proba);
  const eps = Number.EPSILON;
  let sum = 0;
  for (let r = 0; r < yTrue.length; r++) {
    const p = proba[r * CLASS_COUNT + yTrue[r]!]!;
    sum -= Math.log(Math.min(Math.max(p, eps), 1 - eps));
  }
  return sum / yTrue.length;
}

/** Multiclass Brier score: mean over rows of Σ_k (p_k − y_k)², in [0, 2]. Lower is better. */
export function brierScore(yTrue: Int32Array, proba: Float64Array): number {
  return brierPerClass(yTrue, proba).reduce((a, b) => a + b, 0);
}

/** Binary Brier score of each class against the rest: mean (p_c − [y = c])². */
export function brierPerClass(yTrue: Int32Array, proba: Float64Array): number[] {
  checkProba(yTrue, proba);
  const sums = new Array<number>(CLASS_COUNT).fill(0);
  for (let r = 0; r < yTrue.length; r++) {
    for (let c = 0; c < CLASS_COUNT; c++) sums[c]! += (proba[r * CLASS_COUNT + c]! - (yTrue[r] === c ? 1 : 0)) ** 2;
  }
  return sums.map((s) => s / yTrue.length);
}

/**
 * All metrics in one JSON-serialisable report. Rows with any NaN probability are dropped first and
 * counted in `droppedNanRows`; if no row is left, throws NoRowsError.
 */
export function evaluate(yTrue: Int32Array, proba: Float64Array, options: EvaluateOptions = {}): ClassificationReport {
  const bins = options.calibrationBins ?? 10;
  if (!Number.isInteger(bins) || bins < 1) throw new InvalidMetricOptionsError(`evaluate: calibrationBins must be a positive integer (got ${bins})`);
  const rows = cleanRows(yTrue, proba, options.yPred);
  const { proba: p, yPred } = rows;
  const y = rows.yTrue;
  const cm = confusionMatrix(y, yPred);
  const prf = precisionRecallF1Of(cm);
  const auc = rocAucOvr(y, p);
  const ap = averagePrecisionOvr(y, p);
  const brier = brierPerClass(y, p);
  return {
    rows: y.length,
    droppedNanRows: rows.dropped,
    accuracy: accuracyOf(cm),
    balancedAccuracy: balancedAccuracyOf(cm),
    macroF1: mean(prf.f1),
    logLoss: logLoss(y, p),
    brierScore: brier.reduce((a, b) => a + b, 0),
    rocAucOvrMacro: auc.macro,
    averagePrecisionMacro: ap.macro,
    undefinedRankingClasses: auc.perClass.flatMap((v, c) => (v === null ? [c] : [])),
    perClass: { ...prf, rocAuc: auc.perClass, averagePrecision: ap.perClass, brier },
    confusionMatrix: cm,
    calibration: {
      bins,
      perClass: Array.from({ length: CLASS_COUNT }, (_, c) => classCalibration(y, p, c, bins)),
      predictedClass: predictedClassCalibration(y, p, yPred, bins),
    },
  };
}

/** Metrics selectable by name (model selection, early stopping, tuning objectives). */
export const METRIC_NAMES = ['macro_f1', 'accuracy', 'balanced_accuracy', 'log_loss', 'roc_auc_ovr', 'pr_auc_macro', 'brier'] as const;
export const MetricNameSchema = z.enum(METRIC_NAMES);
export type MetricName = z.output<typeof MetricNameSchema>;
export const DEFAULT_METRIC: MetricName = 'macro_f1';

/** Whether a larger value of each metric is better (log loss and Brier: lower is better). */
export const GREATER_IS_BETTER: Readonly<Record<MetricName, boolean>> = {
  macro_f1: true,
  accuracy: true,
  balanced_accuracy: true,
  log_loss: false,
  roc_auc_ovr: true,
  pr_auc_macro: true,
  brier: false,
};

export interface MetricScore {
  metric: MetricName;
  /** The metric as conventionally reported (log loss positive). */
  value: number;
  greaterIsBetter: boolean;
  /** Oriented so that greater is always better: value, or −value for a loss (like sklearn's neg_log_loss). */
  score: number;
  rows: number;
  droppedNanRows: number;
}

/**
 * One metric by name (default 'macro_f1'), computed on the rows without NaN probabilities. Use
 * `score` to compare models whatever the metric: it is negated for losses. Throws
 * UndefinedMetricError when the metric is undefined on these rows (ROC AUC / PR AUC with a single
 * class in y_true), UnknownMetricError for a name not in METRIC_NAMES.
 */
export function scoreMetric(name: string = DEFAULT_METRIC, yTrue: Int32Array, proba: Float64Array, options: { yPred?: Int32Array } = {}): MetricScore {
  const parsed = MetricNameSchema.safeParse(name);
  if (!parsed.success) throw new UnknownMetricError(`unknown metric '${name}'; expected one of ${METRIC_NAMES.join(', ')}`);
  const metric = parsed.data;
  const rows = cleanRows(yTrue, proba, options.yPred);
  const value = metricValue(metric, rows.yTrue, rows.proba, rows.yPred);
  const greaterIsBetter = GREATER_IS_BETTER[metric];
  return { metric, value, greaterIsBetter, score: greaterIsBetter ? value : -value, rows: rows.yTrue.length, droppedNanRows: rows.dropped };
}

function metricValue(metric: MetricName, y: Int32Array, p: Float64Array, yPred: Int32Array): number {
  switch (metric) {
    case 'macro_f1':
      return macroF1(y, yPred);
    case 'accuracy':
      return accuracy(y, yPred);
    case 'balanced_accuracy':
      return balancedAccuracy(y, yPred);
    case 'log_loss':
      return logLoss(y, p);
    case 'brier':
      return brierScore(y, p);
    case 'roc_auc_ovr':
      return definedOrThrow(metric, rocAucOvr(y, p).macro);
    case 'pr_auc_macro':
      return definedOrThrow(metric, averagePrecisionOvr(y, p).macro);
  }
}

function definedOrThrow(metric: MetricName, value: number | null): number {
  if (value === null) throw new UndefinedMetricError(`${metric} is undefined on these rows: y_true holds a single class`);
  return value;
}

/** Drops NaN rows, checks what is left, and fills in y_pred as the argmax when not given. */
function cleanRows(yTrue: Int32Array, proba: Float64Array, yPred: Int32Array | undefined): { yTrue: Int32Array; proba: Float64Array; yPred: Int32Array; dropped: number } {
  checkLabels(yTrue, yTrue.length, 'y_true');
  const clean = dropNanRows(yTrue, proba, yPred);
  if (clean.yTrue.length === 0) throw new NoRowsError(yTrue.length === 0 ? 'no rows to score' : `all ${yTrue.length} rows have a NaN probability`);
  checkProba(clean.yTrue, clean.proba);
  const predicted = clean.yPred ?? argmaxRows(clean.proba, CLASS_COUNT);
  checkLabelPair(clean.yTrue, predicted);
  return { yTrue: clean.yTrue, proba: clean.proba, yPred: predicted, dropped: clean.dropped };
}

function accuracyOf(cm: number[][]): number {
  let right = 0;
  let total = 0;
  cm.forEach((row, t) => row.forEach((n, p) => ((total += n), (right += t === p ? n : 0))));
  return right / total;
}

function balancedAccuracyOf(cm: number[][]): number {
  const recalls = cm.flatMap((row, t) => {
    const support = row.reduce((a, b) => a + b, 0);
    return support === 0 ? [] : [row[t]! / support];
  });
  return mean(recalls);
}

function precisionRecallF1Of(cm: number[][]): Pick<PerClassReport, 'precision' | 'recall' | 'f1' | 'support'> {
  const support = cm.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = cm[0]!.map((_, p) => cm.reduce((s, row) => s + row[p]!, 0));
  const tp = cm.map((row, c) => row[c]!);
  // sklearn's _prf_divide with zero_division = 0; F1 = 2 tp / (support + predicted) as sklearn computes it.
  const divide = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  return {
    precision: tp.map((t, c) => divide(t, predicted[c]!)),
    recall: tp.map((t, c) => divide(t, support[c]!)),
    f1: tp.map((t, c) => divide(2 * t, support[c]! + predicted[c]!)),
    support,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
