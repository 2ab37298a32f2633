/**
 * The training worker thread: runs trainBooster (synchronous native calls) and posts progress,
 * then the model bytes. Started by runTrainingWorker through trainWorker.cjs. Imports nothing
 * heavier than koffi: no @ares/data, no zod.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { trainBooster } from './trainBooster';
import { serializeError, type WorkerInput, type WorkerMessage } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('trainWorker.ts runs only as a worker thread (started by runTrainingWorker)');
const { job, cancelFlag } = workerData as WorkerInput;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const result = trainBooster(job, {
    onProgress: (progress) => post({ type: 'progress', progress }),
    isCancelled: () => Atomics.load(cancelFlag, 0) !== 0,
  });
  post({ type: 'done', result }, [result.model.buffer as ArrayBuffer]);
} catch (err) {
  post({ type: 'error', error: serializeError(err) });
}
