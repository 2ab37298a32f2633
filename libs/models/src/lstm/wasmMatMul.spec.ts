import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './selectBackend';
import { useFastTransposedMatMul, useStockMatMul } from './wasmMatMul';

const cases: [string, number[], number[], boolean, boolean][] = [
  ['A·B', [37, 19], [19, 23], false, false],
  ['Aᵀ·B', [19, 37], [19, 23], true, false],
  ['A·Bᵀ', [37, 19], [23, 19], false, true],
  ['Aᵀ·Bᵀ', [19, 37], [23, 19], true, true],
  ['batched Aᵀ·B', [3, 19, 37], [3, 19, 23], true, false],
  ['broadcast A·Bᵀ', [3, 37, 19], [1, 23, 19], false, true],
];

function products(): Float32Array[] {
  // Seeds from 1: tf.randomNormal treats a seed of 0 as unseeded.
  return cases.map(([, aShape, bShape, ta, tb], k) =>
    tf.tidy(() => tf.matMul(tf.randomNormal(aShape, 0, 1, 'float32', 1 + k), tf.randomNormal(bShape, 0, 1, 'float32', 100 + k), ta, tb).dataSync() as Float32Array),
  );
}

test('the wasm matmul fix computes the same products as the stock kernel, without leaking', async () => {
  const { backend } = await selectBackend('auto');
  if (backend !== 'wasm') return; // the fix only concerns the wasm backend
  useStockMatMul();
  const stock = products();
  expect(useFastTransposedMatMul()).toBe(true);
  const dataIds = tf.engine().backend.numDataIds();
  const fast = products();
  expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  cases.forEach(([name], k) => {
    // Same math through XNNPACK instead of the scalar loop: the summation order may differ.
    const worst = stock[k]!.reduce((m, v, i) => Math.max(m, Math.abs(v - fast[k]![i]!) / Math.max(1, Math.abs(v))), 0);
    expect({ name, worst: worst < 1e-6 }).toEqual({ name, worst: true });
  });
});
