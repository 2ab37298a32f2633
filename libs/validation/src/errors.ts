import { InvalidInputError } from '@ares/data';

/**
 * Errors thrown by @ares/validation. All are bad input (non-retryable in a workflow) and name the
 * option, row or fold at fault with its value.
 */

/** Thrown when a splitter option is out of range, not an integer where one is needed, unknown, or contradicts another option. */
export class InvalidSplitOptionsError extends InvalidInputError {}

/** Thrown when the rows cannot be split as asked: a segment or fold would be empty, or there are too few rows for the folds. */
export class InsufficientRowsError extends InvalidInputError {}

/** Thrown when label times are unusable: lengths differ, times unsorted or not finite, a label ending before it starts. */
export class InvalidLabelTimesError extends InvalidInputError {}

/** Thrown when a backtest, a statistic or a Monte Carlo run gets unusable input: a bad option, mismatched lengths, non-finite values, too few observations. */
export class InvalidStatisticsInputError extends InvalidInputError {}
