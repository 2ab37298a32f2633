import { InvalidInputError } from '@ares/data';

/**
 * Errors thrown by the metrics. All are bad input — non-retryable in a workflow — and name the
 * row, class or value at fault.
 */

/** Thrown when labels are malformed: a class index outside 0..2, or a length that disagrees with the rows. */
export class InvalidLabelsError extends InvalidInputError {}

/**
 * Thrown when probabilities are malformed: not rows × 3, a value outside [0, 1], a row that does
 * not sum to 1, or NaN where the caller did not ask for NaN rows to be dropped.
 */
export class InvalidProbabilitiesError extends InvalidInputError {}

/** Thrown when no row is left to score (empty input, or every row had a NaN probability). */
export class NoRowsError extends InvalidInputError {}

/** Thrown when a metric is undefined on the given rows (e.g. ROC AUC when y_true holds a single class). */
export class UndefinedMetricError extends InvalidInputError {}

/** Thrown when a metric name is not one of METRIC_NAMES. */
export class UnknownMetricError extends InvalidInputError {}

/** Thrown when a metric option is invalid (e.g. calibrationBins not a positive integer). */
export class InvalidMetricOptionsError extends InvalidInputError {}
