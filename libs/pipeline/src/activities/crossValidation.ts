import { createModel, prepareTrainingFold, scoreMetric, selectRows, type TrainingSet } from '@ares/models';
import { purgedKFold } from '@ares/validation';

export interface CvOptions {
  /** Purged folds over the given rows. */
  folds: number;
  /** Embargo after each test fold, as a share of the rows. */
  embargo: number;
  metric: string;
  seed: number;
  balance: 'none' | 'undersample' | 'smote';
  signal?: AbortSignal;
  onFold?: (fold: number) => void;
}

/**
 * Purged k-fold score of one model configuration over `rows` of `data` (row i's label interval is
 * [times[i], t1[i]]): scaler and sampler fitted inside each training fold, the metric scored on each
 * held-out fold (greater is better). Only `rows` are ever seen.
 */
export async function purgedCvScores(data: TrainingSet, times: Float64Array, t1: Float64Array, rows: Int32Array, model: string, params: Record<string, unknown>, o: CvOptions): Promise<number[]> {
  const folds = purgedKFold(Float64Array.from(rows, (i) => times[i]!), Float64Array.from(rows, (i) => t1[i]!), { nSplits: o.folds, embargo: o.embargo });
  const scores: number[] = [];
  for (const [f, fold] of folds.entries()) {
    o.onFold?.(f);
    const fit = selectRows(data, Int32Array.from(fold.train, (i) => rows[i]!));
    const held = selectRows(data, Int32Array.from(fold.test, (i) => rows[i]!));
    const prepared = prepareTrainingFold(fit, held, { scale: true, balance: o.balance, seed: o.seed + f });
    const m = await createModel(model, { ...params, seed: o.seed });
    try {
      await m.fit(prepared.train, undefined, o.signal === undefined ? undefined : { signal: o.signal });
      scores.push(scoreMetric(o.metric, held.y, await m.predictProba(prepared.valid.x)).score);
    } finally {
      m.dispose();
    }
  }
  return scores;
}
