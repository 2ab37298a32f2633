/**
 * Momentum indicators: pure functions over Float64Array columns (output length = input length,
 * NaN during warm-up, value at t from bars <= t only) and their FeatureDefs.
 *
 * ```ts
 * const r = rsi(close, 14);                                  // the plain function
 * const [k, d] = stochasticFeature.compute(input, stochasticFeature.params.parse({}));
 * ```
 */
import type { FeatureDef } from '../../featureSet/FeatureDef';
import { cciFeature } from './cci';
import { macdFeature } from './macd';
import { mfiFeature } from './mfi';
import { rocFeature } from './roc';
import { rsiFeature } from './rsi';
import { stochasticFeature } from './stochastic';
import { williamsRFeature } from './williamsR';

export { cci, cciFeature } from './cci';
export { macd, macdFeature, type Macd } from './macd';
export { mfi, mfiFeature } from './mfi';
export { roc, rocFeature } from './roc';
export { rsi, rsiFeature } from './rsi';
export { stochastic, stochasticFastK, stochasticFeature, type Stochastic } from './stochastic';
export { williamsR, williamsRFeature } from './williamsR';

export const MOMENTUM_FEATURES: readonly FeatureDef[] = [
  rsiFeature as FeatureDef,
  macdFeature as FeatureDef,
  williamsRFeature as FeatureDef,
  cciFeature as FeatureDef,
  mfiFeature as FeatureDef,
  rocFeature as FeatureDef,
  stochasticFeature as FeatureDef,
];

/** The default momentum columns (14): RSI at three horizons, MACD, %R, CCI, MFI, ROC at three horizons, stochastic. */
export const DEFAULT_MOMENTUM_SET: readonly { readonly name: string; readonly params: Readonly<Record<string, unknown>> }[] = [
  { name: 'rsi', params: { period: 7 } },
  { name: 'rsi', params: { period: 14 } },
  { name: 'rsi', params: { period: 21 } },
  { name: 'macd', params: { fast: 12, slow: 26, signal: 9 } },
  { name: 'willr', params: { period: 14 } },
  { name: 'cci', params: { period: 20 } },
  { name: 'mfi', params: { period: 14 } },
  { name: 'roc', params: { period: 10 } },
  { name: 'stoch', params: { period: 14, smoothK: 3, smoothD: 3 } },
];
