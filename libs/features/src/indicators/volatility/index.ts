/**
 * Volatility features: ATR, ATR bands, Bollinger, Donchian and Keltner channels, as scale-free
 * outputs (ATR / close, positions in a channel, widths relative to its middle). Pure functions
 * over Float64Array (NaN during warm-up, value at t from bars <= t only) and their FeatureDefs.
 *
 * ```ts
 * const { lower, middle, upper } = bollinger(close, 20, 2);  // = TA-Lib BBANDS(20, 2, 2)
 * const pctB = bandPosition(close, lower, upper);
 * ```
 */
import type { FeatureDef } from '../../featureSet/FeatureDef';
import { atrFeature, natrFeature } from './atr';
import { atrBandsFeature } from './atrBands';
import { bollingerFeature } from './bollinger';
import { donchianFeature } from './donchian';
import { keltnerFeature } from './keltner';

export { atrFeature, natr, natrFeature } from './atr';
export { atrBands, atrBandsFeature } from './atrBands';
export { bandPosition, bandWidth, relativeDistance, type Bands } from './bands';
export { bollinger, bollingerFeature } from './bollinger';
export { donchian, donchianFeature } from './donchian';
export { keltner, keltnerFeature } from './keltner';

export const VOLATILITY_FEATURES: readonly FeatureDef[] = [
  atrFeature as FeatureDef,
  natrFeature as FeatureDef,
  atrBandsFeature as FeatureDef,
  bollingerFeature as FeatureDef,
  donchianFeature as FeatureDef,
  keltnerFeature as FeatureDef,
];

/** The default volatility columns (11), all scale-free (raw `atr` is registered but left out). */
export const DEFAULT_VOLATILITY_SET: readonly { readonly name: string; readonly params: Readonly<Record<string, unknown>> }[] = [
  { name: 'natr', params: { period: 14 } },
  { name: 'atr_bands', params: { period: 14, mult: 2 } },
  { name: 'bollinger', params: { period: 20, mult: 2 } },
  { name: 'donchian', params: { period: 20 } },
  { name: 'keltner', params: { emaPeriod: 20, atrPeriod: 10, mult: 2 } },
];
