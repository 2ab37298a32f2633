import type { CompiledLstmOptions } from './LstmOptions';

const CLASSES = 3;

/**
 * The class-weight vector for the labels of the training sequences: 'balanced' is scikit-learn's
 * n / (3 · n_c) (a class without sequences gets 0: it contributes nothing either way); a tuple is
 * used as given; unset is all ones.
 */
export function classWeightVector(classWeight: CompiledLstmOptions['classWeight'], labels: ArrayLike<number>): number[] {
  if (classWeight === undefined) return [1, 1, 1];
  if (classWeight !== 'balanced') return [...classWeight];
  const counts = new Array<number>(CLASSES).fill(0);
  for (let k = 0; k < labels.length; k++) counts[labels[k]!]! += 1;
  return counts.map((n) => (n === 0 ? 0 : labels.length / (CLASSES * n)));
}

/**
 * One weight per training sequence: its class weight times the row weight of its last bar (the
 * row the sequence and its label belong to).
 */
export function sequenceSampleWeights(labels: Int32Array, ends: Int32Array, rowWeight: Float32Array | undefined, classWeights: readonly number[]): Float32Array {
  const out = new Float32Array(ends.length);
  for (let k = 0; k < ends.length; k++) {
    out[k] = classWeights[labels[k]!]! * (rowWeight === undefined ? 1 : rowWeight[ends[k]!]!);
  }
  return out;
}

/** Labels of the sequences ending at `ends` (y[i] belongs to the sequence ending at row i). */
export function sequenceLabels(y: Int32Array, ends: Int32Array): Int32Array {
  const out = new Int32Array(ends.length);
  for (let k = 0; k < ends.length; k++) out[k] = y[ends[k]!]!;
  return out;
}
