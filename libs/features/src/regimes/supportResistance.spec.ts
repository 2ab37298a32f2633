/** Support/resistance: pivots only after confirmation, window expiry, the clustering rule, bad input. */
import { generateSyntheticMarket, InvalidInputError } from '@ares/data';
import { thrown } from '@ares/data/testing';
import { atr } from '../core/rolling';
import { InvalidFeatureParamsError, MissingColumnError, NonFiniteInputError } from '../errors';
import { findPivots, isPivotHigh } from './pivots';
import { supportResistance, supportResistanceLevels } from './supportResistance';
import { barsFromCloses, ramp } from './testBars';

/**
 * Three 10-bar swings between 100 and 110 (one close per bar, wicks 0.2): pivot highs at bars
 * 11, 31, 51 (high 110.2; each peak is a flat top of bars 10-11, counted once at its last bar) and
 * pivot lows at 21, 41 (low 99.8); then 20 bars down to 80 and 30 bars back up to 110 at bar 110.
 */
function threeTops() {
  const closes = [100];
  for (let i = 0; i < 3; i++) closes.push(...ramp(100, 110, 10), ...ramp(110, 100, 10));
  closes.push(...ramp(100, 80, 20), ...ramp(80, 110, 30), ...ramp(110, 105, 5));
  return barsFromCloses(closes);
}

const K = 5;

describe('pivots', () => {
  test('the three tops and the swing lows are found where they were built', () => {
    const bars = threeTops();
    const p = findPivots(bars.high, bars.low, K);
    expect(Array.from(p.highs)).toEqual([11, 31, 51]);
    expect(Array.from(p.lows)).toEqual([21, 41, 81]);
  });

  test('a flat top counts once, at its last bar; a lower bar on the left is required to be no higher', () => {
    const x = Float64Array.from([1, 2, 3, 5, 5, 4, 3, 2, 1]);
    expect(isPivotHigh(x, 3, 2)).toBe(false); // bar 4 equals it on the right
    expect(isPivotHigh(x, 4, 2)).toBe(true);
  });
});

describe('levels use a pivot only once it is confirmed (bar j + k)', () => {
  test('the top at bar 11 is absent at bar 15 and present at bar 16', () => {
    const bars = threeTops();
    const before = supportResistanceLevels(bars, { minTouches: 1 }, 11 + K - 1);
    const at = supportResistanceLevels(bars, { minTouches: 1 }, 11 + K);
    expect(before).toEqual([]);
    expect(at).toEqual([{ price: 110.2, touches: 1, lastTouch: 11, lastTouchTime: bars.openTime[11] }]);

    const sr = supportResistance(bars, { minTouches: 1 });
    expect(sr.resistancePrice[15]).toBeNaN();
    expect(sr.resistancePrice[16]).toBe(110.2);
    const a = atr(bars.high, bars.low, bars.close, 14);
    expect(sr.resistanceDistance[16]).toBeCloseTo((110.2 - bars.close[16]!) / a[16]!, 12);
    expect(sr.resistanceTouches[16]).toBe(1);
  });

  test('touches accumulate as each top is confirmed: 1 at bar 16, 2 at 36, 3 at 56', () => {
    const bars = threeTops();
    const sr = supportResistance(bars, { minTouches: 1 });
    const touchesOfTop = (t: number) => supportResistanceLevels(bars, { minTouches: 1 }, t).find((l) => l.price === 110.2)?.touches;
    expect([touchesOfTop(35), touchesOfTop(36), touchesOfTop(55), touchesOfTop(56)]).toEqual([1, 2, 2, 3]);
    // At bar 110 (close 110, back at the triple top) the nearest resistance is that level, 0.2 above.
    expect(sr.resistancePrice[110]).toBeCloseTo(110.2, 12);
    expect(sr.resistanceTouches[110]).toBe(3);
  });

  test('pivots leave the window after `lookback` bars: with lookback 30 the top at 11 is gone at bar 41', () => {
    const bars = threeTops();
    const touches = (t: number) => supportResistanceLevels(bars, { minTouches: 1, lookback: 30 }, t).find((l) => l.price === 110.2)?.touches;
    expect(touches(40)).toBe(2); // tops 11 and 31
    expect(touches(41)).toBe(1); // 11 <= 41 - 30: out
  });
});

