import { classWeightVector, sequenceLabels, sequenceSampleWeights } from './sampleWeights';

test("'balanced' is n / (3 · n_c) over the training sequences (scikit-learn's formula)", () => {
  const labels = Int32Array.from([0, 1, 1, 2, 2, 2, 2, 2]); // counts 1, 2, 5 of n = 8
  expect(classWeightVector('balanced', labels)).toEqual([8 / 3, 8 / 6, 8 / 15]);
  expect(classWeightVector('balanced', Int32Array.from([1, 1]))).toEqual([0, 1 / 3, 0]) // n = 2, n_1 = 2: 2 / (3 · 2);
  expect(classWeightVector(undefined, labels)).toEqual([1, 1, 1]);
  expect(classWeightVector([5, 1, 2], labels)).toEqual([5, 1, 2]);
});

test("a sequence takes its last row's label and row weight, times its class weight", () => {
  const y = Int32Array.from([2, 2, 0, 1, 2]);
  const ends = Int32Array.from([2, 3, 4]);
  const labels = sequenceLabels(y, ends);
  expect(Array.from(labels)).toEqual([0, 1, 2]);
  const rowWeight = Float32Array.from([9, 9, 0.5, 1, 2]);
  expect(Array.from(sequenceSampleWeights(labels, ends, rowWeight, [4, 1, 3]))).toEqual([2, 1, 6]);
  expect(Array.from(sequenceSampleWeights(labels, ends, undefined, [4, 1, 3]))).toEqual([4, 1, 3]);
});
