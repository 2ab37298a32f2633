/**
 * @ares/models — the model layer: one Model interface over LightGBM, XGBoost (native, via koffi),
 * random forest and an LSTM (TensorFlow.js); preprocessing fitted on training rows only; metrics;
 * versioned model bundles.
 *
 * ```ts
 * import { prepareTrainingFold, evaluate, saveBundle } from '@ares/models';
 *
 * const { train, valid, scaler } = prepareTrainingFold(trainRows, validRows, { scale: true, balance: 'smote', seed: 7 });
 * const report = evaluate(yTest, await model.predictProba(xTest));
 * ```
 */
export { argmaxRows, type FitCheckpointStore, type FitReport, type ModelFitControl, type ImportanceType, type Matrix, type Model, type SavedModel, type TrainingSet } from './core/Model';
export { profiler, Profiler, type ProfileEntry, type ProfileTotals } from './core/profile';
export { trainingThreads, TrainingThreadPool } from './native/TrainingThreadPool';
export { classesToLabels, LABELS, labelsToClasses, type TradingLabel } from './core/labelMap';
export { bundlePrefix, codeVersion, loadBundle, saveBundle, selectTrainedColumns } from './bundle/bundleStore';
export { BUNDLE_VERSION, MODEL_TYPES, ModelManifestSchema, type ModelManifest, type ModelType } from './bundle/ModelManifest';
export { loadTrainingData, type TrainingData } from './data/loadTrainingData';
export { BundleError, MissingFeatureError, ModelStateError, TrainingCancelledError, UnknownModelTypeError } from './errors';
export * from './metrics';
export * from './preprocessing';
export { probeLightGBM, probeXGBoost, type NativeLibraryInfo } from './native/loadNativeLibraries';
export { initTensorFlow, type TensorFlowBackend } from './tf/initTensorFlow';
export { createModel, loadModel, parseModelType } from './createModel';
export { applyRegularization, DEFAULT_REGULARIZATION, parseRegularization, RegularizationConfigSchema, type RegularizationConfig } from './regularization';
export { createRandomForest, LightGBMError, LightGBMModel, type LightGBMOptions } from './lightgbm';
export { LstmModel, type LstmOptions } from './lstm';
export { TrainingWorkerError, XGBoostError, XGBoostModel, type XGBoostOptions } from './xgboost';
