import { z } from 'zod';
import { nans, rollingMax, rollingMin } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';

/**
 * Williams %R, as TA-Lib's WILLR: −100 · (HH − close) / (HH − LL) over the last n bars including
 * the current one, in [−100, 0]; first value at index n − 1. A window with no range gives −50,
 * the neutral value (TA-Lib writes 0, "overbought").
 */
export function williamsR(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const hh = rollingMax(high, period);
  const ll = rollingMin(low, period);
  const out = nans(close.length);
  for (let i = 0; i < close.length; i++) {
    const range = hh[i]! - ll[i]!;
    out[i] = range === 0 ? -50 : (-100 * (hh[i]! - close[i]!)) / range;
  }
  return out;
}

export const williamsRFeature = defineFeature({
  name: 'willr',
  group: 'momentum',
  description: 'Williams %R, −100 to 0 (TA-Lib WILLR; −50 on a window without range).',
  params: z.strictObject({ period: z.number().int().min(2).default(14) }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => [`willr_${p.period}`],
  warmup: (p) => p.period - 1,
  compute: (input, p) => [williamsR(col(input, 'high'), col(input, 'low'), col(input, 'close'), p.period)],
});
