/**
 * Messages between the main thread and a training thread (trainingThread.ts). Everything here is
 * structured-cloneable; typed arrays over SharedArrayBuffers (the cancel flags) are shared, and
 * the big Float32Arrays are fresh copies whose buffers are transferred.
 */

/** The native trainers a training thread runs. */
export type TrainingKind = 'lightgbm' | 'xgboost';

/** Main → thread: run one job. */
export interface JobMessage {
  id: number;
  kind: TrainingKind;
  payload: unknown;
}

/** An error as it crosses the thread boundary (structured clone keeps neither class nor extra fields). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** The native call that failed (LightGBMError / XGBoostError). */
  call?: string;
  nativeMessage?: string;
  /** Rounds done when training was cancelled. */
  iteration?: number;
}

/** Thread → main. `ready` once per thread, when its modules are loaded. */
export type ThreadMessage =
  | { type: 'ready' }
  | { id: number; type: 'progress'; progress: unknown }
  | { id: number; type: 'done'; result: unknown; timings: Record<string, number> }
  | { id: number; type: 'error'; error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & { call?: unknown; nativeMessage?: unknown; iteration?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(e.stack === undefined ? {} : { stack: e.stack }),
    ...(typeof e.call === 'string' ? { call: e.call } : {}),
    ...(typeof e.nativeMessage === 'string' ? { nativeMessage: e.nativeMessage } : {}),
    ...(typeof e.iteration === 'number' ? { iteration: e.iteration } : {}),
  };
}
