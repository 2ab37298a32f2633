import { z } from 'zod';
import { rollingMax, rollingMin } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { periodParam } from '../../featureSet/params';
import { bandPosition, bandWidth, relativeDistance, type Bands } from './bands';

/** Donchian channel: highest high and lowest low of the last n bars (current bar included), and their midpoint. */
export function donchian(high: Float64Array, low: Float64Array, n: number): Bands {
  const upper = rollingMax(high, n);
  const lower = rollingMin(low, n);
  const middle = new Float64Array(high.length);
  for (let i = 0; i < middle.length; i++) middle[i] = (upper[i]! + lower[i]!) / 2;
  return { lower, middle, upper };
}

export const donchianFeature = defineFeature({
  name: 'donchian',
  group: 'volatility',
  description: 'Donchian channel over `period` bars: position of the close in it (0 at the low, 1 at the high), width / middle, and (close - middle) / close.',
  params: z.strictObject({ period: periodParam(2, 20) }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => [`donchian_pos_${p.period}`, `donchian_width_${p.period}`, `donchian_mid_dist_${p.period}`],
  warmup: (p) => p.period - 1,
  compute: (input, p) => {
    const close = col(input, 'close');
    const b = donchian(col(input, 'high'), col(input, 'low'), p.period);
    return [bandPosition(close, b.lower, b.upper), bandWidth(b), relativeDistance(close, b.middle)];
  },
});
