import { z } from 'zod';
import { firstValid, nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { paramTag } from '../../featureSet/outputs';

export interface Sar {
  /** The stop-and-reverse level for each bar; first value at index 1. */
  readonly sar: Float64Array;
  /** +1 long (SAR below price), −1 short (SAR above price), after the bar's possible reversal. */
  readonly side: Float64Array;
}

/**
 * Wilder's Parabolic SAR, reproducing TA-Lib's SAR (ta_SAR.c) including its initialisation:
 * - the first output is at bar 1; the initial side is short when bar 1 has a positive −DM
 *   (low fell by more than high rose), long otherwise;
 * - long start: SAR = low[0], EP = high[1]; short start: SAR = high[0], EP = low[1];
 * - the reported SAR at bar t was computed at bar t − 1 unless bar t penetrates it: then the side
 *   flips, the reported SAR is the old EP (kept outside bar t's and bar t − 1's range), AF resets;
 * - the next SAR is SAR + AF · (EP − SAR), clipped to the last two bars' lows (long) / highs (short);
 *   AF grows by `acceleration` on each new extreme up to `maximum`.
 * TA-Lib lowers `acceleration` to `maximum` when it is larger; so does this function (the feature
 * rejects such parameters instead).
 */
export function parabolicSar(high: Float64Array, low: Float64Array, acceleration: number, maximum: number): Sar {
  const len = high.length;
  const sarOut = nans(len);
  const sideOut = nans(len);
  const start = Math.max(firstValid(high), firstValid(low));
  if (len - start < 2) return { sar: sarOut, side: sideOut };
  const step = Math.min(acceleration, maximum);

  const downMove = low[start]! - low[start + 1]!;
  const upMove = high[start + 1]! - high[start]!;
  let isLong = !(downMove > 0 && upMove < downMove);
  let af = step;
  let ep = isLong ? high[start + 1]! : low[start + 1]!;
  let sar = isLong ? low[start]! : high[start]!;
  // TA-Lib starts "yesterday" at bar 1 itself, so bar 0 never clips the first SARs.
  let newHigh = high[start + 1]!;
  let newLow = low[start + 1]!;

  for (let i = start + 1; i < len; i++) {
    const prevHigh = newHigh;
    const prevLow = newLow;
    newHigh = high[i]!;
    newLow = low[i]!;
    if (isLong) {
      if (newLow <= sar) {
        isLong = false;
        sar = Math.max(ep, prevHigh, newHigh);
        sarOut[i] = sar;
        af = step;
        ep = newLow;
        sar = Math.max(sar + af * (ep - sar), prevHigh, newHigh);
      } else {
        sarOut[i] = sar;
        if (newHigh > ep) {
          ep = newHigh;
          af = Math.min(af + step, maximum);
        }
        sar = Math.min(sar + af * (ep - sar), prevLow, newLow);
      }
    } else if (newHigh >= sar) {
      isLong = true;
      sar = Math.min(ep, prevLow, newLow);
      sarOut[i] = sar;
      af = step;
      ep = newHigh;
      sar = Math.min(sar + af * (ep - sar), prevLow, newLow);
    } else {
      sarOut[i] = sar;
      if (newLow < ep) {
        ep = newLow;
        af = Math.min(af + step, maximum);
      }
      sar = Math.max(sar + af * (ep - sar), prevHigh, newHigh);
    }
    sideOut[i] = isLong ? 1 : -1;
  }
  return { sar: sarOut, side: sideOut };
}

export const sarFeature = defineFeature({
  name: 'sar',
  group: 'trend',
  description: 'Parabolic SAR (TA-Lib SAR) as the distance (close − SAR) / close and the side, +1 long / −1 short.',
  params: z
    .strictObject({
      acceleration: z.number().positive().default(0.02),
      maximum: z.number().positive().default(0.2),
    })
    .superRefine((p, ctx) => {
      if (p.acceleration > p.maximum) {
        ctx.addIssue({ code: 'custom', path: ['acceleration'], message: `acceleration (${p.acceleration}) must not exceed maximum (${p.maximum})` });
      }
    }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => {
    const s = `${paramTag(p.acceleration)}_${paramTag(p.maximum)}`;
    return [`sar_dist_${s}`, `sar_side_${s}`];
  },
  warmup: () => 1,
  compute: (input, p) => {
    const close = col(input, 'close');
    const { sar, side } = parabolicSar(col(input, 'high'), col(input, 'low'), p.acceleration, p.maximum);
    const dist = nans(close.length);
    for (let i = 0; i < close.length; i++) dist[i] = (close[i]! - sar[i]!) / close[i]!;
    return [dist, side];
  },
});
