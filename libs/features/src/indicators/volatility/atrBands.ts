import { z } from 'zod';
import { atr, nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { paramTag } from '../../featureSet/outputs';
import { periodParam } from '../../featureSet/params';
import { bandPosition, relativeDistance, type Bands } from './bands';

/**
 * ATR bands for bar t, set at the close of bar t - 1: close[t-1] ± k·ATR(n)[t-1] (a volatility
 * stop projected one bar ahead; the middle is close[t-1]). Bands around the current close itself
 * would put every close at their centre, so the lag is what makes them informative: the close's
 * position in them is 0.5 + (close[t] - close[t-1]) / (2k·ATR[t-1]). First value at index n + 1.
 */
export function atrBands(high: Float64Array, low: Float64Array, close: Float64Array, n: number, k: number): Bands {
  const a = atr(high, low, close, n);
  const lower = nans(close.length);
  const middle = nans(close.length);
  const upper = nans(close.length);
  for (let i = 1; i < close.length; i++) {
    const c = close[i - 1]!;
    middle[i] = c;
    lower[i] = c - k * a[i - 1]!;
    upper[i] = c + k * a[i - 1]!;
  }
  return { lower, middle, upper };
}

export const atrBandsFeature = defineFeature({
  name: 'atr_bands',
  group: 'volatility',
  description: 'Close vs the bands close[t-1] ± mult·ATR[t-1]: position in them (0 lower, 1 upper) and distances (close - band) / close.',
  params: z.strictObject({ period: periodParam(1, 14), mult: z.number().positive().default(2) }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => ['pos', 'upper_dist', 'lower_dist'].map((o) => `atr_band_${o}_${p.period}_${paramTag(p.mult, 'keep')}`),
  warmup: (p) => p.period + 1,
  compute: (input, p) => {
    const close = col(input, 'close');
    const b = atrBands(col(input, 'high'), col(input, 'low'), close, p.period, p.mult);
    return [bandPosition(close, b.lower, b.upper), relativeDistance(close, b.upper), relativeDistance(close, b.lower)];
  },
});
