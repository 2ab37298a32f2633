import { lapTimer } from '../native/lapTimer';
import { Booster } from './Booster';
import { DMatrix, type DenseRows } from './DMatrix';
import { TrainingCancelledError } from './errors';
import { EarlyStopping } from './EarlyStopping';
import { parseEvalLine } from './parseEvalLine';
import { XGBoostLibrary } from './XGBoostLibrary';

/** Rows with labels (class indices as float32, XGBoost's label type) and optional row weights. */
export interface LabelledRows {
  x: DenseRows;
  label: Float32Array;
  weight?: Float32Array;
}

/** Everything the training thread needs; plain data, so it crosses into a worker by structured clone. */
export interface TrainingJob {
  libraryPath: string;
  /** XGBoosterSetParam calls, in order (see boosterParams). */
  params: [string, string][];
  /** Boosting rounds at most. */
  rounds: number;
  /** Stop after this many rounds without a lower validation metric (only with `valid`). */
  earlyStoppingRounds: number;
  /** The metric XGBoost evaluates on `valid` (the job's params set eval_metric to it). */
  metric: string;
  /** Threads for building DMatrices; ≤ 0: all cores. */
  nthread: number;
  train: LabelledRows;
  valid?: LabelledRows;
}

/** Reported after every round. */
export interface TrainingProgress {
  /** 0-based round just finished. */
  iteration: number;
  /** Rounds at most. */
  rounds: number;
  /** The validation metric after this round (with a validation set). */
  validMetric?: number;
  /** Best round so far (with a validation set: lowest metric; else the last round). */
  bestIteration: number;
}

export interface TrainingResult {
  /** XGBoost's JSON model holding every round run (predict with rounds [0, bestIteration + 1)). */
  model: Uint8Array;
  /** 0-based best round: lowest validation metric, or the last round without a validation set. */
  bestIteration: number;
  /** Rounds run. */
  iterations: number;
  validHistory: number[];
}

export interface TrainingHooks {
  onProgress?: (progress: TrainingProgress) => void;
  /** Polled before every round; true stops training with TrainingCancelledError. */
  isCancelled?: () => boolean;
}

/**
 * Trains synchronously on the calling thread (the training worker's), with early stopping in the
 * binding: after each round, XGBoosterEvalOneIter on the validation DMatrix, parse the metric,
 * keep the best round, stop after `earlyStoppingRounds` rounds without improvement. Adds the
 * milliseconds of its parts (dataset: the DMatrices; train: the rounds; save: the JSON model) to `timings`.
 */
export function trainBooster(job: TrainingJob, hooks: TrainingHooks = {}, timings: Record<string, number> = {}): TrainingResult {
  const lib = XGBoostLibrary.open(job.libraryPath);
  const owned: { dispose(): void }[] = [];
  const lap = lapTimer(timings);
  try {
    const train = own(owned, DMatrix.fromRows(lib, job.train.x, job.train, job.nthread));
    const valid = job.valid ? own(owned, DMatrix.fromRows(lib, job.valid.x, job.valid, job.nthread)) : undefined;
    lap('dataset');
    const booster = own(owned, Booster.create(lib, valid ? [train, valid] : [train]));
    booster.setParams(job.params);
    const stopping = new EarlyStopping(job.earlyStoppingRounds);
    let iterations = 0;
    for (let iteration = 0; iteration < job.rounds; iteration++) {
      if (hooks.isCancelled?.()) throw new TrainingCancelledError(`XGBoost training cancelled after ${iterations} of ${job.rounds} rounds`);
      booster.update(iteration, train);
      iterations = iteration + 1;
      if (!valid) {
        hooks.onProgress?.({ iteration, rounds: job.rounds, bestIteration: iteration });
        continue;
      }
      const metric = parseEvalLine(booster.evaluate(iteration, [{ name: 'valid', data: valid }]), 'valid', job.metric);
      const stop = stopping.record(iteration, metric);
      hooks.onProgress?.({ iteration, rounds: job.rounds, validMetric: metric, bestIteration: stopping.bestIteration });
      if (stop) break;
    }
    if (valid && stopping.bestIteration < 0) throw new Error(`validation ${job.metric} was NaN in all ${iterations} rounds`);
    lap('train');
    const model = booster.saveJson();
    lap('save');
    return {
      model,
      bestIteration: valid ? stopping.bestIteration : iterations - 1,
      iterations,
      validHistory: stopping.history,
    };
  } finally {
    for (const resource of owned.reverse()) resource.dispose();
  }
}

function own<T extends { dispose(): void }>(owned: { dispose(): void }[], resource: T): T {
  owned.push(resource);
  return resource;
}
