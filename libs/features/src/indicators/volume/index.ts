/**
 * Volume features: on-balance volume (z-score, flow and its divergence from price), rolling VWAP
 * with volume-weighted bands, and the volume z-score — all scale-free. Pure functions over
 * Float64Array (NaN during warm-up, value at t from bars <= t only) and their FeatureDefs.
 *
 * ```ts
 * const level = obv(close, volume);                          // = TA-Lib OBV
 * const { flow, divergence } = obvDivergence(close, volume, 20);
 * ```
 */
import type { FeatureDef } from '../../featureSet/FeatureDef';
import { obvDivergenceFeature, obvZScoreFeature } from './obv';
import { volumeZScoreFeature } from './volumeZScore';
import { vwapFeature } from './vwap';

export { obv, obvDivergence, obvDivergenceFeature, obvZScore, obvZScoreFeature, type ObvDivergence } from './obv';
export { volumeZScore, volumeZScoreFeature } from './volumeZScore';
export { rollingVwap, vwapBands, vwapFeature, type RollingVwap } from './vwap';

export const VOLUME_FEATURES: readonly FeatureDef[] = [
  obvZScoreFeature as FeatureDef,
  obvDivergenceFeature as FeatureDef,
  vwapFeature as FeatureDef,
  volumeZScoreFeature as FeatureDef,
];

/** The default volume columns (7). */
export const DEFAULT_VOLUME_SET: readonly { readonly name: string; readonly params: Readonly<Record<string, unknown>> }[] = [
  { name: 'obv_zscore', params: { period: 20 } },
  { name: 'obv_divergence', params: { period: 20 } },
  { name: 'vwap', params: { period: 20, mult: 2 } },
  { name: 'volume_zscore', params: { period: 20 } },
];
