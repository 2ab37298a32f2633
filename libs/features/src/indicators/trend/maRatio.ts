import { z } from 'zod';
import { ema, sma } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';

/** close / ma − 1 elementwise: the close's distance from a moving average, as a fraction (NaN where ma is NaN or 0). */
export function priceToMa(close: Float64Array, ma: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) out[i] = ma[i] === 0 ? Number.NaN : close[i]! / ma[i]! - 1;
  return out;
}

/** close / EMA(n) − 1, the EMA seeded with the SMA of its first n values; first value at index n − 1. */
export function emaRatio(close: Float64Array, period: number): Float64Array {
  return priceToMa(close, ema(close, period));
}

/** close / SMA(n) − 1; first value at index n − 1. */
export function smaRatio(close: Float64Array, period: number): Float64Array {
  return priceToMa(close, sma(close, period));
}

const periodSchema = z.strictObject({ period: z.number().int().min(2).default(50) });

export const emaRatioFeature = defineFeature({
  name: 'ema_ratio',
  group: 'trend',
  description: 'close / EMA(n) − 1 (EMA seeded with the SMA of its first n values, as TA-Lib EMA).',
  params: periodSchema,
  requires: ['close'],
  outputs: (p) => [`ema_ratio_${p.period}`],
  warmup: (p) => p.period - 1,
  compute: (input, p) => [emaRatio(col(input, 'close'), p.period)],
});

export const smaRatioFeature = defineFeature({
  name: 'sma_ratio',
  group: 'trend',
  description: 'close / SMA(n) − 1.',
  params: periodSchema,
  requires: ['close'],
  outputs: (p) => [`sma_ratio_${p.period}`],
  warmup: (p) => p.period - 1,
  compute: (input, p) => [smaRatio(col(input, 'close'), p.period)],
});
