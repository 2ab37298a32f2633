import { InvalidInputError } from '@ares/data';

/** Errors thrown by @ares/models; all are bad input (non-retryable) and name the value at fault. */

/** Thrown for a model type that does not exist. */
export class UnknownModelTypeError extends InvalidInputError {}

/** Thrown when a bundle cannot be loaded: a missing file, a hash mismatch, or a manifest that fails its schema. */
export class BundleError extends InvalidInputError {}

/** Thrown when prediction input lacks a feature the model was trained on. */
export class MissingFeatureError extends InvalidInputError {}

export { ModelStateError, NativeLibraryError, TrainingCancelledError } from './core/nativeErrors';
