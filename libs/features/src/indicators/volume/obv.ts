import { z } from 'zod';
import { nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { periodParam } from '../../featureSet/params';
import { rollingZScore } from '../statistics/runningMoments';
import { windowSum } from './windowSum';

/**
 * On-balance volume as TA-Lib's OBV: starts at volume[0], then adds the bar's volume when the close
 * rises, subtracts it when it falls, keeps it when unchanged. A running level in volume units
 * (not scale-free: use obvZScore or obvDivergence as features).
 */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  if (close.length === 0) return out;
  let level = volume[0]!;
  out[0] = level;
  for (let i = 1; i < close.length; i++) {
    const d = close[i]! - close[i - 1]!;
    if (d > 0) level += volume[i]!;
    else if (d < 0) level -= volume[i]!;
    out[i] = level;
  }
  return out;
}

/** OBV's z-score over n bars: (OBV - mean) / std with the SAMPLE std (ddof 1, pandas); 0 on a flat window. */
export function obvZScore(close: Float64Array, volume: Float64Array, n: number): Float64Array {
  return rollingZScore(obv(close, volume), n);
}

/** OBV flow, price efficiency and their divergence over n bars (see {@link obvDivergence}). */
export interface ObvDivergence {
  /** (OBV[t] - OBV[t-n]) / Σ volume over the n bars: net signed share of the volume, in [-1, 1]. */
  readonly flow: Float64Array;
  /** (close[t] - close[t-n]) / Σ |close[j] - close[j-1]| over the n bars: the same ratio for price, in [-1, 1]. */
  readonly efficiency: Float64Array;
  /** flow - efficiency, in [-2, 2]: > 0 when volume is more bullish than the price path (bullish divergence). */
  readonly divergence: Float64Array;
  /** (sign(OBV[t] - OBV[t-n]) - sign(close[t] - close[t-n])) / 2: 1 = OBV up while price down, -1 the reverse, 0 agreement. */
  readonly signDivergence: Float64Array;
}

/**
 * OBV-price divergence over the last n bars (bars t-n+1..t and their close changes). Both sides
 * are normalised the same way, so they are comparable and scale-free: the OBV change is
 * Σ sign(Δclose)·volume, divided by Σ volume; the price change Σ Δclose, divided by Σ |Δclose|
 * (Kaufman's efficiency ratio, signed). A window with no volume (or no price movement) gives 0.
 * First value at index n.
 */
export function obvDivergence(close: Float64Array, volume: Float64Array, n: number): ObvDivergence {
  // Per bar from index 1 (where the close change is defined; NaN at 0 so the sums start there).
  const barVolume = nans(close.length);
  const signedVolume = nans(close.length);
  const pathLength = nans(close.length);
  for (let i = 1; i < close.length; i++) {
    const d = close[i]! - close[i - 1]!;
    barVolume[i] = volume[i]!;
    signedVolume[i] = d > 0 ? volume[i]! : d < 0 ? -volume[i]! : 0;
    pathLength[i] = Math.abs(d);
  }
  const signed = windowSum(signedVolume, n);
  const total = windowSum(barVolume, n);
  const path = windowSum(pathLength, n);
  const flow = nans(close.length);
  const efficiency = nans(close.length);
  const divergence = nans(close.length);
  const signDivergence = nans(close.length);
  for (let i = n; i < close.length; i++) {
    const move = close[i]! - close[i - n]!;
    flow[i] = total[i] === 0 ? 0 : signed[i]! / total[i]!;
    efficiency[i] = path[i] === 0 ? 0 : move / path[i]!;
    divergence[i] = flow[i]! - efficiency[i]!;
    signDivergence[i] = (Math.sign(signed[i]!) - Math.sign(move)) / 2;
  }
  return { flow, efficiency, divergence, signDivergence };
}

export const obvZScoreFeature = defineFeature({
  name: 'obv_zscore',
  group: 'volume',
  description: 'Z-score of on-balance volume (TA-Lib OBV) over `period` bars, sample std (ddof 1).',
  params: z.strictObject({ period: periodParam(2, 20) }),
  requires: ['close', 'volume'],
  outputs: (p) => [`obv_z_${p.period}`],
  warmup: (p) => p.period - 1,
  compute: (input, p) => [obvZScore(col(input, 'close'), col(input, 'volume'), p.period)],
});

export const obvDivergenceFeature = defineFeature({
  name: 'obv_divergence',
  group: 'volume',
  description: 'Over `period` bars: OBV flow = ΔOBV / Σ volume; divergence = flow - signed efficiency ratio of price (Δclose / Σ|Δclose|); sign divergence = (sign ΔOBV - sign Δclose) / 2.',
  params: z.strictObject({ period: periodParam(1, 20) }),
  requires: ['close', 'volume'],
  outputs: (p) => [`obv_flow_${p.period}`, `obv_div_${p.period}`, `obv_div_sign_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => {
    const d = obvDivergence(col(input, 'close'), col(input, 'volume'), p.period);
    return [d.flow, d.divergence, d.signDivergence];
  },
});
