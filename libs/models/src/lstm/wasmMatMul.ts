import * as tf from '@tensorflow/tfjs';

const KERNEL = 'BatchMatMul';
const BACKEND = 'wasm';

let stock: tf.KernelConfig | undefined;

interface WasmBackendLike {
  disposeData(dataId: tf.DataId): void;
}

/**
 * Why this exists: tfjs-backend-wasm 4.22 runs BatchMatMul through XNNPACK only when neither
 * operand is transposed; with transposeA or transposeB it falls back to a scalar loop, measured
 * ~8× slower here (256×64 · 64×256: 1.1 ms untransposed, 9.4–9.6 ms transposed). Backprop through
 * every matmul needs transposed products (dA = dY·Bᵀ, dB = Aᵀ·dY), so LSTM training spent over half
 * its time in that loop. This re-registers the wasm BatchMatMul kernel to transpose the operand
 * explicitly (the wasm Transpose kernel) and call the stock kernel untransposed: the same product,
 * ~3× faster LSTM training (bench/lstm.bench.ts).
 *
 * Process-wide (tfjs keeps one kernel registry) and idempotent; a no-op until the wasm backend is
 * registered. Forward passes never transpose, so inference is unchanged.
 */
export function useFastTransposedMatMul(): boolean {
  if (stock !== undefined) return true;
  const original = tf.getKernel(KERNEL, BACKEND) as tf.KernelConfig | undefined;
  const transpose = tf.getKernel('Transpose', BACKEND) as tf.KernelConfig | undefined;
  if (original === undefined || transpose === undefined) return false;
  stock = original;
  const kernelFunc: tf.KernelFunc = (args) => {
    const attrs = args.attrs ?? {};
    if (!attrs['transposeA'] && !attrs['transposeB']) return original.kernelFunc(args);
    const backend = args.backend as WasmBackendLike;
    const swapLastTwo = (x: tf.TensorInfo): tf.TensorInfo => {
      const rank = x.shape.length;
      const perm = [...Array(rank).keys()];
      [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
      return transpose.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
    };
    const a = attrs['transposeA'] ? swapLastTwo(args.inputs['a']!) : args.inputs['a']!;
    const b = attrs['transposeB'] ? swapLastTwo(args.inputs['b']!) : args.inputs['b']!;
    try {
      return original.kernelFunc({ inputs: { a, b }, backend: args.backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      if (a !== args.inputs['a']) backend.disposeData(a.dataId);
      if (b !== args.inputs['b']) backend.disposeData(b.dataId);
    }
  };
  tf.unregisterKernel(KERNEL, BACKEND);
  tf.registerKernel({ ...original, kernelFunc });
  return true;
}

/** Puts the stock wasm BatchMatMul kernel back (for the benchmark's comparison and tests). */
export function useStockMatMul(): void {
  if (stock === undefined) return;
  tf.unregisterKernel(KERNEL, BACKEND);
  tf.registerKernel(stock);
  stock = undefined;
}
