import { z } from 'zod';
import { atr } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { periodParam } from '../../featureSet/params';

/**
 * Normalised ATR: ATR(n) / close, a fraction (TA-Lib's NATR is the same in percent, 100×).
 * ATR is Wilder-smoothed true range as TA-Lib's (core/rolling `atr`); first value at index n.
 */
export function natr(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  const out = atr(high, low, close, n);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / close[i]!;
  return out;
}

export const atrFeature = defineFeature({
  name: 'atr',
  group: 'volatility',
  description: 'Average true range (Wilder, TA-Lib ATR) in price units: not scale-free, prefer natr for models.',
  params: z.strictObject({ period: periodParam(1, 14) }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => [`atr_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [atr(col(input, 'high'), col(input, 'low'), col(input, 'close'), p.period)],
});

export const natrFeature = defineFeature({
  name: 'natr',
  group: 'volatility',
  description: 'ATR / close as a fraction (TA-Lib NATR / 100).',
  params: z.strictObject({ period: periodParam(1, 14) }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => [`natr_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [natr(col(input, 'high'), col(input, 'low'), col(input, 'close'), p.period)],
});
