/**
 * @ares/governor — per-regime ensembles: base models stacked under a meta-learner. The meta-learner
 * is trained on OUT-OF-FOLD base-model probabilities only (in-sample ones of a memorising base
 * model look like the labels, and the meta-learner learns to trust them). Folds come from the caller
 * (e.g. @ares/validation's purged splits) as row-index arrays.
 *
 * ```ts
 * import { outOfFoldProbabilities, stackFeatures } from '@ares/governor';
 *
 * const oof = await outOfFoldProbabilities(train, folds, [
 *   { name: 'lgbm', type: 'lightgbm', options: { numIterations: 200 } },
 *   { name: 'xgb', type: 'xgboost', options: { nEstimators: 200 } },
 * ], { seed: 7 });
 * const meta = stackFeatures(oof.probabilities, oof.names); // meta.x, labels: meta.rows.map((i) => train.y[i])
 * ```
 */
export { StackingInputError } from './stacking/errors';
export { META_SUFFIXES, stackFeatures, type StackedFeatures } from './stacking/metaFeatures';
export { outOfFoldProbabilities, type BaseModelSpec, type IndexFold, type ModelFactory, type OofCheckpoint, type OutOfFoldOptions, type OutOfFoldResult } from './stacking/outOfFold';
export { InsufficientRegimeRowsError } from './ensemble/errors';
export {
  DEFAULT_BASE_MODELS,
  DEFAULT_META_MODEL,
  MIN_META_ROWS,
  MIN_REGIME_ROWS,
  RegimeEnsemble,
  RegimeEnsembleManifestSchema,
  type EnsemblePrediction,
  type MetaModelSpec,
  type RegimeEnsembleManifest,
  type RegimeEnsembleOptions,
  type RegimeEnsembleReport,
  type SavedRegimeEnsemble,
} from './ensemble/RegimeEnsemble';
export { deserializeModel, SerializedModelSchema, serializeModel, type SerializedModel } from './serializedModel';
export { GovernorInputError } from './governor/errors';
export { GOVERNOR_ENSEMBLE_SUFFIXES, governorFeatures, type GovernorFeatureInput, type GovernorFeatures } from './governor/features';
export {
  DEFAULT_DECISION_THRESHOLD,
  DEFAULT_GOVERNOR_OPTIONS,
  decide,
  GOVERNOR_LABELS,
  GovernorManifestSchema,
  GovernorModel,
  type GovernorDecision,
  type GovernorManifest,
  type GovernorPrediction,
  type GovernorTrainOptions,
  type SavedGovernor,
} from './governor/GovernorModel';
export * from './system';
export {
  GOVERNOR_BUNDLE_VERSION,
  GovernorBundle,
  GovernorBundleManifestSchema,
  GovernorBundleMetaSchema,
  writeGovernorBundle,
  type GovernorBundleLiveParts,
  type GovernorBundleManifest,
  type GovernorBundleMeta,
  type GovernorBundleMetaInput,
  type GovernorBundleParts,
  type GovernorBundlePredictOptions,
  type GovernorBundlePrediction,
  type GovernorRowPrediction,
  type TradingLabel,
  type WrittenGovernorBundle,
} from './bundle/GovernorBundle';
