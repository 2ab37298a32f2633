/**
 * Entry of the training worker thread: runs trainBooster on workerData and posts progress, then
 * the result, back. Imports only the binding (never @ares/data: the worker should start fast).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LightGBMError, TrainingCancelledError } from './errors';
import { LightGBMLibrary } from './LightGBMLibrary';
import { trainBooster } from './trainBooster';
import type { TrainRequest, WorkerMessage } from './trainProtocol';

const post = (message: WorkerMessage): void => parentPort!.postMessage(message);
const request = workerData as TrainRequest;

try {
  const lib = LightGBMLibrary.open(request.libraryPath);
  const result = trainBooster(lib, request, (iteration, metric) => post({ kind: 'progress', iteration, metric }));
  post({ kind: 'done', ...result });
} catch (err) {
  if (err instanceof TrainingCancelledError) post({ kind: 'cancelled', iteration: err.iteration ?? 0 });
  else if (err instanceof LightGBMError) post({ kind: 'failed', name: err.name, message: err.message, call: err.call, nativeMessage: err.nativeMessage });
  else post({ kind: 'failed', name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err) });
}
