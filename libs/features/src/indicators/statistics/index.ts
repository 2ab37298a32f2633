/**
 * Statistics features: returns, and the rolling distribution of 1-bar log returns (volatility,
 * skewness, kurtosis, quantiles, autocorrelation) — all scale-free. Pure functions over
 * Float64Array (NaN during warm-up, value at t from bars <= t only) and their FeatureDefs.
 *
 * ```ts
 * const skew = rollingSkew(logReturns(close, 1), 50);         // = pandas rolling(50).skew()
 * const [q10, q90] = rollingQuantiles(logReturns(close, 1), 50, [0.1, 0.9]);
 * ```
 */
import type { FeatureDef } from '../../featureSet/FeatureDef';
import { autocorrelationFeature } from './autocorr';
import { kurtosisFeature, skewnessFeature } from './moments';
import { closeRankFeature, returnQuantilesFeature } from './quantile';
import { logReturnFeature, returnFeature, volatilityFeature } from './returns';

export { autocorrelationFeature, rollingAutocorr } from './autocorr';
export { kurtosisFeature, rollingKurt, rollingSkew, skewnessFeature } from './moments';
export { closeRankFeature, returnQuantilesFeature, rollingPercentRank, rollingQuantile, rollingQuantiles } from './quantile';
export { logReturnFeature, logReturns, returnFeature, returns, rollingVolatility, volatilityFeature } from './returns';
export { equalRunLength, rollingZScore } from './runningMoments';

export const STATISTICS_FEATURES: readonly FeatureDef[] = [
  returnFeature as FeatureDef,
  logReturnFeature as FeatureDef,
  volatilityFeature as FeatureDef,
  skewnessFeature as FeatureDef,
  kurtosisFeature as FeatureDef,
  returnQuantilesFeature as FeatureDef,
  closeRankFeature as FeatureDef,
  autocorrelationFeature as FeatureDef,
];

/** The default statistics columns (13): returns and log returns over 1, 5, 20 bars; the 20/50-bar return distribution. */
export const DEFAULT_STATISTICS_SET: readonly { readonly name: string; readonly params: Readonly<Record<string, unknown>> }[] = [
  { name: 'return', params: { period: 1 } },
  { name: 'return', params: { period: 5 } },
  { name: 'return', params: { period: 20 } },
  { name: 'log_return', params: { period: 1 } },
  { name: 'log_return', params: { period: 5 } },
  { name: 'log_return', params: { period: 20 } },
  { name: 'volatility', params: { period: 20 } },
  { name: 'skewness', params: { period: 50 } },
  { name: 'kurtosis', params: { period: 50 } },
  { name: 'return_quantiles', params: { period: 50, lower: 0.1, upper: 0.9 } },
  { name: 'close_rank', params: { period: 50 } },
  { name: 'autocorrelation', params: { lag: 1, period: 50 } },
];
