import { InvalidInputError } from '@ares/data';

/** Errors thrown by @ares/models; all are bad input (non-retryable) and name the value at fault. */

/** Thrown for a model type that does not exist. */
export class UnknownModelTypeError extends InvalidInputError {}

/** Thrown when a bundle cannot be loaded: a missing file, a hash mismatch, or a manifest that fails its schema. */
export class BundleError extends InvalidInputError {}

/** Thrown when prediction input lacks a feature the model was trained on. */
export class MissingFeatureError extends InvalidInputError {}

/** Thrown when a model is used in the wrong state: predict/save/importance before fit, or anything after dispose. */
export class ModelStateError extends Error {
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'ModelStateError';
  }
}

/** Thrown (as the rejection of fit) when training is cancelled through the AbortSignal given to fit, or by dispose(). */
export class TrainingCancelledError extends Error {
  readonly retryable = false;
  /** Rounds completed before the cancellation was seen, when the library reports it. */
  readonly iteration: number | undefined;

  constructor(message: string, options?: { cause?: unknown; iteration?: number }) {
    super(message, options);
    this.name = 'TrainingCancelledError';
    this.iteration = options?.iteration;
  }
}
