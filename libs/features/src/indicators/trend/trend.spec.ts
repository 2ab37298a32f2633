/**
 * Trend indicators on real daily S&P 500 bars (vega-datasets, 5104 rows) against independent
 * references (trend.reference.py), to 1e-9 relative (1e-9 absolute near zero) with NaN at exactly
 * the reference's positions: TA-Lib 0.8 (C library) for the MA ratios, ADX/±DI and SAR; pandas
 * rolling max/min + shift for Ichimoku; a transliteration of TradingView's published
 * `pine_supertrend` (with talib.ATR) for SuperTrend.
 */
import { join } from 'node:path';
import { firstValid } from '../../core/rolling';
import { expectSeriesClose, loadSp500 } from '../../testing';
import { describeFromWarmup, describeShortSeries, outputNames, resolveCases, sp500Ohlcv, specReference } from '../../testing/referenceCases';
import { DEFAULT_MOMENTUM_SET, MOMENTUM_FEATURES } from '../momentum';
import { DEFAULT_TREND_SET, dmi, emaRatio, ichimoku, ichimokuFeature, parabolicSar, sarFeature, smaRatio, superTrend, TREND_FEATURES } from '.';

const spx = loadSp500();
const { high, low, close } = spx;
const input = sp500Ohlcv(spx);

/** Non-default parameters, so that no output name or warm-up is right only by accident. */
const EXTRA = [
  { name: 'ema_ratio', params: { period: 2 } },
  { name: 'adx', params: { period: 5 } },
  { name: 'sar', params: { acceleration: 0.01, maximum: 0.1 } },
  { name: 'ichimoku', params: { tenkan: 7, kijun: 22, senkouB: 44, displacement: 30 } },
  { name: 'supertrend', params: { period: 7, multiplier: 2.5 } },
];

const resolved = resolveCases(TREND_FEATURES, [...DEFAULT_TREND_SET, ...EXTRA]);
const ref = specReference(join(__dirname, 'trend.reference.py'), { high, low, close }, resolved);

describeFromWarmup('FeatureDefs on S&P 500 vs the references', resolved, input, ref);

describe('plain functions on S&P 500, with their own warm-ups', () => {
  const d = dmi(high, low, close, 14);
  const ich = ichimoku(high, low, 9, 26, 52, 26);
  const sar = parabolicSar(high, low, 0.02, 0.2);
  const st = superTrend(high, low, close, 10, 3);
  test.each([
    ['EMA ratio(50)', () => emaRatio(close, 50), 'ema_ratio_50'],
    ['SMA ratio(20)', () => smaRatio(close, 20), 'sma_ratio_20'],
    ['+DI(14) from index 14 (TA-Lib PLUS_DI)', () => d.plusDI, 'plus_di_14'],
    ['−DI(14) from index 14 (TA-Lib MINUS_DI)', () => d.minusDI, 'minus_di_14'],
    ['ADX(14) from index 27 (TA-Lib ADX)', () => d.adx, 'adx_14'],
    ['Parabolic SAR(0.02, 0.2) (TA-Lib SAR)', () => sar.sar, 'sar'],
    ['SAR side', () => sar.side, 'sar_side'],
    ['Ichimoku tenkan(9)', () => ich.tenkan, 'tenkan'],
    ['Ichimoku kijun(26)', () => ich.kijun, 'kijun'],
    ['Ichimoku senkou A, shifted 26', () => ich.senkouA, 'senkou_a'],
    ['Ichimoku senkou B(52), shifted 26', () => ich.senkouB, 'senkou_b'],
    ['SuperTrend(10, 3) line', () => st.line, 'supertrend'],
    ['SuperTrend(10, 3) direction', () => st.direction, 'supertrend_dir'],
  ])('%s', (_name, compute, key) => {
    expectSeriesClose(key, compute(), ref[key]!, 1e-9, 1e-9);
  });

  test('the SAR and SuperTrend series both change side on the S&P 500 (the reversal branches are exercised)', () => {
    const flips = (x: Float64Array) => x.reduce((n, v, i) => (i > 0 && v !== x[i - 1] && !Number.isNaN(x[i - 1]!) ? n + 1 : n), 0);
    expect(flips(sar.side)).toBeGreaterThan(100);
    expect(flips(st.direction)).toBeGreaterThan(50);
  });
});

describeShortSeries(TREND_FEATURES, spx);

