import { lapTimer } from '../native/lapTimer';
import { EarlyStopping } from './EarlyStopping';
import { TrainingCancelledError } from './errors';
import type { LightGBMLibrary, NativeHandle } from './LightGBMLibrary';
import type { NativeDataset, TrainRequest, TrainResult } from './trainProtocol';

/** Per-round callback: the round just finished and its validation metric (without a validation set: undefined). */
export type RoundListener = (iteration: number, metric: number | undefined) => void;

/**
 * The synchronous training loop (run in the worker): builds the data sets, boosts round by round,
 * evaluates multi_logloss on the validation set after each round and early-stops, then returns the
 * model text truncated to the kept round. Every handle is freed on the way out, error or not.
 * Adds the milliseconds of its parts (dataset, train, save) to `timings`.
 */
export function trainBooster(lib: LightGBMLibrary, request: TrainRequest, onRound: RoundListener, timings: Record<string, number> = {}): TrainResult {
  const handles: { datasets: NativeHandle[]; booster?: NativeHandle } = { datasets: [] };
  const lap = lapTimer(timings);
  try {
    const train = createDataset(lib, request.train, request.params, null, handles);
    const valid = request.valid ? createDataset(lib, request.valid, request.params, train, handles) : null;
    lap('dataset');
    const booster = lib.boosterCreate(train, request.params);
    handles.booster = booster;
    if (valid) lib.boosterAddValidData(booster, valid);
    const metricCount = valid ? lib.boosterGetEvalCounts(booster) : 0;
    const stopping = new EarlyStopping(valid ? request.earlyStoppingRounds : 0);
    let iterations = 0;
    while (iterations < request.numIterations) {
      if (Atomics.load(request.cancel, 0) !== 0) throw new TrainingCancelledError(`LightGBM training cancelled after ${iterations} rounds`, { iteration: iterations });
      // "finished": no tree could split; LightGBM has already dropped that round.
      if (lib.boosterUpdateOneIter(booster)) break;
      iterations++;
      // multi_logloss is the only metric (set by the options), so it is entry 0 of the first validation set.
      const metric = valid ? lib.boosterGetEval(booster, 1, metricCount)[0] : undefined;
      onRound(iterations, metric);
      if (metric !== undefined && stopping.record(metric)) break;
    }
    const bestIteration = valid ? stopping.keptRound : iterations;
    lap('train');
    const modelText = lib.boosterSaveModelToString(booster, bestIteration);
    lap('save');
    return { modelText, bestIteration, iterations, validHistory: stopping.history };
  } finally {
    if (handles.booster !== undefined) lib.boosterFree(handles.booster);
    for (const d of handles.datasets.reverse()) lib.datasetFree(d);
  }
}

function createDataset(lib: LightGBMLibrary, set: NativeDataset, params: string, reference: NativeHandle, handles: { datasets: NativeHandle[] }): NativeHandle {
  const handle = lib.datasetFromMatrix(set.data, set.rows, set.cols, params, reference);
  handles.datasets.push(handle);
  lib.datasetSetField(handle, 'label', set.label);
  if (set.weight) lib.datasetSetField(handle, 'weight', set.weight);
  return handle;
}
