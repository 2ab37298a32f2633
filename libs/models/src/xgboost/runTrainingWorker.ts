import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TrainingCancelledError, TrainingWorkerError } from './errors';
import type { TrainingJob, TrainingProgress, TrainingResult } from './trainBooster';
import { deserializeError, type WorkerInput, type WorkerMessage } from './workerProtocol';

/** How a caller follows and stops a training run. */
export interface FitControl {
  /** Called on the main thread after every boosting round (e.g. to heartbeat a Temporal activity). */
  onProgress?: (progress: TrainingProgress) => void;
  /**
   * Aborting cancels training: the worker stops before its next round, frees its native memory
   * and fit rejects with TrainingCancelledError. A round already running finishes first.
   */
  signal?: AbortSignal;
}

const WORKER_ENTRY = join(__dirname, 'trainWorker.cjs');

/**
 * Runs `job` on a fresh worker thread so that the synchronous native training never blocks the
 * main thread's event loop (heartbeats, cancellation, other activities). Resolves with the model
 * bytes once the worker has exited; rejects with the worker's own error class (XGBoostError,
 * TrainingCancelledError) or TrainingWorkerError when the thread itself fails.
 */
export function runTrainingWorker(job: TrainingJob, control: FitControl = {}): Promise<TrainingResult> {
  const { signal, onProgress } = control;
  if (signal?.aborted) return Promise.reject(new TrainingCancelledError('XGBoost training cancelled before it started', { cause: signal.reason }));
  return new Promise<TrainingResult>((resolve, reject) => {
    const cancelFlag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const input: WorkerInput = { job, cancelFlag };
    const worker = new Worker(WORKER_ENTRY, { workerData: input });
    let result: TrainingResult | undefined;
    let failure: Error | undefined;
    const cancel = () => Atomics.store(cancelFlag, 0, 1);
    signal?.addEventListener('abort', cancel, { once: true });

    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'done') result = message.result;
      else if (message.type === 'error') failure ??= deserializeError(message.error);
      else if (onProgress) {
        try {
          onProgress(message.progress);
        } catch (err) {
          failure ??= err as Error;
          cancel();
        }
      }
    });
    worker.on('error', (err) => {
      failure ??= new TrainingWorkerError(`the XGBoost training worker (${WORKER_ENTRY}) failed: ${err.message}`, { cause: err });
    });
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', cancel);
      if (failure instanceof TrainingCancelledError && signal?.aborted) reject(new TrainingCancelledError(failure.message, { cause: signal.reason }));
      else if (failure) reject(failure);
      else if (result) resolve(result);
      else reject(new TrainingWorkerError(`the XGBoost training worker exited with code ${code} without a result`));
    });
  });
}
