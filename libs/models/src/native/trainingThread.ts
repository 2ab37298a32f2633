/**
 * A warm training thread (started by TrainingThreadPool through trainingThread.cjs): runs one
 * native training job at a time — LightGBM or XGBoost, synchronous C calls — and posts progress,
 * then the result and how long its parts took. The thread lives across jobs, so the native
 * libraries are opened and this code is compiled once per thread, not once per fit.
 * Imports nothing heavier than koffi: no @ares/data, no zod.
 */
import { parentPort } from 'node:worker_threads';
import { LightGBMLibrary } from '../lightgbm/LightGBMLibrary';
import { trainBooster as trainLightGBM } from '../lightgbm/trainBooster';
import type { TrainRequest } from '../lightgbm/trainProtocol';
import { trainBooster as trainXGBoost, type TrainingJob } from '../xgboost/trainBooster';
import { serializeError, type JobMessage, type ThreadMessage } from './threadProtocol';

const port = parentPort;
if (!port) throw new Error('trainingThread.ts runs only as a worker thread (started by TrainingThreadPool)');
const post = (message: ThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', ({ id, kind, payload }: JobMessage) => {
  const timings: Record<string, number> = {};
  try {
    if (kind === 'lightgbm') {
      const request = payload as TrainRequest;
      const lib = LightGBMLibrary.open(request.libraryPath);
      const result = trainLightGBM(lib, request, (iteration, metric) => post({ id, type: 'progress', progress: { iteration, metric } }), timings);
      post({ id, type: 'done', result, timings });
    } else {
      const job = payload as TrainingJob & { cancel: Int32Array };
      const result = trainXGBoost(job, { onProgress: (progress) => post({ id, type: 'progress', progress }), isCancelled: () => Atomics.load(job.cancel, 0) !== 0 }, timings);
      post({ id, type: 'done', result, timings }, [result.model.buffer as ArrayBuffer]);
    }
  } catch (err) {
    post({ id, type: 'error', error: serializeError(err) });
  }
});
post({ type: 'ready' });