describe('clustering: sorted prices, each joins the current cluster while within tolerance × ATR of its mean', () => {
  // Tops at highs 110.2, 110.8 and 111.4 (gaps 0.6), troughs at 99.8.
  function steppedTops() {
    const closes = [100];
    for (const top of [110, 110.6, 111.2]) closes.push(...ramp(closes[closes.length - 1]!, top, 10), ...ramp(top, 100, 10));
    closes.push(...ramp(100, 95, 10));
    return barsFromCloses(closes);
  }

  test('mean-based, not chained: 110.2 and 110.8 merge; 111.4 is 0.9 from their mean and stays apart', () => {
    const bars = steppedTops();
    const t = bars.close.length - 1;
    const a = atr(bars.high, bars.low, bars.close, 14);
    // The last rebuild happened when the third top was confirmed (bar 56); aim the tolerance at 0.75 in price there.
    const tolerance = 0.75 / a[56]!;
    const tops = supportResistanceLevels(bars, { minTouches: 1, tolerance }, t).filter((l) => l.price > 105);
    expect(tops.map((l) => [Number(l.price.toFixed(9)), l.touches])).toEqual([[110.5, 2], [111.4, 1]]);
  });

  test('a tight tolerance keeps every top apart; a wide one merges all three', () => {
    const bars = steppedTops();
    const t = bars.close.length - 1;
    const tops = (tolerance: number) => supportResistanceLevels(bars, { minTouches: 1, tolerance }, t).filter((l) => l.price > 105).map((l) => l.touches);
    expect(tops(0.1)).toEqual([1, 1, 1]);
    expect(tops(3)).toEqual([3]);
  });

  test('minTouches drops weak levels; levels come out sorted by price', () => {
    const bars = threeTops();
    const levels = supportResistanceLevels(bars, { minTouches: 2 }, 110);
    expect(levels.map((l) => [Number(l.price.toFixed(9)), l.touches])).toEqual([[99.8, 2], [110.2, 3]]);
  });
});

describe('outputs on a synthetic market', () => {
  const m = generateSyntheticMarket({ bars: 3000, seed: 5 });
  const sr = supportResistance(m.candles);

  test('support lies at or below the close, resistance above; distances are in ATR units and non-negative', () => {
    const a = atr(m.candles.high, m.candles.low, m.candles.close, 14);
    let supports = 0;
    let resistances = 0;
    for (let t = 0; t < 3000; t++) {
      const c = m.candles.close[t]!;
      if (!Number.isNaN(sr.supportPrice[t]!)) {
        supports++;
        expect(sr.supportPrice[t]!).toBeLessThanOrEqual(c);
        expect(sr.supportDistance[t]!).toBeCloseTo((c - sr.supportPrice[t]!) / a[t]!, 9);
        expect(sr.supportTouches[t]!).toBeGreaterThanOrEqual(2);
      } else expect(sr.supportTouches[t]).toBe(0);
      if (!Number.isNaN(sr.resistancePrice[t]!)) {
        resistances++;
        expect(sr.resistancePrice[t]!).toBeGreaterThan(c);
        expect(sr.resistanceDistance[t]!).toBeGreaterThan(0);
      }
    }
    // Levels exist most of the time once enough pivots have gathered.
    expect(supports / 3000).toBeGreaterThan(0.5);
    expect(resistances / 3000).toBeGreaterThan(0.5);
  });

  test('nothing before the warm-up (ATR and one pivot): max(14, 2 × 5)', () => {
    expect(sr.warmup).toBe(14);
    for (let t = 0; t < sr.warmup; t++) expect(sr.supportPrice[t]).toBeNaN();
  });
});

describe('bad input fails fast, naming the field', () => {
  const bars = threeTops();

  test('missing low column', () => {
    const err = thrown(() => supportResistance({ high: bars.high, close: bars.close }));
    expect(err).toBeInstanceOf(MissingColumnError);
    expect(err.message).toMatch(/'low'/);
  });

  test('NaN in high: count and time range', () => {
    const high = bars.high.slice();
    high.fill(Number.NaN, 20, 30);
    const err = thrown(() => supportResistance({ ...bars, high }));
    expect(err).toBeInstanceOf(NonFiniteInputError);
    expect(err.message).toBe("column 'high' has 10 NaN/Inf values between 2024-01-01T20:00:00.000Z and 2024-01-02T05:00:00.000Z (rows 20..29)");
  });

  test('columns of different lengths', () => {
    const err = thrown(() => supportResistance({ ...bars, low: bars.low.subarray(1) }));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toMatch(/'low' has 115 rows but 'high' has 116/);
  });

  test('lookback too short for a pivot names both fields', () => {
    const err = thrown(() => supportResistance(bars, { lookback: 10, pivotWidth: 5 }));
    expect(err).toBeInstanceOf(InvalidFeatureParamsError);
    expect(err.message).toMatch(/'lookback' \(10\).*'pivotWidth'/);
  });

  test('bad values and unknown parameters', () => {
    expect(thrown(() => supportResistance(bars, { tolerance: -1 })).message).toMatch(/'tolerance'.*got -1/);
    expect(thrown(() => supportResistance(bars, { tolerence: 1 } as never)).message).toMatch(/unknown parameter 'tolerence'/);
    expect(thrown(() => supportResistanceLevels(bars, {}, 116))).toBeInstanceOf(InvalidFeatureParamsError);
  });
});
