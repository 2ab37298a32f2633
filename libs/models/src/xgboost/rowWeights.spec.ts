import { balancedClassWeights, rowWeights } from './rowWeights';

test("'balanced' is n / (k · n_c), scikit-learn's formula", () => {
  // 6 rows: class 0 ×1, class 1 ×2, class 2 ×3 → 6/3, 6/6, 6/9.
  const y = Int32Array.from([0, 1, 1, 2, 2, 2]);
  expect(Array.from(balancedClassWeights(y, 3))).toEqual([2, 1, 6 / 9]);
  expect(Array.from(rowWeights(y, 3, 'balanced')!)).toEqual(Array.from(Float32Array.from([2, 1, 1, 6 / 9, 6 / 9, 6 / 9])));
});

test('per-class weights multiply the row weights', () => {
  const y = Int32Array.from([0, 2, 1]);
  const weight = Float32Array.from([0.5, 2, 1]);
  expect(Array.from(rowWeights(y, 3, [4, 1, 3], weight)!)).toEqual([2, 6, 1]);
});

test('no class weights: the row weights (or none) pass through', () => {
  const weight = Float32Array.from([1, 2]);
  expect(rowWeights(Int32Array.from([0, 1]), 3, undefined, weight)).toBe(weight);
  expect(rowWeights(Int32Array.from([0, 1]), 3, undefined)).toBeUndefined();
});
