/**
 * Preprocessing for one training fold: standard scaling and class balancing (random
 * undersampling, SMOTE), each fitted on the training rows only.
 *
 * ```ts
 * import { prepareTrainingFold, StandardScaler } from './preprocessing';
 *
 * const fold = prepareTrainingFold(train, valid, { scale: true, balance: 'smote', seed: 7 });
 * await model.fit(fold.train, fold.valid);
 * const scaler = StandardScaler.fromJSON(fold.scaler!.toJSON()); // as a bundle restores it
 * ```
 */
export {
  ColumnMismatchError,
  EmptyFitWindowError,
  InsufficientSamplesError,
  InvalidPreprocessingOptionsError,
  InvalidScalerStateError,
  InvalidTrainingSetError,
  NonFiniteFeatureError,
} from './errors';
export { PrepareTrainingFoldOptionsSchema, prepareTrainingFold, type PrepareTrainingFoldOptions, type PreparedFold } from './prepareTrainingFold';
export {
  SmoteOptionsSchema,
  UndersampleOptionsSchema,
  randomUndersample,
  smote,
  type SamplingReport,
  type SamplingResult,
  type SmoteOptions,
  type UndersampleOptions,
} from './sampling';
export { StandardScaler, StandardScalerStateSchema, type StandardScalerState } from './StandardScaler';
export { CLASS_COUNT, classCounts, selectColumns, selectRows } from './trainingSet';
export { earlyStoppingHoldout, type EarlyStoppingHoldout, type EarlyStoppingHoldoutOptions } from './earlyStoppingHoldout';
export { fitWithEarlyStopping, isEarlyStopped, labelTimesOf, type LabelTimes } from './fitWithEarlyStopping';
