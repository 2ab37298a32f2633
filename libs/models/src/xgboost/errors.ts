/**
 * Errors thrown by the XGBoost binding. Bad options and bad input are `InvalidInputError`s from
 * @ares/data (non-retryable); these cover the native library, the training worker and the
 * model's life cycle. `ModelStateError` and `TrainingCancelledError` mirror the LightGBM
 * binding's classes of the same name (candidates for a shared libs/models/src/core/errors.ts).
 *
 * This file must not import @ares/data: the training worker imports it, and the data barrel would
 * load DuckDB and the AWS SDK into every training thread.
 */

/** Thrown when an XGBoost C API call returns -1: names the call and carries XGBoost's own message (XGBGetLastError). */
export class XGBoostError extends Error {
  /** A failing native call will fail the same way on retry. */
  readonly retryable = false;

  constructor(
    /** The C API function that failed, e.g. 'XGBoosterUpdateOneIter'. */
    readonly call: string,
    /** XGBoost's message, without the native stack trace XGBoost appends. */
    readonly nativeMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`${call} failed: ${nativeMessage}`, options);
    this.name = 'XGBoostError';
  }
}

export { ModelStateError, TrainingCancelledError } from '../errors';

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
