import { z } from 'zod';
import { firstValid, nans } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { fromWarmup } from '../../featureSet/outputs';

export interface Dmi {
  /** +DI, 0-100; first value at index n. */
  readonly plusDI: Float64Array;
  /** −DI, 0-100; first value at index n. */
  readonly minusDI: Float64Array;
  /** ADX, 0-100; first value at index 2n − 1. */
  readonly adx: Float64Array;
}

/**
 * Wilder's directional movement system, reproducing TA-Lib's PLUS_DI, MINUS_DI and ADX.
 *
 * TA-Lib's Wilder seeding differs from `wilder()` (SMA seed) and matters for the ratios:
 * +DM, −DM and TR are seeded with the plain SUM of bars 1..n−1 and then run Wilder's running sum
 * S ← S − S/n + x from bar n on, so the first DI (bar n) is 100 · S(+DM) / S(TR) with bar n
 * entering an already (n−1)/n-decayed sum. DX = 100 · |+DI − −DI| / (+DI + −DI); the first ADX
 * (bar 2n − 1) is the mean of the n DX values of bars n..2n−1, then ADX ← (ADX · (n−1) + DX) / n.
 *
 * Degenerate cases follow TA-Lib's code with exact zero tests (TA-Lib uses |x| < 1e-14): a zero
 * TR sum gives DI 0; a bar whose DI sum is zero adds 0 to the first ADX's mean but afterwards
 * leaves the ADX unchanged (TA-Lib skips the update).
 *
 * Directional movement: up = high − prevHigh, down = prevLow − low; +DM = up if up > down and
 * up > 0, −DM = down if down > up and down > 0, else 0 (a tie gives neither).
 */
export function dmi(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Dmi {
  const len = close.length;
  const plusDI = nans(len);
  const minusDI = nans(len);
  const adx = nans(len);
  const start = Math.max(firstValid(high), firstValid(low), firstValid(close));
  let sPlus = 0;
  let sMinus = 0;
  let sTr = 0;
  let sumDx = 0;
  let adxValue = 0;
  const firstAdx = start + 2 * period - 1;
  for (let i = start + 1; i < len; i++) {
    if (i >= start + period) {
      sPlus -= sPlus / period;
      sMinus -= sMinus / period;
      sTr -= sTr / period;
    }
    const up = high[i]! - high[i - 1]!;
    const down = low[i - 1]! - low[i]!;
    if (down > 0 && up < down) sMinus += down;
    else if (up > 0 && up > down) sPlus += up;
    const pc = close[i - 1]!;
    sTr += Math.max(high[i]! - low[i]!, Math.abs(high[i]! - pc), Math.abs(low[i]! - pc));
    if (i < start + period) continue;

    const pdi = sTr === 0 ? 0 : (100 * sPlus) / sTr;
    const mdi = sTr === 0 ? 0 : (100 * sMinus) / sTr;
    plusDI[i] = pdi;
    minusDI[i] = mdi;
    const diSum = pdi + mdi;
    if (i <= firstAdx) {
      if (diSum !== 0) sumDx += (100 * Math.abs(mdi - pdi)) / diSum;
      if (i === firstAdx) adxValue = sumDx / period;
    } else if (diSum !== 0) {
      adxValue = (adxValue * (period - 1) + (100 * Math.abs(mdi - pdi)) / diSum) / period;
    }
    if (i >= firstAdx) adx[i] = adxValue;
  }
  return { plusDI, minusDI, adx };
}

/** First bar with an ADX: the mean of the DX of bars n..2n − 1. */
const adxWarmup = (p: { period: number }): number => 2 * p.period - 1;

export const adxFeature = defineFeature({
  name: 'adx',
  group: 'trend',
  description: 'ADX, +DI and −DI, 0-100 (TA-Lib ADX / PLUS_DI / MINUS_DI, including their Wilder seeding).',
  params: z.strictObject({ period: z.number().int().min(2).default(14) }),
  requires: ['high', 'low', 'close'],
  outputs: (p) => [`adx_${p.period}`, `plus_di_${p.period}`, `minus_di_${p.period}`],
  warmup: adxWarmup,
  compute: (input, p) => {
    const d = dmi(col(input, 'high'), col(input, 'low'), col(input, 'close'), p.period);
    return fromWarmup([d.adx, d.plusDI, d.minusDI], adxWarmup(p));
  },
});
