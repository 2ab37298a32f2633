/**
 * Volume features on real S&P 500 daily bars against TA-Lib 0.8.2 (OBV), pandas 2.3 (rolling
 * mean/std/sum) and numpy sliding windows (VWAP): volume.reference.py. Plus hand-checked fixtures.
 */
import { join } from 'node:path';
import { expectSeriesClose, loadSp500, pythonReference } from '../../testing';
import { describeAgainstReference, outputNames } from '../../testing/referenceCases';
import { DEFAULT_VOLUME_SET, VOLUME_FEATURES, obv, obvDivergence, rollingVwap, volumeZScore } from './index';

describe('against TA-Lib, pandas and numpy on S&P 500 daily bars', () => {
  describeAgainstReference(join(__dirname, 'volume.reference.py'), VOLUME_FEATURES, [
    ...DEFAULT_VOLUME_SET,
    { name: 'obv_zscore', params: { period: 5 } },
    { name: 'obv_divergence', params: { period: 1 } },
    { name: 'obv_divergence', params: { period: 60 } },
    { name: 'vwap', params: { period: 5, mult: 1.5 } },
    { name: 'volume_zscore', params: { period: 50 } },
  ]);
});

test('raw OBV equals TA-Lib OBV', () => {
  const spx = loadSp500();
  const ref = pythonReference(join(__dirname, 'volume.reference.py'), { high: spx.high, low: spx.low, close: spx.close, volume: spx.volume, cases: [] });
  expectSeriesClose('obv', obv(spx.close, spx.volume), ref.obv!);
});

test('the default set gives 7 columns', () => {
  const n = outputNames(VOLUME_FEATURES, DEFAULT_VOLUME_SET).length;
  expect(n).toBe(7);
});

describe('hand-checked fixtures', () => {
  const close = Float64Array.from([10, 11, 11, 10, 12]);
  const volume = Float64Array.from([5, 3, 4, 2, 6]);

  test('OBV: starts at volume[0], +3 (up), unchanged (flat), -2 (down), +6 (up)', () => {
    expect(Array.from(obv(close, volume))).toEqual([5, 8, 8, 6, 12]);
  });

  test('OBV flow, efficiency and divergence: volume sold into a rise is a bearish divergence', () => {
    // Bars 1..2: +2 on volume 1, then -1 on volume 5. Flow (1 - 5) / 6, efficiency (11 - 10) / (2 + 1).
    const d = obvDivergence(Float64Array.from([10, 12, 11]), Float64Array.from([1, 1, 5]), 2);
    expect(d.flow[2]).toBeCloseTo(-2 / 3, 15);
    expect(d.efficiency[2]).toBeCloseTo(1 / 3, 15);
    expect(d.divergence[2]).toBeCloseTo(-1, 15);
    expect(d.signDivergence[2]).toBe(-1);
    expect(Number.isNaN(d.flow[1]!)).toBe(true);
  });

  test('a window without volume weights bars equally; zero volume z-score on a flat window', () => {
    const high = Float64Array.from([3, 6]);
    const low = Float64Array.from([3, 6]);
    const c = Float64Array.from([3, 6]);
    const r = rollingVwap(high, low, c, new Float64Array(2), 2);
    expect([r.vwap[1], r.std[1]]).toEqual([4.5, 1.5]);
    expect(volumeZScore(Float64Array.from([0, 0, 0, 0]), 3)[3]).toBe(0);
  });

  test('a window traded at one price has zero VWAP std, not rounding noise', () => {
    // 0.123 · 0.3 / 0.3 !== 0.123 in floating point: without care the std would be ~1e-17.
    const tp = Float64Array.from([0.1, 0.123, 0.3]);
    const r = rollingVwap(tp, tp, tp, Float64Array.from([0, 0.3, 0]), 3);
    expect(r.vwap[2]).toBeCloseTo(0.123, 15);
    expect(r.std[2]).toBe(0);
  });
});
