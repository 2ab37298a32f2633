/**
 * Errors thrown by the LightGBM binding. Bad options and bad input are `InvalidInputError`s from
 * @ares/data (non-retryable); these cover the native library and the model's life cycle.
 *
 * This file must not import @ares/data: the training worker imports it, and the data barrel would
 * load DuckDB and the AWS SDK into every training thread.
 */

import { NativeLibraryError } from '../core/nativeErrors';

/** Thrown when a LightGBM C API call returns -1: names the call and carries LightGBM's own message (LGBM_GetLastError). */
export class LightGBMError extends NativeLibraryError {}

export { ModelStateError, TrainingCancelledError } from '../core/nativeErrors';
