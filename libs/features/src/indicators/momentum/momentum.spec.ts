/**
 * Momentum indicators against TA-Lib 0.8 (the C library, via its Python wheel: momentum.reference.py)
 * on real daily S&P 500 bars (vega-datasets, 5104 rows), to 1e-9 relative (1e-9 absolute near zero)
 * with NaN at exactly the reference's positions. MACD's reference is built from talib.EMA, not
 * talib.MACD, whose fast EMA is seeded differently (shown below).
 */
import { join } from 'node:path';
import { firstValid } from '../../core/rolling';
import type { FeatureDef } from '../../featureSet/FeatureDef';
import { expectSeriesClose, loadSp500 } from '../../testing';
import { describeFromWarmup, describeShortSeries, firstNonNull, resolveCases, sp500Ohlcv, specReference } from '../../testing/referenceCases';
import { cci, DEFAULT_MOMENTUM_SET, macd, macdFeature, mfi, MOMENTUM_FEATURES, roc, rsi, rsiFeature, stochastic, stochasticFastK, williamsR } from '.';

const spx = loadSp500();
const { high, low, close, volume } = spx;
const input = sp500Ohlcv(spx);

/** Non-default parameters, so that no output name or warm-up is right only by accident. */
const EXTRA = [
  { name: 'rsi', params: { period: 2 } },
  { name: 'macd', params: { fast: 5, slow: 35, signal: 5 } },
  { name: 'willr', params: { period: 7 } },
  { name: 'cci', params: { period: 14 } },
  { name: 'mfi', params: { period: 7 } },
  { name: 'roc', params: { period: 1 } },
  { name: 'stoch', params: { period: 5, smoothK: 1, smoothD: 4 } },
];

const resolved = resolveCases(MOMENTUM_FEATURES, [...DEFAULT_MOMENTUM_SET, ...EXTRA]);
const ref = specReference(join(__dirname, 'momentum.reference.py'), { high, low, close, volume }, resolved);

describeFromWarmup('FeatureDefs on S&P 500 vs TA-Lib', resolved, input, ref);

describe('plain functions on S&P 500 vs TA-Lib, with their own warm-ups', () => {
  test.each([
    ['RSI(14)', () => rsi(close, 14), 'rsi_14'],
    ['Williams %R(14)', () => williamsR(high, low, close, 14), 'willr_14'],
    ['CCI(20)', () => cci(high, low, close, 20), 'cci_20'],
    ['MFI(14)', () => mfi(high, low, close, volume, 14), 'mfi_14'],
    ['ROC(10)', () => roc(close, 10), 'roc_10'],
    ['MACD line (from index 25)', () => macd(close, 12, 26, 9).line, 'macd_12_26_9'],
    ['MACD signal', () => macd(close, 12, 26, 9).signal, 'macd_signal_12_26_9'],
    ['MACD histogram', () => macd(close, 12, 26, 9).hist, 'macd_hist_12_26_9'],
    ['stochastic fast %K(14) (TA-Lib STOCHF)', () => stochasticFastK(high, low, close, 14), 'stochf_k_14'],
    ['stochastic slow %K(14, 3), from index 15 (talib.SMA of STOCHF)', () => stochastic(high, low, close, 14, 3, 3).k, 'stoch_slowk_own_14_3'],
    ['stochastic %D(14, 3, 3)', () => stochastic(high, low, close, 14, 3, 3).d, 'stoch_d_14_3_3'],
  ])('%s', (_name, compute, key) => {
    expectSeriesClose(key, compute(), ref[key]!, 1e-9, 1e-9);
  });

  test("TA-Lib's own MACD seeds its fast EMA differently: it differs early on and converges later", () => {
    const ours = macd(close, 12, 26, 9).line;
    const talib = ref.talib_macd_12_26_9!;
    expect(firstNonNull(talib)).toBe(33); // TA-Lib outputs the line only where the signal exists
    expect(Math.abs(ours[33]! - talib[33]!)).toBeGreaterThan(1e-3);
    const last = close.length - 1;
    expect(Math.abs(ours[last]! - talib[last]!)).toBeLessThan(1e-9 * Math.abs(talib[last]!) + 1e-9);
  });
});

