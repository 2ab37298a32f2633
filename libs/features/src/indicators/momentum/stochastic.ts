import { z } from 'zod';
import { nans, rollingMax, rollingMin, sma } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { fromWarmup } from '../../featureSet/outputs';

/**
 * Fast stochastic %K (Lane): 100 · (close − LL) / (HH − LL) over the last n bars including the
 * current one; first value at index n − 1. A window with no range gives 50, the neutral value
 * (TA-Lib writes 0).
 */
export function stochasticFastK(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const hh = rollingMax(high, period);
  const ll = rollingMin(low, period);
  const out = nans(close.length);
  for (let i = 0; i < close.length; i++) {
    const range = hh[i]! - ll[i]!;
    out[i] = range === 0 ? 50 : (100 * (close[i]! - ll[i]!)) / range;
  }
  return out;
}

export interface Stochastic {
  /** Slow %K: SMA(smoothK) of the fast %K (TA-Lib STOCH's slowk). */
  readonly k: Float64Array;
  /** %D: SMA(smoothD) of the slow %K (TA-Lib STOCH's slowd). */
  readonly d: Float64Array;
}

/**
 * Slow stochastic as TA-Lib's STOCH with SMA smoothing: %K is the smoothK-bar SMA of the fast %K
 * and %D the smoothD-bar SMA of that %K; %K starts at index period + smoothK − 2 and %D
 * smoothD − 1 bars later. smoothK = 1 gives the fast stochastic (%K = fast %K).
 */
export function stochastic(high: Float64Array, low: Float64Array, close: Float64Array, period: number, smoothK: number, smoothD: number): Stochastic {
  const k = sma(stochasticFastK(high, low, close, period), smoothK);
  return { k, d: sma(k, smoothD) };
}

/** First bar with a %D: period − 1 for the fast %K, then smoothK − 1 and smoothD − 1 for the two SMAs. */
const stochasticWarmup = (p: { period: number; smoothK: number; smoothD: number }): number => p.period + p.smoothK + p.smoothD - 3;

export const stochasticFeature = defineFeature({
  name: 'stoch',
  group: 'momentum',
  description: 'Slow stochastic %K and %D, 0-100 (TA-Lib STOCH slowk/slowd with SMA smoothing; 50 on a window without range).',
  params: z.strictObject({
    period: z.number().int().min(2).default(14),
    smoothK: z.number().int().min(1).default(3),
    smoothD: z.number().int().min(1).default(3),
  }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => {
    const s = `${p.period}_${p.smoothK}_${p.smoothD}`;
    return [`stoch_k_${s}`, `stoch_d_${s}`];
  },
  warmup: stochasticWarmup,
  compute: (input, p) => {
    const s = stochastic(col(input, 'high'), col(input, 'low'), col(input, 'close'), p.period, p.smoothK, p.smoothD);
    return fromWarmup([s.k, s.d], stochasticWarmup(p));
  },
});
