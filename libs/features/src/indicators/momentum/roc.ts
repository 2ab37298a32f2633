import { z } from 'zod';
import { firstValid, nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';

/** Rate of change in percent, as TA-Lib's ROC: 100 · (close / close[t − n] − 1); first value at index n. */
export function roc(close: Float64Array, period: number): Float64Array {
  const out = nans(close.length);
  for (let i = firstValid(close) + period; i < close.length; i++) {
    const past = close[i - period]!;
    out[i] = past === 0 ? Number.NaN : (close[i]! / past - 1) * 100;
  }
  return out;
}

export const rocFeature = defineFeature({
  name: 'roc',
  group: 'momentum',
  description: 'Rate of change of the close over n bars, in percent (TA-Lib ROC).',
  params: z.strictObject({ period: z.number().int().min(1).default(10) }),
  requires: ['close'],
  outputs: (p) => [`roc_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [roc(col(input, 'close'), p.period)],
});
