import { recordTimings } from '../native/recordTimings';
import { trainingThreads } from '../native/TrainingThreadPool';
import { TrainingCancelledError, TrainingWorkerError } from './errors';
import type { TrainingJob, TrainingProgress, TrainingResult } from './trainBooster';
import { deserializeError } from './workerProtocol';

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

/**
 * Runs `job` on one of the process's warm training threads (TrainingThreadPool) so that the
 * synchronous native training never blocks the main thread's event loop (heartbeats,
 * cancellation, other activities). Resolves with the model bytes once the thread has finished the
 * job and freed its native memory; rejects with the thread's own error class (XGBoostError,
 * TrainingCancelledError) or TrainingWorkerError when the thread itself fails.
 */
export async function runTrainingWorker(job: TrainingJob, control: FitControl = {}): Promise<TrainingResult> {
  const { signal, onProgress } = control;
  if (signal?.aborted) throw new TrainingCancelledError('XGBoost training cancelled before it started', { cause: signal.reason });
  const cancelFlag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const cancel = () => Atomics.store(cancelFlag, 0, 1);
  signal?.addEventListener('abort', cancel, { once: true });
  let failure: Error | undefined;
  try {
    const outcome = await trainingThreads.run('xgboost', { ...job, cancel: cancelFlag }, [], {
      onProgress: (progress) => {
        if (!onProgress || failure) return;
        try {
          onProgress(progress as TrainingProgress);
        } catch (err) {
          failure = err as Error;
          cancel();
        }
      },
    });
    if (failure) throw failure;
    if ('crash' in outcome) throw new TrainingWorkerError(`the XGBoost training thread failed: ${outcome.crash.message}`, { cause: outcome.crash });
    if ('error' in outcome) {
      const err = deserializeError(outcome.error);
      if (err instanceof TrainingCancelledError && signal?.aborted) throw new TrainingCancelledError(err.message, { cause: signal.reason });
      throw err;
    }
    recordTimings('xgboost', outcome.timings);
    return outcome.result as TrainingResult;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
