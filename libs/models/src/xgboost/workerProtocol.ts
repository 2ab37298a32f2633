import { ModelStateError, TrainingCancelledError, XGBoostError } from './errors';
import type { TrainingJob, TrainingProgress, TrainingResult } from './trainBooster';

/** workerData of the training worker. */
export interface WorkerInput {
  job: TrainingJob;
  /** Int32Array over a SharedArrayBuffer; the main thread stores 1 to cancel. */
  cancelFlag: Int32Array;
}

/** An error as it crosses the thread boundary (structured clone keeps neither class nor extra fields). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  call?: string;
  nativeMessage?: string;
}

/** Messages the training worker posts. */
export type WorkerMessage =
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'done'; result: TrainingResult }
  | { type: 'error'; error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof XGBoostError) return { name: err.name, message: err.message, stack: err.stack, call: err.call, nativeMessage: err.nativeMessage };
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

/** Rebuilds the worker's error as the same class on the main thread, keeping the worker's stack. */
export function deserializeError(e: SerializedError): Error {
  const err =
    e.name === 'XGBoostError' && e.call !== undefined && e.nativeMessage !== undefined
      ? new XGBoostError(e.call, e.nativeMessage)
      : e.name === 'TrainingCancelledError'
        ? new TrainingCancelledError(e.message)
        : e.name === 'ModelStateError'
          ? new ModelStateError(e.message)
          : Object.assign(new Error(e.message), { name: e.name });
  if (e.stack) err.stack = `${err.stack}\n  in the training worker:\n${e.stack}`;
  return err;
}
