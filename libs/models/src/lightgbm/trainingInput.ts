import { InvalidInputError } from '@ares/data';
import type { Matrix, TrainingSet } from '../core/Model';
import type { CompiledLightGBMOptions } from './LightGBMOptions';
import type { NativeDataset } from './trainProtocol';

/** Classes 0..2 (labels −1/0/1, see core/labelMap.ts). */
export const NUM_CLASS = 3;

/** Throws unless data holds rows × cols values and columns names each of the cols. */
export function checkMatrix(x: Matrix, what: string): void {
  if (!Number.isInteger(x.rows) || x.rows < 1 || !Number.isInteger(x.cols) || x.cols < 1) throw new InvalidInputError(`${what} has ${x.rows} rows × ${x.cols} columns; both must be positive integers`);
  if (x.data.length !== x.rows * x.cols) throw new InvalidInputError(`${what}.data has ${x.data.length} values; expected rows × cols = ${x.rows} × ${x.cols} = ${x.rows * x.cols}`);
  if (x.columns.length !== x.cols) throw new InvalidInputError(`${what} has ${x.columns.length} column names for ${x.cols} columns`);
}

/**
 * Checks a training or validation set and copies it into the arrays LightGBM takes (row-major
 * float32 features, float32 labels, float32 weights). The copies are fresh buffers the caller can
 * transfer to the worker without detaching anything of the caller's.
 */
export function toNativeDataset(set: TrainingSet, what: string, classWeight?: CompiledLightGBMOptions['classWeight']): NativeDataset {
  const { x, y, weight } = set;
  checkMatrix(x, `${what}.x`);
  if (y.length !== x.rows) throw new InvalidInputError(`${what}.y has ${y.length} labels for ${x.rows} rows`);
  const label = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (c !== 0 && c !== 1 && c !== 2) throw new InvalidInputError(`${what}.y at row ${i} is ${c}; class indices must be 0, 1 or 2 (labelsToClasses maps −1/0/1)`);
    label[i] = c;
  }
  if (weight) checkWeights(weight, x.rows, what);
  const rowWeight = classWeight ? rowWeights(y, classWeight, weight) : weight?.slice();
  return { data: x.data.slice(), rows: x.rows, cols: x.cols, label, ...(rowWeight ? { weight: rowWeight } : {}) };
}

/** Per-class weights: 'balanced' gives class c the weight n / (3 · n_c) (scikit-learn's formula); absent classes get 0. */
export function classWeights(y: Int32Array, classWeight: 'balanced' | readonly number[]): Float64Array {
  if (classWeight !== 'balanced') return Float64Array.from(classWeight);
  const counts = new Float64Array(NUM_CLASS);
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  return counts.map((n) => (n > 0 ? y.length / (NUM_CLASS * n) : 0));
}

/** Per-row weights: the class weight of each row's class times the row's own weight (1 when none is given). */
export function rowWeights(y: Int32Array, classWeight: 'balanced' | readonly number[], weight?: Float32Array): Float32Array {
  const byClass = classWeights(y, classWeight);
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = byClass[y[i]!]! * (weight ? weight[i]! : 1);
  return out;
}

function checkWeights(weight: Float32Array, rows: number, what: string): void {
  if (weight.length !== rows) throw new InvalidInputError(`${what}.weight has ${weight.length} values for ${rows} rows`);
  for (let i = 0; i < weight.length; i++) {
    const w = weight[i]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new InvalidInputError(`${what}.weight at row ${i} is ${w}; weights must be finite and >= 0`);
  }
}
