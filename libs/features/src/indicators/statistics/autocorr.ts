import { z } from 'zod';
import { firstValid, nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { periodParam } from '../../featureSet/params';
import { logReturns } from './returns';
import { equalRunLength } from './runningMoments';

/**
 * Rolling autocorrelation at `lag` over windows of n values: the Pearson correlation of the
 * window's m = n - lag pairs (x[j - lag], x[j]), each side with its own mean and std. This is
 * numpy's `corrcoef(w[:-lag], w[lag:])[0, 1]` and pandas' `rolling(n).apply(lambda w: pd.Series(w).autocorr(lag))`.
 * NaN when either side of the pairs is constant (correlation undefined, as in pandas).
 *
 * O(length): running sums of the pairs' products, re-centred and recomputed every m bars (see
 * runningMoments.ts for why).
 */
export function rollingAutocorr(x: Float64Array, n: number, lag: number): Float64Array {
  const out = nans(x.length);
  const run = equalRunLength(x);
  const m = n - lag;
  const start = firstValid(x);
  let c = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  let sinceReset = m;
  for (let i = start + n - 1; i < x.length; i++) {
    if (sinceReset === m) {
      c = 0;
      for (let j = i - n + 1; j <= i; j++) c += x[j]!;
      c /= n;
      sa = sb = saa = sbb = sab = 0;
      for (let j = i - m + 1; j <= i; j++) {
        const a = x[j - lag]! - c;
        const b = x[j]! - c;
        sa += a;
        sb += b;
        saa += a * a;
        sbb += b * b;
        sab += a * b;
      }
      sinceReset = 0;
    } else {
      const a = x[i - lag]! - c;
      const b = x[i]! - c;
      const a0 = x[i - n]! - c;
      const b0 = x[i - m]! - c;
      sa += a - a0;
      sb += b - b0;
      saa += a * a - a0 * a0;
      sbb += b * b - b0 * b0;
      sab += a * b - a0 * b0;
    }
    sinceReset++;
    // Constant sides (runs ending at the last a and the last b) are detected exactly.
    if (run[i - lag]! >= m || run[i]! >= m) continue;
    const va = saa - (sa * sa) / m;
    const vb = sbb - (sb * sb) / m;
    if (!(va > 0 && vb > 0)) continue;
    const r = (sab - (sa * sb) / m) / Math.sqrt(va * vb);
    out[i] = Math.max(-1, Math.min(1, r));
  }
  return out;
}

export const autocorrelationFeature = defineFeature({
  name: 'autocorrelation',
  group: 'statistics',
  description: 'Pearson autocorrelation at `lag` of 1-bar log returns within windows of `period` returns (numpy corrcoef of w[:-lag], w[lag:]); NaN when one side is constant.',
  params: z
    .strictObject({ lag: z.number().int().min(1).default(1), period: periodParam(3, 50) })
    .superRefine((p, ctx) => {
      if (p.period < p.lag + 3) ctx.addIssue({ code: 'custom', path: ['period'], message: `'period' (${p.period}) must exceed 'lag' (${p.lag}) by at least 3, leaving 3 pairs to correlate` });
    }),
  requires: ['close'],
  outputs: (p) => [`autocorr_${p.lag}_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [rollingAutocorr(logReturns(col(input, 'close'), 1), p.period, p.lag)],
  mayBeNaN: (p) => [`autocorr_${p.lag}_${p.period}`],
});
