/**
 * Cross-asset features: rolling correlation and beta of log returns against a reference symbol's
 * (`refClose`), as pure functions and their FeatureDefs.
 *
 * ```ts
 * const { corr, beta } = rollingCoMovement(logReturns(close), logReturns(refClose), 50);
 * const [corr50] = refCorrelationFeature.compute(input, refCorrelationFeature.params.parse({}));
 * ```
 */
export { CROSS_ASSET_FEATURES, DEFAULT_CROSS_ASSET_SET, refBetaFeature, refCorrelationFeature } from './crossAssetFeatures';
export { rollingCoMovement, type RollingCoMovement } from './refRegression';
