/**
 * Trend indicators: pure functions over Float64Array columns (output length = input length, NaN
 * during warm-up, value at t from bars <= t only) and their FeatureDefs.
 *
 * ```ts
 * const { adx, plusDI, minusDI } = dmi(high, low, close, 14);  // the plain function
 * const [dist, side] = sarFeature.compute(input, sarFeature.params.parse({}));
 * ```
 */
import type { FeatureDef } from '../../featureSet/FeatureDef';
import { adxFeature } from './dmi';
import { ichimokuFeature } from './ichimoku';
import { emaRatioFeature, smaRatioFeature } from './maRatio';
import { sarFeature } from './sar';
import { superTrendFeature } from './superTrend';

export { adxFeature, dmi, type Dmi } from './dmi';
export { ichimoku, ichimokuFeature, type Ichimoku } from './ichimoku';
export { emaRatio, emaRatioFeature, priceToMa, smaRatio, smaRatioFeature } from './maRatio';
export { parabolicSar, sarFeature, type Sar } from './sar';
export { superTrend, superTrendFeature, type SuperTrend } from './superTrend';

export const TREND_FEATURES: readonly FeatureDef[] = [
  emaRatioFeature as FeatureDef,
  smaRatioFeature as FeatureDef,
  adxFeature as FeatureDef,
  sarFeature as FeatureDef,
  ichimokuFeature as FeatureDef,
  superTrendFeature as FeatureDef,
];

/** The default trend columns (19): EMA ratios at five horizons, SMA ratios at three, ADX/DI, SAR, Ichimoku, SuperTrend. */
export const DEFAULT_TREND_SET: readonly { readonly name: string; readonly params: Readonly<Record<string, unknown>> }[] = [
  { name: 'ema_ratio', params: { period: 10 } },
  { name: 'ema_ratio', params: { period: 20 } },
  { name: 'ema_ratio', params: { period: 50 } },
  { name: 'ema_ratio', params: { period: 100 } },
  { name: 'ema_ratio', params: { period: 200 } },
  { name: 'sma_ratio', params: { period: 20 } },
  { name: 'sma_ratio', params: { period: 50 } },
  { name: 'sma_ratio', params: { period: 200 } },
  { name: 'adx', params: { period: 14 } },
  { name: 'sar', params: { acceleration: 0.02, maximum: 0.2 } },
  { name: 'ichimoku', params: { tenkan: 9, kijun: 26, senkouB: 52, displacement: 26 } },
  { name: 'supertrend', params: { period: 10, multiplier: 3 } },
];
