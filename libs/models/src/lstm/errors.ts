import { InvalidInputError } from '@ares/data';

/**
 * Errors thrown by the LSTM model. Bad options and bad input are `InvalidInputError`s from
 * @ares/data (non-retryable) and name the field, row or column at fault; `LstmModelStateError`
 * covers the model's life cycle. (The LightGBM and XGBoost bindings each define a
 * `ModelStateError` of the same meaning: candidates for one shared core/errors.ts.)
 */

/** Thrown when the model is used in the wrong state: predict/save/importance before fit, fit twice, anything after dispose, or a different TensorFlow.js backend than the one it was built on. */
export class LstmModelStateError extends Error {
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'LstmModelStateError';
  }
}

/** Thrown when the input cannot form one sequence (fewer rows than sequenceLength), or its columns differ from the training columns. */
export class SequenceInputError extends InvalidInputError {}

/** Thrown when training or validation features hold NaN/±Inf: an LSTM has no notion of a missing value (impute or drop the rows first). */
export class NonFiniteSequenceError extends InvalidInputError {}

/** Thrown when a requested TensorFlow.js backend cannot be set, or a saved model is malformed. */
export class LstmLoadError extends InvalidInputError {}

/** Thrown when the training loss becomes NaN/±Inf (divergence): names the epoch and learning rate. Retrying the same run diverges the same way. */
export class LstmTrainingError extends Error {
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'LstmTrainingError';
  }
}
