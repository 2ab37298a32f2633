import type { Matrix } from '@ares/models';
import { StackingInputError } from './errors';

/** Suffixes of the meta-feature columns, in class order 0..2 (down, flat, up). */
export const META_SUFFIXES = ['p_down', 'p_flat', 'p_up'] as const;

export interface StackedFeatures {
  /** Rows kept × (3 × base models); columns `${name}_p_down`, `${name}_p_flat`, `${name}_p_up` per base model. */
  readonly x: Matrix;
  /** Indices (into the original rows) of the rows kept, ascending: those with finite probabilities from every base model. */
  readonly rows: Int32Array;
}

/**
 * Meta-learner features from base-model probabilities (rows × 3 each, normally out-of-fold from
 * `outOfFoldProbabilities`). Keeps only rows every base model covered (no NaN); select the labels
 * with the returned `rows`.
 */
export function stackFeatures(probabilities: readonly Float64Array[], names: readonly string[]): StackedFeatures {
  if (probabilities.length === 0) throw new StackingInputError('stackFeatures: no base models');
  if (probabilities.length !== names.length) throw new StackingInputError(`stackFeatures: ${probabilities.length} probability matrices for ${names.length} names`);
  const total = probabilities[0]!.length;
  if (total % 3 !== 0) throw new StackingInputError(`stackFeatures: length ${total} is not rows × 3`);
  probabilities.forEach((p, m) => {
    if (p.length !== total) throw new StackingInputError(`stackFeatures: '${names[m]}' has ${p.length / 3} rows, '${names[0]}' has ${total / 3}`);
  });
  const n = total / 3;
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (const p of probabilities) for (let c = 0; c < 3 && ok; c++) ok = Number.isFinite(p[i * 3 + c]!);
    if (ok) kept.push(i);
  }
  const cols = 3 * probabilities.length;
  const data = new Float32Array(kept.length * cols);
  kept.forEach((i, r) => {
    probabilities.forEach((p, m) => {
      for (let c = 0; c < 3; c++) data[r * cols + m * 3 + c] = p[i * 3 + c]!;
    });
  });
  const columns = names.flatMap((name) => META_SUFFIXES.map((s) => `${name}_${s}`));
  return { x: { rows: kept.length, cols, data, columns }, rows: Int32Array.from(kept) };
}
