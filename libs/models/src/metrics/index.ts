/**
 * Classification metrics for the three label classes, checked against scikit-learn 1.7:
 * accuracy, balanced accuracy, per-class precision / recall / F1, macro F1, confusion matrix, log
 * loss, one-vs-rest ROC AUC and average precision, Brier score and calibration curves.
 *
 * ```ts
 * import { evaluate, scoreMetric } from './metrics';
 *
 * const proba = await model.predictProba(valid.x);
 * const report = evaluate(valid.y, proba); // JSON-serialisable; NaN rows dropped and counted
 * const { score } = scoreMetric('log_loss', valid.y, proba); // score = −log loss: greater is better
 * ```
 */
export { type CalibrationCurve, calibrationCurve, classCalibration, predictedClassCalibration } from './calibration';
export {
  DEFAULT_METRIC,
  GREATER_IS_BETTER,
  METRIC_NAMES,
  MetricNameSchema,
  accuracy,
  balancedAccuracy,
  brierPerClass,
  brierScore,
  confusionMatrix,
  evaluate,
  logLoss,
  macroF1,
  precisionRecallF1,
  scoreMetric,
  type ClassificationReport,
  type EvaluateOptions,
  type MetricName,
  type MetricScore,
  type PerClassReport,
} from './classification';
export { InvalidLabelsError, InvalidMetricOptionsError, InvalidProbabilitiesError, NoRowsError, UndefinedMetricError, UnknownMetricError } from './errors';
export { averagePrecisionOvr, binaryAveragePrecision, binaryRocAuc, rocAucOvr, type OvrScores } from './ranking';
export { dropNanRows, type CleanRows } from './rows';
