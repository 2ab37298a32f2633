import { z } from 'zod';
import type { TrainingSet } from '../core/Model';
import { ColumnMismatchError } from './errors';
import { parseOptions } from './parseOptions';
import { noSamplingReport, randomUndersample, smote, type SamplingReport } from './sampling';
import { StandardScaler } from './StandardScaler';
import { validateTrainingSet } from './trainingSet';

/** Options of `prepareTrainingFold`. */
export interface PrepareTrainingFoldOptions {
  /**
   * Standardise features with a StandardScaler fitted on the fold's (real) training rows.
   * @default true
   */
  scale?: boolean;
  /**
   * Class balancing of the training rows, applied after scaling (SMOTE's distances are taken on
   * the scaled features).
   * @default 'none'
   */
  balance?: 'none' | 'undersample' | 'smote';
  /** Seed of the sampler (required even for 'none', so that every call states it). */
  seed: number;
  /**
   * SMOTE's neighbour count.
   * @default 5
   */
  k?: number;
  /**
   * Undersampling's ratio (see `randomUndersample`).
   * @default 1
   */
  undersampleRatio?: number;
}

export const PrepareTrainingFoldOptionsSchema = z
  .object({
    scale: z.boolean().default(true),
    balance: z.enum(['none', 'undersample', 'smote']).default('none'),
    seed: z.number().int(),
    k: z.number().int().min(1).default(5),
    undersampleRatio: z.number().min(1).finite().default(1),
  })
  .strict();

export interface PreparedFold {
  /** Training rows: scaled, then rebalanced (synthetic rows after the real ones). */
  train: TrainingSet;
  /** Validation rows: exactly the input rows, in order, scaled with the training scaler; never resampled. */
  valid: TrainingSet;
  /** The scaler fitted on the training rows (null when scale is false); a bundle stores `scaler.toJSON()`. */
  scaler: StandardScaler | null;
  sampling: SamplingReport;
}

/**
 * Prepares one cross-validation / walk-forward fold: the scaler is fitted on `train` only and
 * applied to both; the sampler sees `train` only. `valid` keeps its rows, order, labels and
 * weights, so its metrics describe the real class distribution.
 *
 * ```ts
 * const fold = prepareTrainingFold(trainRows, validRows, { scale: true, balance: 'smote', seed: 7 });
 * await model.fit(fold.train, fold.valid);
 * ```
 */
export function prepareTrainingFold(train: TrainingSet, valid: TrainingSet, options: PrepareTrainingFoldOptions): PreparedFold {
  const o = parseOptions(PrepareTrainingFoldOptionsSchema, options, 'prepareTrainingFold');
  validateTrainingSet(train, 'prepareTrainingFold train');
  validateTrainingSet(valid, 'prepareTrainingFold valid');
  requireSameColumns(train, valid);
  const scaler = o.scale ? StandardScaler.fit(train.x) : null;
  const scaledTrain = scaler === null ? train : withX(train, scaler.transform(train.x));
  const scaledValid = scaler === null ? valid : withX(valid, scaler.transform(valid.x));
  const balanced =
    o.balance === 'smote'
      ? smote(scaledTrain, { seed: o.seed, k: o.k })
      : o.balance === 'undersample'
        ? randomUndersample(scaledTrain, { seed: o.seed, ratio: o.undersampleRatio })
        : { train: scaledTrain, report: noSamplingReport(scaledTrain) };
  return { train: balanced.train, valid: scaledValid, scaler, sampling: balanced.report };
}

function withX(set: TrainingSet, x: TrainingSet['x']): TrainingSet {
  return set.weight === undefined ? { x, y: set.y } : { x, y: set.y, weight: set.weight };
}

function requireSameColumns(train: TrainingSet, valid: TrainingSet): void {
  const a = train.x.columns;
  const b = valid.x.columns;
  const at = a.length === b.length ? a.findIndex((name, i) => name !== b[i]) : Math.min(a.length, b.length);
  if (at >= 0) throw new ColumnMismatchError(`prepareTrainingFold: valid column ${at} is '${b[at] ?? '(none)'}', train has '${a[at] ?? '(none)'}' (train ${a.length} columns, valid ${b.length})`);
}
