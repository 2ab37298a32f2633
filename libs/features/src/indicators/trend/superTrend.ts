import { z } from 'zod';
import { atr, firstValid, nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { paramTag } from '../../featureSet/outputs';

export interface SuperTrend {
  /** The SuperTrend level: the final lower band in an up-trend, the final upper band in a down-trend. */
  readonly line: Float64Array;
  /** +1 up-trend (line below price), −1 down-trend. */
  readonly direction: Float64Array;
}

/**
 * SuperTrend (Olivier Seban), following the definition TradingView publishes as `pine_supertrend`
 * in its Pine Script reference for `ta.supertrend`
 * (https://www.tradingview.com/pine-script-reference/v5/#fun_ta.supertrend):
 * - basic bands hl2 ± multiplier · ATR;
 * - final lower band = basic lower if it rose or the previous close fell below the previous final
 *   lower band, else the previous final lower band; the upper band mirrors it;
 * - in a down-trend (line = upper band) the trend turns up when close > final upper band; in an
 *   up-trend it turns down when close < final lower band;
 * - on the first bar with an ATR the trend is down (line = upper band), as in the Pine code.
 * Signs are the usual ones (+1 up), not Pine's (−1 up). ATR is `atr()` (TA-Lib: Wilder, first value
 * at index n); Pine's ta.atr also counts bar 0's high − low and starts a bar earlier, which differs
 * only while the seed fades. pandas-ta's `supertrend` is a variant (it compares the close with the
 * previous bands and ratchets them only within a trend) and is not what this reproduces.
 */
export function superTrend(high: Float64Array, low: Float64Array, close: Float64Array, period: number, multiplier: number): SuperTrend {
  const len = close.length;
  const line = nans(len);
  const direction = nans(len);
  const range = atr(high, low, close, period);
  const first = firstValid(range);
  let upper = 0;
  let lower = 0;
  let dir = -1;
  for (let i = first; i < len; i++) {
    const mid = (high[i]! + low[i]!) / 2;
    const basicUpper = mid + multiplier * range[i]!;
    const basicLower = mid - multiplier * range[i]!;
    if (i === first) {
      upper = basicUpper;
      lower = basicLower;
    } else {
      const prevClose = close[i - 1]!;
      lower = basicLower > lower || prevClose < lower ? basicLower : lower;
      upper = basicUpper < upper || prevClose > upper ? basicUpper : upper;
      if (dir === -1) dir = close[i]! > upper ? 1 : -1;
      else dir = close[i]! < lower ? -1 : 1;
    }
    line[i] = dir === 1 ? lower : upper;
    direction[i] = dir;
  }
  return { line, direction };
}

export const superTrendFeature = defineFeature({
  name: 'supertrend',
  group: 'trend',
  description: 'SuperTrend (TradingView ta.supertrend definition, TA-Lib ATR) as the distance (close − line) / close and the direction, +1 up / −1 down.',
  params: z.strictObject({
    period: z.number().int().min(1).default(10),
    multiplier: z.number().positive().default(3),
  }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => {
    const s = `${p.period}_${paramTag(p.multiplier)}`;
    return [`supertrend_dist_${s}`, `supertrend_dir_${s}`];
  },
  warmup: (p) => p.period,
  compute: (input, p) => {
    const close = col(input, 'close');
    const st = superTrend(col(input, 'high'), col(input, 'low'), close, p.period, p.multiplier);
    const dist = nans(close.length);
    for (let i = 0; i < close.length; i++) dist[i] = (close[i]! - st.line[i]!) / close[i]!;
    return [dist, st.direction];
  },
});
