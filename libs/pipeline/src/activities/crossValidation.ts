import { createModel, fitWithEarlyStopping, labelTimesOf, prepareTrainingFold, scoreMetric, selectRows, type TrainingSet } from '@ares/models';
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
  /** Boosted models early-stop on this share of the latest rows of each training fold (purged); 0: fixed rounds on all of them. */
  earlyStoppingShare: number;
}

/**
 * Purged k-fold score of one model configuration over `rows` of `data` (row i's label interval is
 * [times[i], t1[i]]): scaler and sampler fitted inside each training fold, the metric scored on each
 * held-out fold (greater is better). Only `rows` are ever seen; boosted models early-stop inside
 * each training fold (its latest rows), never on the held-out fold.
 */
export async function purgedCvScores(data: TrainingSet, times: Float64Array, t1: Float64Array, rows: Int32Array, model: string, params: Record<string, unknown>, o: CvOptions): Promise<number[]> {
  return (await purgedCvPredictions(data, times, t1, rows, model, params, o)).scores;
}

/**
 * purgedCvScores with the out-of-fold probabilities too: `oof` has rows.length × 3 values, each
 * row predicted by the fold that held it out (NaN for a row in no test fold: unlabelled).
 */
export async function purgedCvPredictions(data: TrainingSet, times: Float64Array, t1: Float64Array, rows: Int32Array, model: string, params: Record<string, unknown>, o: CvOptions): Promise<{ scores: number[]; oof: Float64Array }> {
  const folds = purgedKFold(Float64Array.from(rows, (i) => times[i]!), Float64Array.from(rows, (i) => t1[i]!), { nSplits: o.folds, embargo: o.embargo });
  const scores: number[] = [];
  const oof = new Float64Array(rows.length * 3).fill(Number.NaN);
  for (const [f, fold] of folds.entries()) {
    o.onFold?.(f);
    const fitRows = Int32Array.from(fold.train, (i) => rows[i]!);
    const fit = selectRows(data, fitRows);
    const held = selectRows(data, Int32Array.from(fold.test, (i) => rows[i]!));
    const prepared = prepareTrainingFold(fit, held, { scale: true, balance: o.balance, seed: o.seed + f });
    const m = await createModel(model, { ...params, seed: o.seed });
    try {
      // Balancing would add synthetic rows without times: early stopping then needs the real rows only.
      const labelTimes = o.earlyStoppingShare > 0 && o.balance === 'none' ? labelTimesOf({ times, t1, validShare: o.earlyStoppingShare }, fitRows) : undefined;
      await fitWithEarlyStopping(m, prepared.train, labelTimes, o.signal === undefined ? undefined : { signal: o.signal });
      const proba = await m.predictProba(prepared.valid.x);
      scores.push(scoreMetric(o.metric, held.y, proba).score);
      // Three classes (down, flat, up) unless a fold lacked one: then its rows stay NaN.
      if (proba.length === fold.test.length * 3) fold.test.forEach((j, r) => oof.set(proba.subarray(r * 3, r * 3 + 3), j * 3));
    } finally {
      m.dispose();
    }
  }
  return { scores, oof };
}
