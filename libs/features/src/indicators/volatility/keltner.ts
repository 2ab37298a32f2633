import { z } from 'zod';
import { atr, ema } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { paramTag } from '../../featureSet/outputs';
import { periodParam } from '../../featureSet/params';
import { bandPosition, bandWidth, type Bands } from './bands';

/**
 * Keltner channel, modern convention (Raschke): EMA(close, emaPeriod) ± k·ATR(atrPeriod), the EMA
 * SMA-seeded (TA-Lib EMA) and the ATR Wilder-smoothed (TA-Lib ATR). (Keltner's original used a
 * 10-day SMA of the typical price ± its average range.) First value at max(emaPeriod - 1, atrPeriod).
 */
export function keltner(high: Float64Array, low: Float64Array, close: Float64Array, emaPeriod: number, atrPeriod: number, k: number): Bands {
  const middle = ema(close, emaPeriod);
  const a = atr(high, low, close, atrPeriod);
  const lower = new Float64Array(close.length);
  const upper = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) {
    lower[i] = middle[i]! - k * a[i]!;
    upper[i] = middle[i]! + k * a[i]!;
  }
  return { lower, middle, upper };
}

export const keltnerFeature = defineFeature({
  name: 'keltner',
  group: 'volatility',
  description: 'Keltner channel EMA(emaPeriod) ± mult·ATR(atrPeriod): position of the close in it (0 lower, 1 upper) and width / middle.',
  params: z.strictObject({ emaPeriod: periodParam(1, 20), atrPeriod: periodParam(1, 10), mult: z.number().positive().default(2) }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => ['pos', 'width'].map((o) => `keltner_${o}_${p.emaPeriod}_${p.atrPeriod}_${paramTag(p.mult, 'keep')}`),
  warmup: (p) => Math.max(p.emaPeriod - 1, p.atrPeriod),
  compute: (input, p) => {
    const close = col(input, 'close');
    const b = keltner(col(input, 'high'), col(input, 'low'), close, p.emaPeriod, p.atrPeriod, p.mult);
    return [bandPosition(close, b.lower, b.upper), bandWidth(b)];
  },
});
