import { InvalidInputError } from '@ares/data';

/**
 * Errors thrown by @ares/features. All are bad input (non-retryable in a workflow) and name the
 * feature, parameter or column at fault.
 */

/** Thrown when a feature set names a feature that is not registered. */
export class UnknownFeatureError extends InvalidInputError {}

/** Thrown when a feature's parameters fail validation (the message names feature and parameter). */
export class InvalidFeatureParamsError extends InvalidInputError {}

/** Thrown when the dataset lacks a column a feature (or the labeler) needs. */
export class MissingColumnError extends InvalidInputError {}

/** Thrown when an input column holds NaN/Inf values where none are allowed (the message gives count and time range). */
export class NonFiniteInputError extends InvalidInputError {}

/** Thrown when a dataset is shorter than the feature set's warm-up (no row would remain). */
export class InsufficientHistoryError extends InvalidInputError {}
