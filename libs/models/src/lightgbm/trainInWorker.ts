import { recordTimings } from '../native/recordTimings';
import { trainingThreads } from '../native/TrainingThreadPool';
import { LightGBMError, TrainingCancelledError } from './errors';
import type { TrainRequest, TrainResult } from './trainProtocol';

export interface TrainInWorkerOptions {
  /** Called on the main thread after each round with the validation multi_logloss (undefined without a validation set). */
  onProgress?: (iteration: number, metric: number | undefined) => void;
  /** Aborting raises the worker's cancel flag; training stops before the next round and fit rejects with TrainingCancelledError. */
  signal?: AbortSignal;
  /** Profile category prefix of the thread's timings (e.g. 'random_forest'); @default 'lightgbm'. */
  profileAs?: string;
}

/**
 * Trains on one of the process's warm training threads (TrainingThreadPool) so the main thread
 * stays free (Temporal heartbeats, cancellation). The request's Float32Arrays are transferred, not
 * copied: the caller passes fresh copies it will not touch again. The promise settles when the
 * thread has finished the job and freed its native handles.
 */
export async function trainInWorker(request: Omit<TrainRequest, 'cancel'>, options: TrainInWorkerOptions = {}): Promise<TrainResult> {
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const { signal, onProgress } = options;
  const raiseCancel = (): void => void Atomics.store(cancel, 0, 1);
  if (signal?.aborted) raiseCancel();
  else signal?.addEventListener('abort', raiseCancel, { once: true });
  // A throwing progress listener (e.g. a Temporal heartbeat after cancellation) stops training.
  let listenerError: Error | undefined;
  try {
    const outcome = await trainingThreads.run('lightgbm', { ...request, cancel } satisfies TrainRequest, transferables(request), {
      onProgress: (p) => {
        if (listenerError) return;
        const { iteration, metric } = p as { iteration: number; metric?: number };
        try {
          onProgress?.(iteration, metric);
        } catch (err) {
          listenerError = err as Error;
          raiseCancel();
        }
      },
    });
    if (listenerError) throw listenerError;
    if ('crash' in outcome) throw outcome.crash;
    if ('error' in outcome) {
      const e = outcome.error;
      if (e.name === 'TrainingCancelledError') throw new TrainingCancelledError(`LightGBM training cancelled after ${e.iteration ?? 0} rounds`, { cause: signal?.reason, iteration: e.iteration ?? 0 });
      if (e.call !== undefined) throw new LightGBMError(e.call, e.nativeMessage ?? e.message);
      throw Object.assign(new Error(e.message), { name: e.name });
    }
    recordTimings(options.profileAs ?? 'lightgbm', outcome.timings);
    return outcome.result as TrainResult;
  } finally {
    signal?.removeEventListener('abort', raiseCancel);
  }
}

function transferables(request: Omit<TrainRequest, 'cancel'>): ArrayBuffer[] {
  const buffers = [request.train, request.valid].flatMap((set) => (set ? [set.data, set.label, set.weight] : [])).flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
  return [...new Set(buffers)];
}
