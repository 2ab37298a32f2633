import { z } from 'zod';
import { firstValid, nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';

/**
 * Money Flow Index, as TA-Lib's MFI: with tp = (high + low + close) / 3 and money flow tp · volume,
 * a bar's flow is positive when tp rose from the previous bar, negative when it fell, neither when
 * unchanged; MFI = 100 · positive / (positive + negative) over the last n bars, first value at
 * index n. Window sums are taken afresh (O(n·w)) so an empty window is recognised exactly and
 * gives 50, the neutral value. TA-Lib writes 0 there and also treats typical prices within
 * 1e-14 (relative) of each other as unchanged; we compare exactly.
 */
export function mfi(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, period: number): Float64Array {
  const n = close.length;
  const start = Math.max(firstValid(high), firstValid(low), firstValid(close), firstValid(volume));
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  let prevTp = (high[start]! + low[start]! + close[start]!) / 3;
  for (let i = start + 1; i < n; i++) {
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    if (tp > prevTp) up[i] = tp * volume[i]!;
    else if (tp < prevTp) down[i] = tp * volume[i]!;
    prevTp = tp;
  }
  const out = nans(n);
  for (let i = start + period; i < n; i++) {
    let pos = 0;
    let neg = 0;
    for (let j = i - period + 1; j <= i; j++) {
      pos += up[j]!;
      neg += down[j]!;
    }
    const total = pos + neg;
    out[i] = total === 0 ? 50 : (100 * pos) / total;
  }
  return out;
}

export const mfiFeature = defineFeature({
  name: 'mfi',
  group: 'momentum',
  description: 'Money Flow Index, 0-100 (TA-Lib MFI; 50 on a window without money flow).',
  params: z.strictObject({ period: z.number().int().min(2).default(14) }),
  requires: ['high', 'low', 'close', 'volume'],
  outputs: (p) => [`mfi_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [mfi(col(input, 'high'), col(input, 'low'), col(input, 'close'), col(input, 'volume'), p.period)],
});