describe('hand-checked cases', () => {
  test('Ichimoku leading spans at bar t come from bar t − displacement only: changing bar t leaves them unchanged', () => {
    const h = Float64Array.from({ length: 12 }, (_, i) => 10 + i);
    const l = Float64Array.from({ length: 12 }, (_, i) => 9 + i);
    const a = ichimoku(h, l, 2, 3, 4, 2);
    // span B at t = 5: bars 0..3 (computed at t − 2 = 3): (13 + 9) / 2 = 11.
    expect(a.senkouB[5]).toBe(11);
    // span A at t = 5: at bar 3, tenkan = (13 + 11) / 2 = 12 and kijun = (13 + 10) / 2 = 11.5.
    expect(a.senkouA[5]).toBe(11.75);
    expect(firstValid(a.senkouA)).toBe(4);
    expect(firstValid(a.senkouB)).toBe(5);
    h[5] = 1000;
    const b = ichimoku(h, l, 2, 3, 4, 2);
    expect([b.senkouA[5], b.senkouB[5]]).toEqual([a.senkouA[5], a.senkouB[5]]);
  });

  test('SAR starts long when bar 1 has no −DM: SAR = low[0], then moves toward the new high', () => {
    // Long start: SAR(1) = low[0] = 9, EP = high[1] = 12. Bar 1 makes no new extreme, so the next
    // SAR is 9 + 0.02 · (12 − 9) = 9.06, clipped to the two last lows (10, 10): 9.06.
    const s = parabolicSar(Float64Array.from([10, 12, 13]), Float64Array.from([9, 10, 11]), 0.02, 0.2);
    expect(Number.isNaN(s.sar[0]!)).toBe(true);
    expect(s.sar[1]).toBe(9);
    expect(s.sar[2]).toBeCloseTo(9.06, 12);
    expect(Array.from(s.side)).toEqual([NaN, 1, 1]);
  });

  test('SAR starts short when bar 1 falls: SAR = high[0]', () => {
    const s = parabolicSar(Float64Array.from([10, 9.5]), Float64Array.from([9, 8]), 0.02, 0.2);
    expect(s.sar[1]).toBe(10);
    expect(s.side[1]).toBe(-1);
  });

  test('ADX: a steady up-trend has −DI 0, +DI > 0 and ADX 100', () => {
    const h = Float64Array.from({ length: 40 }, (_, i) => 11 + i);
    const l = Float64Array.from({ length: 40 }, (_, i) => 9 + i);
    const c = Float64Array.from({ length: 40 }, (_, i) => 10 + i);
    const d = dmi(h, l, c, 5);
    expect(d.minusDI[39]).toBe(0);
    expect(d.plusDI[39]).toBeGreaterThan(0);
    expect(d.adx[39]).toBeCloseTo(100, 12);
    expect([firstValid(d.plusDI), firstValid(d.adx)]).toEqual([5, 9]);
  });

  test('ADX on a flat start: DI 0 while nothing moves, then the DX of 100 enters the Wilder average (talib.ADX: 0, 0, 0, 20, 36)', () => {
    // 12 flat bars at 100, then a steady climb of 1 per bar with range 1.
    const h = Float64Array.from({ length: 40 }, (_, i) => (i < 12 ? 100 : 89 + i));
    const l = h.map((v, i) => (i < 12 ? 100 : v - 1));
    const c = h.map((v, i) => (i < 12 ? 100 : v - 0.5));
    const d = dmi(h, l, c, 5);
    expect(Array.from(d.plusDI.subarray(5, 12))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(d.plusDI[12]).toBe(100);
    expect(Array.from(d.adx.subarray(9, 14))).toEqual([0, 0, 0, 20, 36]);
  });
});

describe('parameters and the default sets', () => {
  test('contradictions are rejected with a message naming both fields', () => {
    const sar = sarFeature.params.safeParse({ acceleration: 0.3, maximum: 0.2 });
    expect(sar.error!.issues[0]!.message).toBe('acceleration (0.3) must not exceed maximum (0.2)');
    const ich = ichimokuFeature.params.safeParse({ tenkan: 30, kijun: 26 });
    expect(ich.error!.issues[0]!.message).toBe('tenkan (30) must be less than kijun (26)');
  });

  test('real parameters appear in column names with p for the decimal point', () => {
    expect(sarFeature.outputs(sarFeature.params.parse({}))).toEqual(['sar_dist_0p02_0p2', 'sar_side_0p02_0p2']);
  });

  test('the default momentum and trend sets give at least 30 distinct columns', () => {
    const names = outputNames([...MOMENTUM_FEATURES, ...TREND_FEATURES], [...DEFAULT_MOMENTUM_SET, ...DEFAULT_TREND_SET]);
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(new Set(names).size).toBe(names.length);
  });
});
