import { intervalMs, type Interval } from '@ares/data';
import { CROSS_ASSET_FEATURES } from '../indicators/crossAsset';
import { DEFAULT_DERIVATIVES_SET, DERIVATIVES_FEATURES } from '../indicators/derivatives';
import { DEFAULT_FREQUENCY_SET, FREQUENCY_FEATURES } from '../indicators/frequency';
import { DEFAULT_MICROSTRUCTURE_SET, MICROSTRUCTURE_FEATURES } from '../indicators/microstructure';
import { DEFAULT_MOMENTUM_SET, MOMENTUM_FEATURES } from '../indicators/momentum';
import { DEFAULT_STATISTICS_SET, STATISTICS_FEATURES } from '../indicators/statistics';
import { DEFAULT_TIME_SET, TIME_FEATURES } from '../indicators/time';
import { DEFAULT_TREND_SET, TREND_FEATURES } from '../indicators/trend';
import { DEFAULT_VOLATILITY_SET, VOLATILITY_FEATURES } from '../indicators/volatility';
import { DEFAULT_VOLUME_SET, VOLUME_FEATURES } from '../indicators/volume';
import type { InputColumn } from '../series';
import type { FeatureDef } from './FeatureDef';
import { FeatureRegistry } from './FeatureRegistry';
import type { FeatureSetConfig, FeatureSpec } from './FeatureSetConfig';

const ALL: FeatureDef[] = [
  ...MOMENTUM_FEATURES, ...TREND_FEATURES, ...VOLATILITY_FEATURES, ...VOLUME_FEATURES, ...STATISTICS_FEATURES,
  ...FREQUENCY_FEATURES, ...TIME_FEATURES, ...MICROSTRUCTURE_FEATURES, ...DERIVATIVES_FEATURES, ...CROSS_ASSET_FEATURES,
] as FeatureDef[];

let registry: FeatureRegistry | undefined;

/** Every built-in feature. */
export function defaultRegistry(): FeatureRegistry {
  return (registry ??= new FeatureRegistry(ALL));
}

const BASE: FeatureSpec[] = [
  ...DEFAULT_MOMENTUM_SET, ...DEFAULT_TREND_SET, ...DEFAULT_VOLATILITY_SET, ...DEFAULT_VOLUME_SET, ...DEFAULT_STATISTICS_SET,
  ...DEFAULT_FREQUENCY_SET, ...DEFAULT_TIME_SET, ...DEFAULT_MICROSTRUCTURE_SET, ...DEFAULT_DERIVATIVES_SET,
];

/** Higher-timeframe context: a few scale-free features per higher interval. */
const CONTEXT: FeatureSpec[] = [
  { name: 'rsi', params: { period: 14 } },
  { name: 'ema_ratio', params: { period: 20 } },
  { name: 'natr', params: { period: 14 } },
  { name: 'log_return', params: { period: 1 } },
];

/** The two context intervals for a base interval: about 4× and 24× longer. */
function contextIntervals(base: Interval): Interval[] {
  const candidates: Interval[] = ['15m', '1h', '4h', '1d', '1w'];
  const step = intervalMs(base);
  const above = candidates.filter((i) => intervalMs(i) >= 4 * step);
  return above.slice(0, 2);
}

/** The default set for 1h bars: ≥ 80 columns, with 4h and 1d context. */
export const DEFAULT_FEATURE_SET: FeatureSetConfig = defaultFeatureSet('1h');

/**
 * The default feature set for a base interval, keeping only the features whose input columns the
 * dataset has (a Binance CSV import has no funding or open interest). An explicit feature set is
 * never trimmed: a feature needing a missing column fails with the column named.
 */
export function defaultFeatureSet(interval: Interval, available?: ReadonlySet<InputColumn>): FeatureSetConfig {
  const reg = defaultRegistry();
  const usable = (spec: FeatureSpec) => !available || reg.resolve(spec, 'default').def.requires.every((c) => available.has(c));
  return {
    name: 'default',
    features: BASE.filter(usable),
    timeframes: contextIntervals(interval).map((tf) => ({ interval: tf, features: CONTEXT.filter(usable) })),
  };
}
