import { z } from 'zod';
import { firstValid, nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';

/** Lambert's constant: scales CCI so that roughly 70-80 % of values fall within ±100. */
const LAMBERT = 0.015;

/**
 * Commodity Channel Index (Lambert, 1980), as TA-Lib's CCI: with the typical price
 * tp = (high + low + close) / 3, CCI = (tp − mean) / (0.015 · MAD) over the last n bars, where MAD
 * is the mean absolute deviation from the window mean; first value at index n − 1.
 * Mean and MAD are summed afresh for each window (O(n·w)), as TA-Lib does: no drift from a running
 * sum. A window of constant typical price (MAD 0) gives 0.
 */
export function cci(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const n = close.length;
  const tp = new Float64Array(n);
  for (let i = 0; i < n; i++) tp[i] = (high[i]! + low[i]! + close[i]!) / 3;
  const out = nans(n);
  for (let i = firstValid(tp) + period - 1; i < n; i++) {
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += tp[j]!;
    const mean = sum / period;
    let dev = 0;
    for (let j = i - period + 1; j <= i; j++) dev += Math.abs(tp[j]! - mean);
    const mad = dev / period;
    out[i] = mad === 0 ? 0 : (tp[i]! - mean) / (LAMBERT * mad);
  }
  return out;
}

export const cciFeature = defineFeature({
  name: 'cci',
  group: 'momentum',
  description: 'Commodity Channel Index of the typical price (TA-Lib CCI; 0 on a constant window).',
  params: z.strictObject({ period: z.number().int().min(2).default(20) }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => [`cci_${p.period}`],
  warmup: (p) => p.period - 1,
  compute: (input, p) => [cci(col(input, 'high'), col(input, 'low'), col(input, 'close'), p.period)],
});
