import { labelTimesOf, selectRows, type LabelTimes, type TrainingSet } from '@ares/models';
import { RegimeEnsemble, type MetaModelSpec } from '../ensemble/RegimeEnsemble';
import type { BaseModelSpec, IndexFold, ModelFactory, OofCheckpoint } from '../stacking/outOfFold';
import type { EnsembleUnit } from './plan';

export interface EnsembleUnitOptions {
  /** Base models of the ensemble; @default DEFAULT_BASE_MODELS. */
  readonly baseModels?: readonly BaseModelSpec[];
  /** Meta-learner; @default DEFAULT_META_MODEL. */
  readonly meta?: MetaModelSpec;
  readonly seed: number;
  /**
   * Inner folds for the ensemble's own out-of-fold stacking, over the unit's `fit` rows (indices
   * into `unit.fit`), e.g. purged k-fold on their label intervals.
   */
  readonly innerFolds: (fit: Int32Array) => IndexFold[];
  /** Fewest rows an ensemble trains on; @default MIN_REGIME_ROWS. */
  readonly minRows?: number;
  readonly signal?: AbortSignal;
  /** Saves / restores each (base model, inner fold) step, so a retried unit resumes. */
  readonly checkpoint?: OofCheckpoint;
  readonly onProgress?: (done: number, total: number) => void;
  readonly createModel?: ModelFactory;
  /** Label intervals of every data row: boosted fits early-stop on the latest of their own training rows (see RegimeEnsembleOptions). */
  readonly labelTimes?: LabelTimes;
}

export interface EnsembleUnitResult {
  readonly ensemble: RegimeEnsemble;
  /** The ensemble's probabilities for `unit.predict`, rows × 3 (row-major). */
  readonly proba: Float64Array;
}

/**
 * Trains one unit of the regime stage: the stacked ensemble on `unit.fit` rows (its meta-learner on
 * inner out-of-fold probabilities), then predicts `unit.predict` rows, none of which it trained on.
 * The caller disposes `ensemble`.
 */
export async function trainEnsembleUnit(data: TrainingSet, unit: EnsembleUnit, options: EnsembleUnitOptions): Promise<EnsembleUnitResult> {
  const fit = selectRows(data, unit.fit);
  const ensemble = await RegimeEnsemble.train(fit, options.innerFolds(unit.fit), {
    regime: unit.ensemble,
    seed: options.seed,
    ...(options.baseModels === undefined ? {} : { baseModels: options.baseModels }),
    ...(options.meta === undefined ? {} : { meta: options.meta }),
    ...(options.minRows === undefined ? {} : { minRows: options.minRows }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.createModel === undefined ? {} : { createModel: options.createModel }),
    ...(options.labelTimes === undefined ? {} : { labelTimes: labelTimesOf(options.labelTimes, unit.fit) }),
  });
  try {
    const proba = await ensemble.predictProba(selectRows(data, unit.predict).x);
    return { ensemble, proba };
  } catch (error) {
    ensemble.dispose();
    throw error;
  }
}
