/** The shared primitives against TA-Lib 0.8.2 (C library, via its Python wheel) on real S&P 500 data. */
import { join } from 'node:path';
import { expectSeriesClose, loadSp500, pythonReference } from '../testing';
import { atr, ema, rollingMax, rollingMin, rollingStd, sma, trueRange, wilder } from './rolling';

const spx = loadSp500();
const ref = pythonReference(join(__dirname, 'rolling.reference.py'), { high: spx.high, low: spx.low, close: spx.close });

test.each([
  ['SMA(20)', () => sma(spx.close, 20), 'sma_20'],
  ['EMA(20), SMA-seeded', () => ema(spx.close, 20), 'ema_20'],
  ['ATR(14), Wilder', () => atr(spx.high, spx.low, spx.close, 14), 'atr_14'],
  ['true range', () => trueRange(spx.high, spx.low, spx.close), 'trange'],
  ['rolling max(20)', () => rollingMax(spx.high, 20), 'max_20'],
  ['rolling min(20)', () => rollingMin(spx.low, 20), 'min_20'],
  ['population std(20)', () => rollingStd(spx.close, 20, 0), 'stddev_20'],
  ['sample std(20) (pandas)', () => rollingStd(spx.close, 20, 1), 'std_sample_20'],
  ['Wilder smoothing of close (TA-Lib SMMA = RSI-style)', () => wilder(spx.close, 14), 'smma_14'],
])('%s matches the reference to 1e-9', (_name, compute, key) => {
  expectSeriesClose(key, compute(), ref[key]!);
});

test('composes after another indicator\'s warm-up: EMA of an SMA starts where the SMA does', () => {
  const s = sma(spx.close, 10);
  const e = ema(s, 5);
  expect(Number.isNaN(e[12]!)).toBe(true);
  expect(e[13]).toBeCloseTo(sma(s, 5)[13]!, 12);
});
