import { GovernorInputError } from '../governor/errors';
import { MIN_REGIME_ROWS } from '../ensemble/RegimeEnsemble';
import type { IndexFold } from '../stacking/outOfFold';

/** Name of the fallback ensemble trained on every regime's rows (used by regimes with too few rows). */
export const POOLED = 'POOLED';

/** Chronological row sets of the governor system: indices into the data, ascending, disjoint, train < valid < test in time. */
export interface GovernorSplit {
  /** Rows the ensembles are trained on, and (through out-of-fold predictions) the governor. */
  readonly train: Int32Array;
  /** Chronologically later rows: the governor's early-stopping slice (never used to fit a model). */
  readonly valid: Int32Array;
  /** The held-out chronological test slice. */
  readonly test: Int32Array;
}

/** How one regime is served: by its own ensemble, or by the pooled fallback. */
export interface RegimePlan {
  readonly regime: string;
  readonly source: 'own' | 'pooled';
  /** The regime's training rows. */
  readonly trainRows: number;
  /** Fewest of the regime's rows in any outer fold's training rows (an own ensemble trains there too). */
  readonly minFoldRows: number;
}

/**
 * One unit of work: an ensemble trained on `fit` rows, predicting `predict` rows. The outer folds'
 * units give the out-of-fold predictions the governor trains on; the `final` unit is the ensemble
 * that is saved, and predicts the later validation and test rows.
 */
export interface EnsembleUnit {
  /** `${ensemble}-fold${k}` or `${ensemble}-final`: unique and stable (used in ids and keys). */
  readonly id: string;
  /** Regime name, or POOLED. */
  readonly ensemble: string;
  readonly fold: number | 'final';
  /** Training rows (indices into the data), ascending. */
  readonly fit: Int32Array;
  /** Rows to predict (indices into the data), ascending. */
  readonly predict: Int32Array;
}

export interface GovernorPlan {
  readonly regimeNames: readonly string[];
  readonly regimes: readonly RegimePlan[];
  /** Ensembles to train: the regimes with their own, then POOLED when some regime falls back. */
  readonly ensembles: readonly string[];
  /** Regime name → the ensemble that serves it (itself or POOLED). */
  readonly sources: Readonly<Record<string, string>>;
  readonly units: readonly EnsembleUnit[];
  readonly outerFolds: number;
  readonly minRows: number;
}

export interface PlanInput {
  /** Primary regime of every data row. */
  readonly regime: readonly string[];
  /** Every regime name, in the governor's one-hot order. */
  readonly regimeNames: readonly string[];
  readonly split: GovernorSplit;
  /** Outer folds over the TRAINING rows: indices into `split.train` (e.g. purged k-fold on their label intervals). */
  readonly outerFolds: readonly IndexFold[];
  /** Fewest rows for an own ensemble; @default MIN_REGIME_ROWS. */
  readonly minRows?: number;
}

/**
 * Plans the regime stage. A regime gets its own ensemble when it has at least `minRows` training
 * rows in the whole training slice AND in every outer fold's training rows (its fold ensembles
 * must be trainable too); otherwise it is served by the pooled ensemble, trained on all regimes'
 * rows. Every ensemble gets one unit per outer fold (fit: the fold's training rows of its regime;
 * predict: ALL rows of the fold's test set, whatever their regime — the governor needs every
 * ensemble's opinion on every row) and one final unit (fit: all its training rows; predict: the
 * validation and test rows).
 */
export function planGovernorTraining(input: PlanInput): GovernorPlan {
  const { regime, regimeNames, split, outerFolds } = input;
  const minRows = input.minRows ?? MIN_REGIME_ROWS;
  if (regimeNames.length === 0) throw new GovernorInputError('planGovernorTraining: no regime names');
  if (new Set(regimeNames).size !== regimeNames.length) throw new GovernorInputError(`planGovernorTraining: regime names repeat: ${regimeNames.join(', ')}`);
  if (regimeNames.includes(POOLED)) throw new GovernorInputError(`planGovernorTraining: '${POOLED}' is reserved for the fallback ensemble`);
  if (outerFolds.length < 2) throw new GovernorInputError(`planGovernorTraining: need at least 2 outer folds, got ${outerFolds.length}`);
  checkSplit(split, regime.length);
  const known = new Set(regimeNames);
  for (const i of split.train) {
    if (!known.has(regime[i]!)) throw new GovernorInputError(`planGovernorTraining: row ${i} has regime '${regime[i]}', not one of ${regimeNames.join(', ')}`);
  }
  for (const [k, fold] of outerFolds.entries()) {
    for (const j of [...fold.train, ...fold.test]) {
      if (!(j >= 0 && j < split.train.length)) throw new GovernorInputError(`planGovernorTraining: outer fold ${k} index ${j} outside the ${split.train.length} training rows`);
    }
  }

  const foldFit = outerFolds.map((f) => Int32Array.from(f.train, (j) => split.train[j]!).sort());
  const foldPredict = outerFolds.map((f) => Int32Array.from(f.test, (j) => split.train[j]!).sort());
  const later = Int32Array.from([...split.valid, ...split.test]);
  const rowsOf = (rows: Int32Array, name: string) => (name === POOLED ? rows : rows.filter((i) => regime[i] === name));

  const regimes: RegimePlan[] = regimeNames.map((name) => {
    const trainRows = rowsOf(split.train, name).length;
    const minFoldRows = Math.min(...foldFit.map((rows) => rowsOf(rows, name).length));
    return { regime: name, source: trainRows >= minRows && minFoldRows >= minRows ? 'own' : 'pooled', trainRows, minFoldRows };
  });
  const ensembles = regimes.filter((r) => r.source === 'own').map((r) => r.regime);
  if (regimes.some((r) => r.source === 'pooled')) ensembles.push(POOLED);
  const sources = Object.fromEntries(regimes.map((r) => [r.regime, r.source === 'own' ? r.regime : POOLED]));

  const units: EnsembleUnit[] = [];
  for (const ensemble of ensembles) {
    foldFit.forEach((fit, k) => units.push({ id: `${ensemble}-fold${k}`, ensemble, fold: k, fit: rowsOf(fit, ensemble), predict: foldPredict[k]! }));
    units.push({ id: `${ensemble}-final`, ensemble, fold: 'final', fit: rowsOf(split.train, ensemble), predict: later });
  }
  if (ensembles.includes(POOLED) && split.train.length < minRows) {
    throw new GovernorInputError(`planGovernorTraining: only ${split.train.length} training rows in all regimes together; the pooled ensemble needs at least ${minRows}`);
  }
  return { regimeNames: [...regimeNames], regimes, ensembles, sources, units, outerFolds: outerFolds.length, minRows };
}

function checkSplit(split: GovernorSplit, n: number): void {
  const seen = new Uint8Array(n);
  let last = -1;
  for (const name of ['train', 'valid', 'test'] as const) {
    const rows = split[name];
    if (rows.length === 0) throw new GovernorInputError(`planGovernorTraining: the ${name} slice is empty`);
    for (const i of rows) {
      if (!(i >= 0 && i < n)) throw new GovernorInputError(`planGovernorTraining: ${name} row ${i} outside 0..${n - 1}`);
      if (i <= last) throw new GovernorInputError(`planGovernorTraining: ${name} row ${i} is not after row ${last}; slices must be ascending and train < valid < test`);
      if (seen[i]) throw new GovernorInputError(`planGovernorTraining: row ${i} is in two slices`);
      seen[i] = 1;
      last = i;
    }
  }
}
