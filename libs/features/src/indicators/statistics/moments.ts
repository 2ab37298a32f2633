import { z } from 'zod';
import { nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { periodParam } from '../../featureSet/params';
import { logReturns } from './returns';
import { equalRunLength, scanMoments } from './runningMoments';

/**
 * Rolling skewness over n values: the bias-corrected sample estimator G1 = sqrt(n(n-1))/(n-2) ·
 * m3 / m2^1.5, as pandas' `rolling(n).skew()`. A constant window gives 0 (pandas' convention).
 * Unlike pandas we do not return NaN when the variance is below the absolute threshold 1e-14.
 */
export function rollingSkew(x: Float64Array, n: number): Float64Array {
  const out = nans(x.length);
  const run = equalRunLength(x);
  const k = Math.sqrt(n * (n - 1)) / (n - 2);
  scanMoments(x, n, (i, _mean, m2, m3) => {
    out[i] = run[i]! >= n ? 0 : m2 > 0 ? (k * m3) / (m2 * Math.sqrt(m2)) : Number.NaN;
  });
  return out;
}

/**
 * Rolling excess kurtosis over n values: the bias-corrected sample estimator
 * G2 = ((n² - 1) m4 / m2² - 3 (n - 1)²) / ((n - 2)(n - 3)), as pandas' `rolling(n).kurt()`.
 * A constant window gives -3 (pandas' convention).
 */
export function rollingKurt(x: Float64Array, n: number): Float64Array {
  const out = nans(x.length);
  const run = equalRunLength(x);
  const den = (n - 2) * (n - 3);
  scanMoments(x, n, (i, _mean, m2, _m3, m4) => {
    out[i] = run[i]! >= n ? -3 : m2 > 0 ? ((n * n - 1) * (m4 / (m2 * m2)) - 3 * (n - 1) ** 2) / den : Number.NaN;
  });
  return out;
}

/** Distribution shape of 1-bar log returns (scale-free). */
export const skewnessFeature = defineFeature({
  name: 'skewness',
  group: 'statistics',
  description: 'Bias-corrected sample skewness (G1, as pandas rolling skew) of 1-bar log returns over `period` bars; 0 on a constant window.',
  params: z.strictObject({ period: periodParam(3, 50) }),
  requires: ['close'],
  outputs: (p) => [`skew_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [rollingSkew(logReturns(col(input, 'close'), 1), p.period)],
});

export const kurtosisFeature = defineFeature({
  name: 'kurtosis',
  group: 'statistics',
  description: 'Bias-corrected sample excess kurtosis (G2, as pandas rolling kurt) of 1-bar log returns over `period` bars; -3 on a constant window (pandas).',
  params: z.strictObject({ period: periodParam(4, 50) }),
  requires: ['close'],
  outputs: (p) => [`kurt_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [rollingKurt(logReturns(col(input, 'close'), 1), p.period)],
});
