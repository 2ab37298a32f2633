import { z } from 'zod';
import { ema, nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { fromWarmup } from '../../featureSet/outputs';

export interface Macd {
  /** EMA(fast) − EMA(slow) of the close. */
  readonly line: Float64Array;
  /** EMA(signal) of the line. */
  readonly signal: Float64Array;
  /** line − signal. */
  readonly hist: Float64Array;
}

/**
 * MACD (Appel) on our EMA convention: every EMA is seeded with the SMA of its first n values, so
 * the line starts at index slow − 1 and the signal, an EMA of the line's defined part, at
 * slow + signal − 2.
 *
 * Trap: TA-Lib's MACD does not follow this convention. It starts the fast EMA late, seeded with
 * the SMA of the fast-period window ending where the slow EMA starts, so its line differs from
 * EMA(fast) − EMA(slow) for a while after the start; our reference is built from talib.EMA.
 */
export function macd(close: Float64Array, fast: number, slow: number, signal: number): Macd {
  const fastEma = ema(close, fast);
  const slowEma = ema(close, slow);
  const line = nans(close.length);
  for (let i = 0; i < close.length; i++) line[i] = fastEma[i]! - slowEma[i]!;
  const sig = ema(line, signal);
  const hist = nans(close.length);
  for (let i = 0; i < close.length; i++) hist[i] = line[i]! - sig[i]!;
  return { line, signal: sig, hist };
}

/** First bar with a signal (and so a histogram): slow − 1 for the line, signal − 1 more for its EMA. */
const macdWarmup = (p: { slow: number; signal: number }): number => p.slow + p.signal - 2;

export const macdFeature = defineFeature({
  name: 'macd',
  group: 'momentum',
  description: 'MACD line, signal and histogram of the close, in price units; every EMA seeded with the SMA of its first n values.',
  params: z
    .strictObject({
      fast: z.number().int().min(2).default(12),
      slow: z.number().int().min(2).default(26),
      signal: z.number().int().min(2).default(9),
    })
    .superRefine((p, ctx) => {
      if (p.fast >= p.slow) ctx.addIssue({ code: 'custom', path: ['fast'], message: `fast (${p.fast}) must be less than slow (${p.slow})` });
    }),
  requires: ['close'],
  outputs: (p) => {
    const s = `${p.fast}_${p.slow}_${p.signal}`;
    return [`macd_${s}`, `macd_signal_${s}`, `macd_hist_${s}`];
  },
  warmup: macdWarmup,
  compute: (input, p) => {
    const m = macd(col(input, 'close'), p.fast, p.slow, p.signal);
    return fromWarmup([m.line, m.signal, m.hist], macdWarmup(p));
  },
});
