/**
 * Errors thrown by the XGBoost binding. Bad options and bad input are `InvalidInputError`s from
 * @ares/data (non-retryable); these cover the native library, the training worker and the
 * model's life cycle.
 *
 * This file must not import @ares/data: the training worker imports it, and the data barrel would
 * load DuckDB and the AWS SDK into every training thread.
 */

import { NativeLibraryError } from '../core/nativeErrors';

/** Thrown when a XGBoost C API call returns -1: names the call and carries XGBoost's own message (XGBGetLastError). */
export class XGBoostError extends NativeLibraryError {}

export { ModelStateError, TrainingCancelledError } from '../core/nativeErrors';

/**
 * Thrown when the training worker thread fails outside XGBoost: it could not start, crashed or
 * exited without a result. Retryable: an out-of-memory kill or a crash may pass on another attempt.
 */
export class TrainingWorkerError extends Error {
  readonly retryable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrainingWorkerError';
  }
}
