import { InvalidInputError } from '@ares/data';

/**
 * Errors thrown by the preprocessing layer (scaling, class balancing, fold preparation). All are
 * bad input — non-retryable in a workflow — and name the column, class or field at fault.
 */

/** Thrown when a TrainingSet is malformed: a label outside 0..2, or lengths that disagree. */
export class InvalidTrainingSetError extends InvalidInputError {}

/** Thrown when a matrix's columns differ from the columns a transform was fitted on. */
export class ColumnMismatchError extends InvalidInputError {}

/** Thrown when the fit window cannot define a statistic: no rows, or a column without one finite value. */
export class EmptyFitWindowError extends InvalidInputError {}

/** Thrown when SMOTE meets NaN/±Inf features: neighbour distances are undefined (impute first). */
export class NonFiniteFeatureError extends InvalidInputError {}

/** Thrown when SMOTE must grow a class that has a single row: it has no neighbour to interpolate to. */
export class InsufficientSamplesError extends InvalidInputError {}

/** Thrown when sampling or fold options fail validation (the message names the field and value). */
export class InvalidPreprocessingOptionsError extends InvalidInputError {}

/** Thrown by StandardScaler.fromJSON when a saved state is malformed. */
export class InvalidScalerStateError extends InvalidInputError {}
