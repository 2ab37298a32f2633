/**
 * Errors shared by the native bindings and the LSTM. This file imports nothing: the training
 * worker threads load it, and must not pull in @ares/data (DuckDB, the AWS SDK).
 */

/** Thrown when a native C API call returns -1: names the call and carries the library's own message. */
export class NativeLibraryError extends Error {
  /** A failing native call will fail the same way on retry. */
  readonly retryable = false;

  constructor(
    /** The C API function that failed, e.g. 'LGBM_DatasetCreateFromMat'. */
    readonly call: string,
    /** The library's message, verbatim (without any native stack trace). */
    readonly nativeMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`${call} failed: ${nativeMessage}`, options);
    this.name = new.target.name;
  }
}

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
