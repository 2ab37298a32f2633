import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LightGBMError, TrainingCancelledError } from './errors';
import type { TrainRequest, TrainResult, WorkerMessage } from './trainProtocol';

export interface TrainInWorkerOptions {
  /** Called on the main thread after each round with the validation multi_logloss (undefined without a validation set). */
  onProgress?: (iteration: number, metric: number | undefined) => void;
  /** Aborting raises the worker's cancel flag; training stops before the next round and fit rejects with TrainingCancelledError. */
  signal?: AbortSignal;
}

/**
 * Trains in a worker thread so the main thread stays free (Temporal heartbeats, cancellation).
 * The request's Float32Arrays are transferred, not copied: the caller passes fresh copies it
 * will not touch again. The promise settles when the worker has exited, so no thread outlives it.
 *
 * Cancellation is cooperative (a SharedArrayBuffer flag read between rounds) rather than
 * worker.terminate(): terminating mid-round would leak the native data sets and booster.
 */
export function trainInWorker(request: Omit<TrainRequest, 'cancel'>, options: TrainInWorkerOptions = {}): Promise<TrainResult> {
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const { file, execArgv } = workerEntry();
  const worker = new Worker(file, { workerData: { ...request, cancel } satisfies TrainRequest, transferList: transferables(request), execArgv });
  const { signal, onProgress } = options;
  const raiseCancel = (): void => void Atomics.store(cancel, 0, 1);
  if (signal?.aborted) raiseCancel();
  else signal?.addEventListener('abort', raiseCancel, { once: true });

  return new Promise<TrainResult>((resolve, reject) => {
    let outcome: { result: TrainResult } | { error: Error } | undefined;
    worker.on('message', (m: WorkerMessage) => {
      switch (m.kind) {
        case 'progress':
          try {
            onProgress?.(m.iteration, m.metric);
          } catch (err) {
            // A throwing progress listener (e.g. a Temporal heartbeat after cancellation) stops training.
            outcome ??= { error: err as Error };
            raiseCancel();
          }
          break;
        case 'done': {
          const { kind: _kind, ...result } = m;
          outcome ??= { result };
          break;
        }
        case 'cancelled':
          outcome ??= { error: new TrainingCancelledError(`LightGBM training cancelled after ${m.iteration} rounds`, { cause: signal?.reason, iteration: m.iteration }) };
          break;
        case 'failed':
          outcome ??= { error: m.call !== undefined ? new LightGBMError(m.call, m.nativeMessage ?? m.message) : Object.assign(new Error(m.message), { name: m.name }) };
          break;
      }
    });
    worker.on('error', (err) => {
      outcome ??= { error: new Error(`the LightGBM training worker (${file}) crashed: ${err.message}`, { cause: err }) };
    });
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', raiseCancel);
      if (!outcome) reject(new Error(`the LightGBM training worker (${file}) exited with code ${code} without a result`));
      else if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    });
  });
}

/**
 * The worker file next to this one. From TypeScript sources (jest, `node --import tsx`) the worker
 * needs a TypeScript loader of its own: on Node 20 a worker does not inherit the parent's
 * `--import tsx` hooks and `--import tsx` in its execArgv is not applied to the worker's entry,
 * whereas tsx's CommonJS require hook (`--require tsx/cjs`) is. Compiled output runs as is.
 */
function workerEntry(): { file: string; execArgv: string[] } {
  const ext = extname(__filename);
  const file = join(__dirname, `trainWorker${ext}`);
  return { file, execArgv: ext === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [] };
}

function transferables(request: Omit<TrainRequest, 'cancel'>): ArrayBuffer[] {
  const buffers = [request.train, request.valid].flatMap((set) => (set ? [set.data, set.label, set.weight] : [])).flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
  return [...new Set(buffers)];
}
