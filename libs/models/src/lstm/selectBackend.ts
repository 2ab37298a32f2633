import * as tf from '@tensorflow/tfjs';
import { initTensorFlow } from '../tf/initTensorFlow';
import { LstmLoadError } from './errors';
import { useFastTransposedMatMul } from './wasmMatMul';

/**
 * A TensorFlow.js backend: 'auto' is initTensorFlow's choice (tfjs-node when loadable, else wasm);
 * 'wasm' needs tfjs-node to be absent (initTensorFlow registers wasm only then); 'cpu' is the
 * pure-JS backend bundled with @tensorflow/tfjs (slow, for comparison).
 */
export type LstmBackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface SelectedBackend {
  backend: string;
  /** Why this backend (initTensorFlow's note when tfjs-node was not loadable; the wasm kernel fix). */
  notes: string[];
}

/** Initialises TensorFlow.js and makes `requested` the active backend (process-wide: tfjs has one). */
export async function selectBackend(requested: LstmBackendChoice): Promise<SelectedBackend> {
  const auto = await initTensorFlow();
  const notes = requested === 'auto' && auto.note !== undefined ? [auto.note] : [];
  if (requested !== 'auto' && tf.getBackend() !== requested) {
    const unavailable = (cause?: unknown): LstmLoadError =>
      new LstmLoadError(
        `TensorFlow.js backend '${requested}' is not available (registered: ${Object.keys(tf.engine().registryFactory).join(', ')}${auto.note === undefined ? '' : `; ${auto.note}`})`,
        cause === undefined ? undefined : { cause },
      );
    let set: boolean;
    try {
      set = await tf.setBackend(requested);
    } catch (err) {
      throw unavailable(err);
    }
    if (!set) throw unavailable();
    await tf.ready();
  }
  const backend = tf.getBackend();
  if (backend === 'wasm' && useFastTransposedMatMul()) notes.push('wasm BatchMatMul: transposed operands are transposed explicitly to stay on XNNPACK (see wasmMatMul.ts)');
  return { backend, notes };
}
