/**
 * Volatility features on real S&P 500 daily bars against TA-Lib 0.8.2 (ATR, NATR, BBANDS, EMA)
 * and pandas 2.3 rolling max/min: volatility.reference.py. Plus fixtures for degenerate windows
 * and parameter validation.
 */
import { join } from 'node:path';
import { describeAgainstReference, outputNames } from '../../testing/referenceCases';
import { DEFAULT_VOLATILITY_SET, VOLATILITY_FEATURES, atrBands, bandPosition, bollinger, bollingerFeature, keltnerFeature } from './index';

describe('against TA-Lib and pandas on S&P 500 daily bars', () => {
  describeAgainstReference(join(__dirname, 'volatility.reference.py'), VOLATILITY_FEATURES, [
    ...DEFAULT_VOLATILITY_SET,
    { name: 'atr', params: { period: 14 } },
    { name: 'natr', params: { period: 5 } },
    { name: 'atr_bands', params: { period: 7, mult: 1.5 } },
    { name: 'bollinger', params: { period: 5, mult: 1 } },
    { name: 'bollinger', params: { period: 50, mult: 2.5 } },
    { name: 'donchian', params: { period: 55 } },
    { name: 'keltner', params: { emaPeriod: 10, atrPeriod: 20, mult: 1.5 } },
  ]);
});

test('the default set gives 11 columns', () => {
  const n = outputNames(VOLATILITY_FEATURES, DEFAULT_VOLATILITY_SET).length;
  expect(n).toBe(11);
});

describe('hand-checked fixtures', () => {
  test('a flat window gives zero-width Bollinger bands and %B 0.5, not rounding noise', () => {
    const close = Float64Array.from([1, 2, 0.1, 0.1, 0.1, 0.1]);
    const b = bollinger(close, 4, 2);
    expect(b.upper[5]).toBe(b.lower[5]);
    expect(bandPosition(close, b.lower, b.upper)[5]).toBe(0.5);
  });

  test('ATR bands for bar t sit at close[t-1] ± k·ATR[t-1]', () => {
    const high = Float64Array.from([11, 12, 13, 14]);
    const low = Float64Array.from([9, 10, 11, 12]);
    const close = Float64Array.from([10, 11, 12, 13]);
    // True range is 2 on every bar from 1 on, so ATR(2) = 2 from index 2.
    const b = atrBands(high, low, close, 2, 1.5);
    expect([b.lower[3], b.middle[3], b.upper[3]]).toEqual([12 - 3, 12, 12 + 3]);
    expect(Number.isNaN(b.lower[2]!)).toBe(true);
  });
});

describe('parameter validation', () => {
  test('defaults, and non-positive multipliers rejected', () => {
    expect(keltnerFeature.params.parse({})).toEqual({ emaPeriod: 20, atrPeriod: 10, mult: 2 });
    expect(bollingerFeature.params.safeParse({ mult: 0 }).success).toBe(false);
    expect(bollingerFeature.params.safeParse({ period: 1 }).success).toBe(false);
  });
});
