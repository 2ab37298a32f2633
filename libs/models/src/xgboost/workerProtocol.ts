import { ModelStateError, TrainingCancelledError, XGBoostError } from './errors';
import type { SerializedError } from '../native/threadProtocol';

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
