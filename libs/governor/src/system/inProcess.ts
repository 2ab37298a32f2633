import type { LabelTimes, TrainingSet } from '@ares/models';
import type { RegimeEnsemble, MetaModelSpec } from '../ensemble/RegimeEnsemble';
import { DEFAULT_DECISION_THRESHOLD, GovernorModel } from '../governor/GovernorModel';
import type { BaseModelSpec, IndexFold, ModelFactory } from '../stacking/outOfFold';
import { assembleGovernorData, stackSlices, type GovernorData } from './assemble';
import { planGovernorTraining, type EnsembleUnit, type GovernorPlan, type GovernorSplit } from './plan';
import { scoreGovernorTest, type GovernorScores } from './score';
import { trainEnsembleUnit } from './unit';

export interface GovernorSystemOptions {
  readonly regimeNames: readonly string[];
  readonly split: GovernorSplit;
  /** Outer folds over split.train (indices into it). */
  readonly outerFolds: readonly IndexFold[];
  /** Inner folds over a unit's fit rows (indices into them). */
  readonly innerFolds: (fit: Int32Array) => IndexFold[];
  readonly seed: number;
  readonly baseModels?: readonly BaseModelSpec[];
  readonly meta?: MetaModelSpec;
  /** LightGBM options of the governor (over DEFAULT_GOVERNOR_OPTIONS). */
  readonly governorOptions?: Record<string, unknown>;
  readonly minRows?: number;
  readonly threshold?: number;
  readonly createModel?: ModelFactory;
  readonly onUnit?: (unit: EnsembleUnit, index: number, total: number) => void;
  /** Label intervals of every data row: tree-model fits early-stop inside their own training rows (EnsembleUnitOptions.labelTimes). */
  readonly labelTimes?: LabelTimes;
  /**
   * Checkpoints of the units' predictions: a unit whose predictions `load` returns is not trained
   * again (a resumed job; its ensemble is then absent from `ensembles`), and each trained unit's are
   * handed to `save`. Same seed → the same numbers, so a resumed system equals an uninterrupted one.
   */
  readonly unitCheckpoint?: { load(unitId: string): Promise<Float64Array | undefined>; save(unitId: string, proba: Float64Array): Promise<void> };
  /** Aborts between units. */
  readonly signal?: AbortSignal;
}

export interface GovernorSystem {
  readonly plan: GovernorPlan;
  /** The final ensembles, by ensemble name (regimes with their own, and POOLED when used). */
  readonly ensembles: Record<string, RegimeEnsemble>;
  readonly governor: GovernorModel;
  readonly data: GovernorData;
  readonly scores: GovernorScores;
}

/**
 * The whole regime stage in one process, unit after unit: what the pipeline's workflow does with
 * parallel activities (same plan, same units, same assembly), for tests and small jobs. The caller
 * disposes the returned ensembles and governor.
 */
export async function trainGovernorSystem(data: TrainingSet, regime: readonly string[], options: GovernorSystemOptions): Promise<GovernorSystem> {
  const plan = planGovernorTraining({ regime, regimeNames: options.regimeNames, split: options.split, outerFolds: options.outerFolds, ...(options.minRows === undefined ? {} : { minRows: options.minRows }) });
  const unitProba: Record<string, Float64Array> = {};
  const ensembles: Record<string, RegimeEnsemble> = {};
  try {
    for (const [index, unit] of plan.units.entries()) {
      options.signal?.throwIfAborted();
      options.onUnit?.(unit, index, plan.units.length);
      const saved = await options.unitCheckpoint?.load(unit.id);
      if (saved) {
        unitProba[unit.id] = saved;
        continue;
      }
      const { ensemble, proba } = await trainEnsembleUnit(data, unit, {
        seed: options.seed,
        innerFolds: options.innerFolds,
        ...(options.baseModels === undefined ? {} : { baseModels: options.baseModels }),
        ...(options.meta === undefined ? {} : { meta: options.meta }),
        ...(options.minRows === undefined ? {} : { minRows: options.minRows }),
        ...(options.createModel === undefined ? {} : { createModel: options.createModel }),
        ...(options.labelTimes === undefined ? {} : { labelTimes: options.labelTimes }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      unitProba[unit.id] = proba;
      await options.unitCheckpoint?.save(unit.id, proba);
      if (unit.fold === 'final') ensembles[unit.ensemble] = ensemble;
      else ensemble.dispose();
    }
    const assembled = assembleGovernorData(plan, options.split, unitProba, regime, data.y);
    const fit = stackSlices(assembled.train, assembled.valid);
    const governor = await GovernorModel.train(fit.x, fit.labels, { validFrom: fit.validFrom, seed: options.seed, ...(options.governorOptions === undefined ? {} : { options: options.governorOptions }), ...(options.signal === undefined ? {} : { signal: options.signal }) });
    try {
      const threshold = options.threshold ?? DEFAULT_DECISION_THRESHOLD;
      const { proba } = await governor.predict(assembled.test.x, threshold);
      const scores = scoreGovernorTest(plan, assembled.test, proba, regime, threshold);
      return { plan, ensembles, governor, data: assembled, scores };
    } catch (error) {
      governor.dispose();
      throw error;
    }
  } catch (error) {
    for (const e of Object.values(ensembles)) e.dispose();
    throw error;
  }
}
