import { dirname } from 'node:path';

/** Which TensorFlow.js backend is in use. */
export interface TensorFlowBackend {
  backend: string;
  /** Why the native backend was not used, when it was not. */
  note?: string;
}

/**
 * Picks the TensorFlow.js backend: `@tensorflow/tfjs-node` (native) when it can be loaded, else the
 * WebAssembly backend, which installs from npm alone (tfjs-node's install downloads libtensorflow,
 * which this project's machines cannot reach). Verifies the backend with a small computation.
 */
export async function initTensorFlow(): Promise<TensorFlowBackend> {
  let note: string | undefined;
  try {
    // Optional dependency: absent unless a deployment installs it.
    require('@tensorflow/tfjs-node');
  } catch (err) {
    note = `@tensorflow/tfjs-node not loadable (${(err as Error).message.split('\n')[0]}); using WebAssembly`;
  }
  const tf = await import('@tensorflow/tfjs');
  if (note) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js could not initialise the wasm backend');
  }
  await tf.ready();
  const sum = tf.tidy(() => tf.tensor1d([1, 2, 3]).sum().dataSync()[0]);
  if (sum !== 6) throw new Error(`TensorFlow.js backend ${tf.getBackend()} computed 1+2+3 = ${sum}`);
  return { backend: tf.getBackend(), ...(note ? { note } : {}) };
}
