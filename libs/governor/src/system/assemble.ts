import type { Matrix } from '@ares/models';
import { GovernorInputError } from '../governor/errors';
import { governorFeatures } from '../governor/features';
import { GOVERNOR_LABELS } from '../governor/GovernorModel';
import type { GovernorPlan, GovernorSplit } from './plan';

const K = 3;

/** Governor rows of one slice: features, trading labels −1/0/1, and the data rows they came from. */
export interface GovernorSlice {
  readonly x: Matrix;
  readonly labels: Int8Array;
  readonly rows: Int32Array;
  /** Per regime name, its source ensemble's probabilities on these rows (rows × 3). */
  readonly ensembleProba: Readonly<Record<string, Float64Array>>;
}

export interface GovernorData {
  /** Training rows with out-of-fold ensemble outputs (rows in no outer test fold are left out). */
  readonly train: GovernorSlice;
  /** Validation rows (final ensembles' outputs; chronologically after train): early stopping only. */
  readonly valid: GovernorSlice;
  /** Test rows (final ensembles' outputs): held out. */
  readonly test: GovernorSlice;
}

/**
 * Builds the governor's data from the units' predictions (`unitProba[unit.id]`: unit.predict rows ×
 * 3). Training rows get each ensemble's OUT-OF-FOLD output (from the fold unit whose test set held
 * the row); validation and test rows get the final ensembles' outputs. `classes[i]` is data row i's
 * class index 0..2 (down, flat, up).
 */
export function assembleGovernorData(plan: GovernorPlan, split: GovernorSplit, unitProba: Readonly<Record<string, Float64Array>>, regime: readonly string[], classes: ArrayLike<number>): GovernorData {
  const n = regime.length;
  if (classes.length !== n) throw new GovernorInputError(`assembleGovernorData: ${classes.length} labels for ${n} rows`);
  const full = new Map<string, Float64Array>();
  for (const ensemble of plan.ensembles) full.set(ensemble, new Float64Array(n * K).fill(Number.NaN));
  for (const unit of plan.units) {
    const proba = unitProba[unit.id];
    if (proba === undefined) throw new GovernorInputError(`assembleGovernorData: no predictions for unit '${unit.id}'`);
    if (proba.length !== unit.predict.length * K) throw new GovernorInputError(`assembleGovernorData: unit '${unit.id}' has ${proba.length} probabilities for ${unit.predict.length} rows`);
    const out = full.get(unit.ensemble)!;
    unit.predict.forEach((row, r) => out.set(proba.subarray(r * K, (r + 1) * K), row * K));
  }
  const slice = (rows: Int32Array): GovernorSlice => {
    const ensembleProba: Record<string, Float64Array> = {};
    for (const name of plan.regimeNames) {
      const src = full.get(plan.sources[name]!)!;
      const p = new Float64Array(rows.length * K);
      rows.forEach((row, r) => p.set(src.subarray(row * K, (row + 1) * K), r * K));
      ensembleProba[name] = p;
    }
    const feats = governorFeatures({ regime: Array.from(rows, (i) => regime[i]!), ensembleProba }, plan.regimeNames);
    const kept = Int32Array.from(feats.rows, (r) => rows[r]!);
    const keptProba: Record<string, Float64Array> = {};
    for (const [name, p] of Object.entries(ensembleProba)) {
      const q = new Float64Array(kept.length * K);
      feats.rows.forEach((r, j) => q.set(p.subarray(r * K, (r + 1) * K), j * K));
      keptProba[name] = q;
    }
    const labels = Int8Array.from(kept, (i) => {
      const label = GOVERNOR_LABELS[classes[i]!];
      if (label === undefined) throw new GovernorInputError(`assembleGovernorData: row ${i} has class ${classes[i]}; classes must be 0, 1 or 2`);
      return label;
    });
    return { x: feats.x, labels, rows: kept, ensembleProba: keptProba };
  };
  const data = { train: slice(split.train), valid: slice(split.valid), test: slice(split.test) };
  for (const name of ['valid', 'test'] as const) {
    if (data[name].rows.length !== split[name].length) throw new GovernorInputError(`assembleGovernorData: ${split[name].length - data[name].rows.length} ${name} rows lack a final ensemble prediction`);
  }
  return data;
}

/** Concatenates two slices' matrices (train then valid) for GovernorModel.train (validFrom = train rows). */
export function stackSlices(a: GovernorSlice, b: GovernorSlice): { x: Matrix; labels: Int8Array; validFrom: number } {
  if (a.x.cols !== b.x.cols) throw new GovernorInputError(`stackSlices: ${a.x.cols} vs ${b.x.cols} columns`);
  const data = new Float32Array((a.x.rows + b.x.rows) * a.x.cols);
  data.set(a.x.data, 0);
  data.set(b.x.data, a.x.data.length);
  const labels = new Int8Array(a.labels.length + b.labels.length);
  labels.set(a.labels, 0);
  labels.set(b.labels, a.labels.length);
  return { x: { rows: a.x.rows + b.x.rows, cols: a.x.cols, data, columns: [...a.x.columns] }, labels, validFrom: a.x.rows };
}
