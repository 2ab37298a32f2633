import type { FitReport, Model, TrainingSet } from '../core/Model';
import { earlyStoppingHoldout } from './earlyStoppingHoldout';
import { selectRows } from './trainingSet';

/** Label intervals of a training set's rows (aligned with its rows, ascending in time), and the share of them early stopping holds out. */
export interface LabelTimes {
  readonly times: Float64Array;
  readonly t1: Float64Array;
  /** Share of the latest rows held out (see earlyStoppingHoldout); @default 0.2 */
  readonly validShare?: number;
}

/**
 * Model types whose number of rounds (trees) is chosen on held-out rows. Boosted models overfit
 * with more rounds; a random forest does not, but its held-out loss flattens after a few dozen
 * trees on a market with little signal, and the trees after that cost as much as the first ones
 * (in the profile, rf trees were a third of the regime stage's time).
 */
const EARLY_STOPPED = new Set(['lightgbm', 'xgboost', 'random_forest']);

/** True for the model types `fitWithEarlyStopping` early-stops. */
export function isEarlyStopped(type: string): boolean {
  return EARLY_STOPPED.has(type);
}

/**
 * Fits `model` on `set`. A tree model (LightGBM, XGBoost, random forest) with `labelTimes` trains
 * on the earlier rows and early-stops (its own `earlyStoppingRounds`) on the latest `validShare` of
 * the set's rows, purged by label end time (earlyStoppingHoldout) — the rounds that only fit noise
 * are never grown, and no row outside `set` is seen. Other models, or sets too small to hold out,
 * fit all rows with their fixed rounds.
 */
export async function fitWithEarlyStopping(
  model: Model,
  set: TrainingSet,
  labelTimes: LabelTimes | undefined,
  control?: { signal?: AbortSignal },
): Promise<FitReport> {
  if (labelTimes !== undefined && isEarlyStopped(model.type)) {
    if (labelTimes.times.length !== set.x.rows) throw new RangeError(`fitWithEarlyStopping: ${labelTimes.times.length} label times for ${set.x.rows} rows`);
    const all = Int32Array.from({ length: set.x.rows }, (_, i) => i);
    const holdout = earlyStoppingHoldout(all, labelTimes);
    if (holdout !== undefined) return model.fit(selectRows(set, holdout.fit), selectRows(set, holdout.valid), control);
  }
  return model.fit(set, undefined, control);
}

/** The label times of `rows` (indices into `labelTimes`' rows), with the same held-out share. */
export function labelTimesOf(labelTimes: LabelTimes, rows: ArrayLike<number>): LabelTimes {
  return {
    times: Float64Array.from(rows, (i) => labelTimes.times[i]!),
    t1: Float64Array.from(rows, (i) => labelTimes.t1[i]!),
    ...(labelTimes.validShare === undefined ? {} : { validShare: labelTimes.validShare }),
  };
}
