/**
 * XGBoost behind the Model interface: koffi bindings to libxgboost, training on a worker thread
 * with early stopping in the binding, JSON model files that XGBoost's Python package loads as is.
 *
 * ```ts
 * import { XGBoostModel } from './xgboost';
 *
 * const model = await XGBoostModel.create({ nEstimators: 400, learningRate: 0.05, classWeight: 'balanced', seed: 7 });
 * const report = await model.fit(train, valid, { onProgress: ({ iteration, validMetric }) => heartbeat({ iteration, validMetric }) });
 * const proba = await model.predictProba(test.x); // rows × 3, rounds [0, report.bestIteration + 1)
 * const saved = model.save(); // files['model.json'], state { params, bestIteration, numClass, columns }
 * model.dispose();
 * const again = await XGBoostModel.load(saved); // predicts bit-identically
 * ```
 */
export { XGBoostModel, MODEL_FILE, type XGBoostDeps } from './XGBoostModel';
export { XGBoostOptionsSchema, compileXGBoostOptions, type CompiledXGBoostOptions, type XGBoostOptions } from './XGBoostOptions';
export type { FitControl } from './runTrainingWorker';
export type { TrainingProgress } from './trainBooster';
export { ModelStateError, TrainingCancelledError, TrainingWorkerError, XGBoostError } from './errors';
