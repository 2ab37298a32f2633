/**
 * The LSTM model (type key 'lstm') on TensorFlow.js: tfjs-node when loadable, else WebAssembly.
 *
 * ```ts
 * import { LstmModel } from './lstm';
 *
 * const model = await LstmModel.create({ sequenceLength: 32, units: [64, 32], classWeight: 'balanced' });
 * const report = await model.fit(train, valid); // early stopping on val_loss, best epoch restored
 * const proba = await model.predictProba(test.x); // rows × 3; the first 31 rows are NaN
 * const saved = model.save(); // files model.json + weights.bin, state, library (with the backend)
 * const again = await LstmModel.load(saved); // predicts bit-identically on the same backend
 * model.dispose();
 * ```
 */
export { compileLstmOptions, LstmOptionsSchema, type CompiledLstmOptions, type LstmOptions, type ReduceLrOnPlateauOptions } from './LstmOptions';
export { LSTM_MODEL_TYPE, LstmModel, LstmStateSchema, type LstmFitReport, type LstmModelDeps, type LstmState } from './LstmModel';
export type { LstmEpochLog } from './trainNetwork';
export type { LstmBackendChoice } from './selectBackend';
export { LstmLoadError, LstmModelStateError, LstmTrainingError, NonFiniteSequenceError, SequenceInputError } from './errors';
