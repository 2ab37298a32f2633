import type { CompiledXGBoostOptions } from './XGBoostOptions';

/**
 * Per-row training weights: the class weight of each row's class times the row's own weight.
 * Undefined when neither is given (XGBoost then weighs every row 1).
 *
 * 'balanced' is scikit-learn's `compute_class_weight('balanced')`: n / (k · n_c), so every class
 * carries the same total weight. Classes absent from `y` get no weight (no row uses it).
 */
export function rowWeights(y: Int32Array, numClass: number, classWeight: CompiledXGBoostOptions['classWeight'], weight?: Float32Array): Float32Array | undefined {
  if (classWeight === undefined) return weight;
  const perClass = classWeight === 'balanced' ? balancedClassWeights(y, numClass) : Float64Array.from(classWeight);
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = perClass[y[i]!]! * (weight ? weight[i]! : 1);
  return out;
}

/** n / (k · n_c) per class; 0 for a class with no rows. */
export function balancedClassWeights(y: Int32Array, numClass: number): Float64Array {
  const counts = new Float64Array(numClass);
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  return counts.map((count) => (count > 0 ? y.length / (numClass * count) : 0));
}