describeShortSeries(MOMENTUM_FEATURES, spx);

describe('hand-checked cases', () => {
  test('RSI(2) of 10, 11, 12, 11, 13: Wilder averages seeded with the mean of the first two changes', () => {
    // changes +1 +1 −1 +2. i=2: G=1, L=0 → 100; i=3: G=0.5, L=0.5 → 50; i=4: G=1.25, L=0.25 → 83.33…
    const r = rsi(Float64Array.from([10, 11, 12, 11, 13]), 2);
    expect(Number.isNaN(r[1]!)).toBe(true);
    expect([r[2], r[3], r[4]]).toEqual([100, 50, expect.closeTo(250 / 3, 12)]);
  });

  test('MACD(2, 3, 2) of 1, 2, 3, 4, 5: line from index 2, signal from index 3', () => {
    // EMA2 = 1.5, 2.5, 3.5, 4.5 (from index 1); EMA3 = 2, 3, 4 (from index 2): line 0.5 throughout.
    const m = macd(Float64Array.from([1, 2, 3, 4, 5]), 2, 3, 2);
    expect(Array.from(m.line)).toEqual([NaN, NaN, 0.5, 0.5, 0.5]);
    expect(Array.from(m.signal)).toEqual([NaN, NaN, NaN, 0.5, 0.5]);
    expect(Array.from(m.hist)).toEqual([NaN, NaN, NaN, 0, 0]);
  });

  test('Williams %R and stochastic %K at the top, bottom and middle of the range', () => {
    const h = Float64Array.from([10, 12, 11]);
    const l = Float64Array.from([8, 9, 9]);
    expect(Array.from(williamsR(h, l, Float64Array.from([9, 12, 11]), 2))).toEqual([NaN, -0, expect.closeTo(-100 / 3, 12)]);
    expect(Array.from(stochasticFastK(h, l, Float64Array.from([9, 8, 10.5]), 2))).toEqual([NaN, 0, 50]);
  });

  test('degenerate windows give the neutral value (TA-Lib gives 0 for RSI, %R, %K and MFI)', () => {
    const flat = new Float64Array(30).fill(100);
    expect(rsi(flat, 14)[29]).toBe(50);
    expect(williamsR(flat, flat, flat, 14)[29]).toBe(-50);
    expect(stochastic(flat, flat, flat, 14, 3, 3).d[29]).toBe(50);
    expect(cci(flat, flat, flat, 20)[29]).toBe(0);
    const rising = Float64Array.from({ length: 30 }, (_, i) => 100 + i);
    expect(mfi(rising, rising, rising, new Float64Array(30), 14)[29]).toBe(50);
  });

  test('ROC is a percentage: 100 → 110 over one bar is 10', () => {
    expect(roc(Float64Array.from([100, 110]), 1)[1]).toBeCloseTo(10, 12);
  });

  test('indicators compose after a warm-up: RSI of an RSI starts period bars after the inner one', () => {
    const inner = rsi(close, 14);
    expect(firstValid(rsi(inner, 5))).toBe(14 + 5);
  });
});

describe('parameters', () => {
  const def = macdFeature as FeatureDef;

  test('defaults give the classic columns', () => {
    expect(def.outputs(def.params.parse({}))).toEqual(['macd_12_26_9', 'macd_signal_12_26_9', 'macd_hist_12_26_9']);
    expect(rsiFeature.outputs(rsiFeature.params.parse({}))).toEqual(['rsi_14']);
  });

  test('MACD rejects fast >= slow with a message naming both', () => {
    const r = def.params.safeParse({ fast: 26, slow: 12 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('fast (26) must be less than slow (12)');
  });

  test.each([
    ['a period below 2', { period: 1 }],
    ['a fractional period', { period: 14.5 }],
    ['an unknown key (a typo)', { peroid: 14 }],
  ])('RSI rejects %s', (_what, params) => {
    expect(rsiFeature.params.safeParse(params).success).toBe(false);
  });

  test('every momentum feature parses its defaults, and its default outputs are unique', () => {
    const names = MOMENTUM_FEATURES.flatMap((f) => f.outputs(f.params.parse({})));
    expect(new Set(names).size).toBe(names.length);
  });
});
