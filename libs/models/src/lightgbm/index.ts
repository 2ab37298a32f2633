/**
 * LightGBM models for @ares/models: gradient boosting and random forests (LightGBM's `rf` mode)
 * for the 3-class trading labels, trained in a worker thread over the C API.
 *
 * ```ts
 * import { LightGBMModel, createRandomForest } from './lightgbm';
 *
 * const model = await LightGBMModel.create({ numIterations: 500, learningRate: 0.05, classWeight: 'balanced', numThreads: 2 });
 * try {
 *   const report = await model.fit(train, valid, { onProgress: (round, logloss) => heartbeat({ round, logloss }) });
 *   const proba = await model.predictProba(test.x); // rows × 3
 *   const saved = model.save(); // { files: { 'model.txt' }, state, library }
 * } finally {
 *   model.dispose();
 * }
 * const forest = await createRandomForest({ numIterations: 300 }); // type 'random_forest'
 * ```
 */
export { LightGBMModel, type LightGBMFitOptions, type LightGBMLibraryLocation, type LightGBMModelType } from './LightGBMModel';
export { createRandomForest, RANDOM_FOREST_DEFAULTS } from './createRandomForest';
export { compileLightGBMOptions, lightgbmParams, LightGBMOptionsSchema, type CompiledLightGBMOptions, type LightGBMOptions } from './LightGBMOptions';
export { LightGBMError, ModelStateError, TrainingCancelledError } from './errors';
export { classWeights, rowWeights } from './trainingInput';
