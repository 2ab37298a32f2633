/**
 * @ares/models — the model layer. Today: loading the native LightGBM/XGBoost libraries through
 * koffi and choosing the TensorFlow.js backend (used by `ares doctor`).
 *
 * ```ts
 * import { probeLightGBM, probeXGBoost, initTensorFlow } from '@ares/models';
 * console.log(probeXGBoost().version, (await initTensorFlow()).backend);
 * ```
 */
export { probeLightGBM, probeXGBoost, type NativeLibraryInfo } from './native/loadNativeLibraries';
export { initTensorFlow, type TensorFlowBackend } from './tf/initTensorFlow';
