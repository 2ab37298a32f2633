import { InvalidInputError } from '@ares/data';
import { classWeights, rowWeights, toNativeDataset } from './trainingInput';

const x = { rows: 4, cols: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), columns: ['a', 'b'] };

test("'balanced' class weights are n / (3 · n_c), scikit-learn's formula", () => {
  // 6 rows: 3 of class 0, 2 of class 1, 1 of class 2 → 6/9, 6/6, 6/3.
  expect(Array.from(classWeights(Int32Array.from([0, 0, 0, 1, 1, 2]), 'balanced'))).toEqual([6 / 9, 1, 2]);
  expect(Array.from(classWeights(Int32Array.from([0, 0]), 'balanced'))).toEqual([1 / 3, 0, 0]); // absent classes weigh 0; k stays 3
});

test('row weights are the class weight times the given row weight', () => {
  const w = rowWeights(Int32Array.from([0, 2, 1]), [1, 2, 3], Float32Array.from([0.5, 2, 1]));
  expect(Array.from(w)).toEqual([0.5, 6, 2]);
});

test('toNativeDataset copies features, converts labels to float32 and never aliases the input', () => {
  const set = { x, y: Int32Array.from([0, 1, 2, 1]), weight: Float32Array.from([1, 1, 2, 1]) };
  const native = toNativeDataset(set, 'train');
  expect(native.data).toEqual(x.data);
  expect(native.data.buffer).not.toBe(x.data.buffer);
  expect(Array.from(native.label)).toEqual([0, 1, 2, 1]);
  expect(native.weight!.buffer).not.toBe(set.weight.buffer);
  expect(Array.from(toNativeDataset(set, 'train', 'balanced').weight!)).toEqual([4 / 3, 2 / 3, 2 * (4 / 3), 2 / 3].map(Math.fround));
});

test('bad labels, weights and shapes are named with their row and value', () => {
  expect(() => toNativeDataset({ x, y: Int32Array.from([0, 1, 3, 1]) }, 'train')).toThrow(new InvalidInputError('train.y at row 2 is 3; class indices must be 0, 1 or 2 (labelsToClasses maps −1/0/1)'));
  expect(() => toNativeDataset({ x, y: Int32Array.from([0, 1, 2]) }, 'train')).toThrow(/train.y has 3 labels for 4 rows/);
  expect(() => toNativeDataset({ x, y: Int32Array.from([0, 1, 2, 1]), weight: Float32Array.from([1, NaN, 1, 1]) }, 'valid')).toThrow(/valid.weight at row 1 is NaN/);
  expect(() => toNativeDataset({ x: { ...x, rows: 3 }, y: Int32Array.from([0, 1, 2]) }, 'train')).toThrow(/train.x.data has 8 values; expected rows × cols = 3 × 2 = 6/);
});
