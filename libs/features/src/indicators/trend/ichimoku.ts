import { z } from 'zod';
import { nans, rollingMax, rollingMin } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { fromWarmup } from '../../featureSet/outputs';

export interface Ichimoku {
  /** Conversion line: midpoint of the `tenkan`-bar high/low; first value at index tenkan − 1. */
  readonly tenkan: Float64Array;
  /** Base line: midpoint of the `kijun`-bar high/low; first value at index kijun − 1. */
  readonly kijun: Float64Array;
  /** Leading span A as seen at bar t: (tenkan + kijun) / 2 computed `displacement` bars earlier. */
  readonly senkouA: Float64Array;
  /** Leading span B as seen at bar t: midpoint of the `senkouB`-bar high/low computed `displacement` bars earlier. */
  readonly senkouB: Float64Array;
}

/** (highest high + lowest low) / 2 over the last n bars. */
function midpoint(high: Float64Array, low: Float64Array, n: number): Float64Array {
  const hh = rollingMax(high, n);
  const ll = rollingMin(low, n);
  const out = new Float64Array(high.length);
  for (let i = 0; i < high.length; i++) out[i] = (hh[i]! + ll[i]!) / 2;
  return out;
}

/** x delayed by d bars: out[t] = x[t − d] (NaN for t < d). */
function lag(x: Float64Array, d: number): Float64Array {
  const out = nans(x.length);
  if (d < x.length) out.set(x.subarray(0, x.length - d), d);
  return out;
}

/**
 * Ichimoku Kinko Hyo (Hosoda) without look-ahead. Charts draw the leading spans `displacement`
 * bars into the future; here the value at bar t is the span computed at bar t − displacement,
 * i.e. the cloud as drawn under bar t, so it uses bars <= t only. The lagging span (chikou: the
 * close drawn `displacement` bars back) would read the future and is deliberately absent.
 */
export function ichimoku(high: Float64Array, low: Float64Array, tenkanPeriod: number, kijunPeriod: number, senkouBPeriod: number, displacement: number): Ichimoku {
  const tenkan = midpoint(high, low, tenkanPeriod);
  const kijun = midpoint(high, low, kijunPeriod);
  const spanA = new Float64Array(high.length);
  for (let i = 0; i < high.length; i++) spanA[i] = (tenkan[i]! + kijun[i]!) / 2;
  return { tenkan, kijun, senkouA: lag(spanA, displacement), senkouB: lag(midpoint(high, low, senkouBPeriod), displacement) };
}

/** (close − level) / close. */
function distance(close: Float64Array, level: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) out[i] = (close[i]! - level[i]!) / close[i]!;
  return out;
}

/** First bar with both leading spans: the longest window's first value, `displacement` bars later. */
const ichimokuWarmup = (p: { kijun: number; senkouB: number; displacement: number }): number => p.displacement + Math.max(p.kijun, p.senkouB) - 1;

export const ichimokuFeature = defineFeature({
  name: 'ichimoku',
  group: 'trend',
  description:
    'Ichimoku lines as distances (close − line) / close: tenkan, kijun, and the leading spans A and B as drawn under the current bar (computed `displacement` bars earlier); no chikou (it looks ahead).',
  params: z
    .strictObject({
      tenkan: z.number().int().min(2).default(9),
      kijun: z.number().int().min(2).default(26),
      senkouB: z.number().int().min(2).default(52),
      displacement: z.number().int().min(0).default(26),
    })
    .superRefine((p, ctx) => {
      if (p.tenkan >= p.kijun) ctx.addIssue({ code: 'custom', path: ['tenkan'], message: `tenkan (${p.tenkan}) must be less than kijun (${p.kijun})` });
      if (p.kijun >= p.senkouB) ctx.addIssue({ code: 'custom', path: ['kijun'], message: `kijun (${p.kijun}) must be less than senkouB (${p.senkouB})` });
    }),
  requires: ['high', 'low', 'close'],
  // Each name carries exactly the parameters its column depends on.
  outputs: (p) => [
    `ichimoku_tenkan_dist_${p.tenkan}`,
    `ichimoku_kijun_dist_${p.kijun}`,
    `ichimoku_senkou_a_dist_${p.tenkan}_${p.kijun}_${p.displacement}`,
    `ichimoku_senkou_b_dist_${p.senkouB}_${p.displacement}`,
  ],
  warmup: ichimokuWarmup,
  compute: (input, p) => {
    const close = col(input, 'close');
    const ich = ichimoku(col(input, 'high'), col(input, 'low'), p.tenkan, p.kijun, p.senkouB, p.displacement);
    const lines = [ich.tenkan, ich.kijun, ich.senkouA, ich.senkouB].map((line) => distance(close, line));
    return fromWarmup(lines, ichimokuWarmup(p));
  },
});
