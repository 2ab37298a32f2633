import { z } from 'zod';
import { rollingStd, sma } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { paramTag } from '../../featureSet/outputs';
import { periodParam } from '../../featureSet/params';
import { equalRunLength } from '../statistics/runningMoments';
import { bandPosition, bandWidth, type Bands } from './bands';

/**
 * Bollinger bands as TA-Lib's BBANDS(n, k, k, SMA): SMA(n) ± k·σ with the POPULATION std (divide
 * by n). A constant window gets σ = 0 exactly. First value at index n - 1. (TA-Lib also floors a
 * variance below 1e-8 to 0, an absolute threshold that would flatten low-priced assets; we don't.)
 */
export function bollinger(close: Float64Array, n: number, k: number): Bands {
  const middle = sma(close, n);
  const sd = rollingStd(close, n, 0);
  const run = equalRunLength(close);
  const lower = new Float64Array(close.length);
  const upper = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) {
    const s = run[i]! >= n ? 0 : sd[i]!;
    lower[i] = middle[i]! - k * s;
    upper[i] = middle[i]! + k * s;
  }
  return { lower, middle, upper };
}

export const bollingerFeature = defineFeature({
  name: 'bollinger',
  group: 'volatility',
  description: 'Bollinger %B = (close - lower) / (upper - lower) and bandwidth (upper - lower) / middle of SMA(period) ± mult·population std (TA-Lib BBANDS).',
  params: z.strictObject({ period: periodParam(2, 20), mult: z.number().positive().default(2) }),
  requires: ['close'],
  outputs: (p) => [`bb_pctb_${p.period}_${paramTag(p.mult, 'keep')}`, `bb_width_${p.period}_${paramTag(p.mult, 'keep')}`],
  warmup: (p) => p.period - 1,
  compute: (input, p) => {
    const close = col(input, 'close');
    const b = bollinger(close, p.period, p.mult);
    return [bandPosition(close, b.lower, b.upper), bandWidth(b)];
  },
});
