import { z } from 'zod';
import { nans, rollingStd } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { periodParam } from '../../featureSet/params';

/** Simple return over k bars: close[t] / close[t - k] - 1 (pandas' `pct_change(k)`); NaN for t < k. */
export function returns(close: Float64Array, k: number): Float64Array {
  const out = nans(close.length);
  for (let i = k; i < close.length; i++) out[i] = close[i]! / close[i - k]! - 1;
  return out;
}

/** Log return over k bars: ln(close[t] / close[t - k]); NaN for t < k. */
export function logReturns(close: Float64Array, k: number): Float64Array {
  const out = nans(close.length);
  for (let i = k; i < close.length; i++) out[i] = Math.log(close[i]! / close[i - k]!);
  return out;
}

/**
 * Rolling volatility: SAMPLE std (ddof 1, pandas' default) of the 1-bar log returns over n bars,
 * per bar (not annualised). First value at index n.
 */
export function rollingVolatility(close: Float64Array, n: number): Float64Array {
  return rollingStd(logReturns(close, 1), n, 1);
}

export const returnFeature = defineFeature({
  name: 'return',
  group: 'statistics',
  description: 'Simple return over `period` bars: close[t] / close[t - period] - 1.',
  params: z.strictObject({ period: periodParam(1, 1) }),
  requires: ['close'],
  outputs: (p) => [`ret_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [returns(col(input, 'close'), p.period)],
});

export const logReturnFeature = defineFeature({
  name: 'log_return',
  group: 'statistics',
  description: 'Log return over `period` bars: ln(close[t] / close[t - period]).',
  params: z.strictObject({ period: periodParam(1, 1) }),
  requires: ['close'],
  outputs: (p) => [`logret_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [logReturns(col(input, 'close'), p.period)],
});

export const volatilityFeature = defineFeature({
  name: 'volatility',
  group: 'statistics',
  description: 'Sample std (ddof 1, as pandas) of 1-bar log returns over `period` bars; per bar, not annualised.',
  params: z.strictObject({ period: periodParam(2, 20) }),
  requires: ['close'],
  outputs: (p) => [`volatility_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [rollingVolatility(col(input, 'close'), p.period)],
});
