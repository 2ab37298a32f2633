/**
 * @ares/features — indicators, declarative feature sets, triple-barrier labels and market regimes.
 *
 * ```ts
 * import { buildFeatureMatrix, defaultRegistry, DEFAULT_FEATURE_SET } from '@ares/features';
 *
 * const matrix = buildFeatureMatrix(input, DEFAULT_FEATURE_SET, defaultRegistry());
 * console.log(matrix.names.length, matrix.length, matrix.warmupRows);
 * ```
 */
export * from './core/rolling';
export { InsufficientHistoryError, InvalidFeatureParamsError, MissingColumnError, NonFiniteInputError, UnknownFeatureError } from './errors';
export { buildFeatureMatrix, type FeatureMatrix } from './featureSet/buildFeatureMatrix';
export { DEFAULT_FEATURE_SET, defaultFeatureSet, defaultRegistry } from './featureSet/defaults';
export { col, defineFeature, type FeatureDef, type FeatureGroup } from './featureSet/FeatureDef';
export { FeatureRegistry, type ResolvedFeature } from './featureSet/FeatureRegistry';
export { FeatureSetConfigSchema, FeatureSpecSchema, type FeatureSetConfig, type FeatureSpec, type ParsedFeatureSetConfig } from './featureSet/FeatureSetConfig';
export { resample, type Resampled } from './featureSet/resample';
export { loadMarketInput } from './io/loadMarketInput';
export { FeatureDatasetRefSchema, publishFeatureDataset, type AlignedLabels, type AlignedRegimes, type FeatureDatasetRef, type FeatureManifest } from './io/publishFeatureDataset';
// Indicator groups as namespaces (plain functions and FeatureDefs), e.g. momentum.rsi(close, 14).
export * as crossAsset from './indicators/crossAsset';
export * as derivatives from './indicators/derivatives';
export * as frequency from './indicators/frequency';
export * as microstructure from './indicators/microstructure';
export * as momentum from './indicators/momentum';
export * as statistics from './indicators/statistics';
export * as time from './indicators/time';
export * as trend from './indicators/trend';
export * as volatility from './indicators/volatility';
export * as volume from './indicators/volume';
export * from './labels';
export * from './regimes';
export { INPUT_COLUMNS, type FeatureInput, type InputColumn } from './series';
