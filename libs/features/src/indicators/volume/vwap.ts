import { z } from 'zod';
import { nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { paramTag } from '../../featureSet/outputs';
import { periodParam } from '../../featureSet/params';
import { bandPosition, relativeDistance, type Bands } from '../volatility/bands';

/** Rolling VWAP and the volume-weighted std of the typical price around it. */
export interface RollingVwap {
  readonly vwap: Float64Array;
  readonly std: Float64Array;
}

/**
 * Rolling VWAP over n bars: Σ typical·volume / Σ volume with typical = (high + low + close) / 3,
 * and σ = sqrt(Σ volume·(typical - VWAP)² / Σ volume), the volume-weighted POPULATION std. A
 * window without volume weights its bars equally. Two passes per window (O(length · n); no
 * running sum of squares to cancel). First value at index n - 1.
 */
export function rollingVwap(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, n: number): RollingVwap {
  const tp = new Float64Array(close.length);
  for (let i = 0; i < tp.length; i++) tp[i] = (high[i]! + low[i]! + close[i]!) / 3;
  const vwap = nans(close.length);
  const std = nans(close.length);
  for (let i = n - 1; i < close.length; i++) {
    let sv = 0;
    let stv = 0;
    for (let j = i - n + 1; j <= i; j++) {
      sv += volume[j]!;
      stv += tp[j]! * volume[j]!;
    }
    if (sv > 0) {
      const mean = stv / sv;
      let ss = 0;
      for (let j = i - n + 1; j <= i; j++) {
        const d = tp[j]! - mean;
        ss += volume[j]! * d * d;
      }
      vwap[i] = mean;
      std[i] = Math.sqrt(ss / sv);
      // Rounding noise (stv / sv need not return a lone traded price exactly) must not pass for a
      // spread: when every traded bar has the same typical price, the std is 0.
      if (ss <= 1e-24 * sv * mean * mean && tradedAtOnePrice(tp, volume, i - n + 1, i)) std[i] = 0;
    } else {
      equalWeights(tp, i - n + 1, i, vwap, std);
    }
  }
  return { vwap, std };
}

/** VWAP bands: VWAP ± k·σ (see {@link rollingVwap}). */
export function vwapBands(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, n: number, k: number): Bands {
  const { vwap, std } = rollingVwap(high, low, close, volume, n);
  const lower = new Float64Array(close.length);
  const upper = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) {
    lower[i] = vwap[i]! - k * std[i]!;
    upper[i] = vwap[i]! + k * std[i]!;
  }
  return { lower, middle: vwap, upper };
}

export const vwapFeature = defineFeature({
  name: 'vwap',
  group: 'volume',
  description: 'Rolling VWAP of the typical price over `period` bars: (close - VWAP) / close, and the position of the close in VWAP ± mult·(volume-weighted population std) (0 lower, 1 upper; 0.5 when σ = 0).',
  params: z.strictObject({ period: periodParam(2, 20), mult: z.number().positive().default(2) }),
  requires: ['high', 'low', 'close', 'volume'],
  outputs: (p) => [`vwap_dist_${p.period}`, `vwap_pos_${p.period}_${paramTag(p.mult, 'keep')}`],
  warmup: (p) => p.period - 1,
  compute: (input, p) => {
    const close = col(input, 'close');
    const b = vwapBands(col(input, 'high'), col(input, 'low'), close, col(input, 'volume'), p.period, p.mult);
    return [relativeDistance(close, b.middle), bandPosition(close, b.lower, b.upper)];
  },
});

/** Mean and population std of tp[from..to], written at index `to` (a window without volume). */
function equalWeights(tp: Float64Array, from: number, to: number, mean: Float64Array, std: Float64Array): void {
  const n = to - from + 1;
  let m = 0;
  for (let j = from; j <= to; j++) m += tp[j]!;
  m /= n;
  let ss = 0;
  for (let j = from; j <= to; j++) ss += (tp[j]! - m) ** 2;
  mean[to] = m;
  std[to] = Math.sqrt(ss / n);
}

/** Whether all bars of [from, to] with volume have the same typical price. */
function tradedAtOnePrice(tp: Float64Array, volume: Float64Array, from: number, to: number): boolean {
  let price = Number.NaN;
  for (let j = from; j <= to; j++) {
    if (volume[j] === 0) continue;
    if (Number.isNaN(price)) price = tp[j]!;
    else if (tp[j] !== price) return false;
  }
  return true;
}
