import { generateSyntheticMarket, Rng } from '@ares/data';
import { z } from 'zod';
import { sma } from '../core/rolling';
import { InvalidFeatureParamsError, MissingColumnError, NonFiniteInputError, UnknownFeatureError } from '../errors';
import type { FeatureInput } from '../series';
import { buildFeatureMatrix } from './buildFeatureMatrix';
import { col, defineFeature, type FeatureDef } from './FeatureDef';
import { FeatureRegistry } from './FeatureRegistry';

// Test-only features over the core primitives (the real ones are tested in indicators/).
const period = z.object({ period: z.number().int().min(2).default(5) });
const testFeatures = [
  defineFeature({ name: 'sma_close', group: 'trend', description: 'SMA of close', params: period, requires: ['close'],
    outputs: (p) => [`sma_close_${p.period}`], warmup: (p) => p.period - 1, compute: (i, p) => [sma(col(i, 'close'), p.period)] }),
  defineFeature({ name: 'taker_share', group: 'microstructure', description: 'taker buy / volume', params: z.object({}), requires: ['takerBuyBaseVolume', 'volume'],
    outputs: () => ['taker_share'], warmup: () => 0, compute: (i) => [col(i, 'takerBuyBaseVolume').map((v, k) => v / col(i, 'volume')[k]!)] }),
  defineFeature({ name: 'funding', group: 'derivatives', description: 'funding level', params: z.object({}), requires: ['fundingRate'],
    outputs: () => ['funding'], warmup: () => 0, compute: (i) => [col(i, 'fundingRate').slice()] }),
] as FeatureDef[];
const registry = new FeatureRegistry(testFeatures);

function market(bars = 500, interval: '1h' | '15m' = '1h'): FeatureInput {
  const m = generateSyntheticMarket({ bars, interval, seed: 3 });
  const c = m.candles;
  return { length: c.length, interval, columns: { openTime: c.openTime, closeTime: c.closeTime, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, takerBuyBaseVolume: c.takerBuyBaseVolume } };
}

test('warm-up rows are dropped, not back-filled: the first row is the first complete window', () => {
  const input = market();
  const m = buildFeatureMatrix(input, { features: [{ name: 'sma_close', params: { period: 10 } }, { name: 'taker_share' }] }, registry);
  expect(m.warmupRows).toBe(9);
  expect(m.length).toBe(input.length - 9);
  expect(m.names).toEqual(['sma_close_10', 'taker_share']);
  expect(m.openTime[0]).toBe(input.columns.openTime![9]);
  const close = input.columns.close!;
  const expected = close.slice(0, 10).reduce((a, b) => a + b, 0) / 10;
  expect(m.columns[0]![0]).toBeCloseTo(expected, 9);
});

test('an unknown feature is named with its position', () => {
  expect(() => buildFeatureMatrix(market(), { features: [{ name: 'sma_close' }, { name: 'rsx' }] }, registry)).toThrow(UnknownFeatureError);
  expect(() => buildFeatureMatrix(market(), { features: [{ name: 'sma_close' }, { name: 'rsx' }] }, registry)).toThrow(/unknown feature 'rsx' at features\[1\]/);
});

test('an invalid parameter is named with the feature and the value', () => {
  const run = () => buildFeatureMatrix(market(), { features: [{ name: 'sma_close', params: { period: 1 } }] }, registry);
  expect(run).toThrow(InvalidFeatureParamsError);
  expect(run).toThrow(/feature 'sma_close' at features\[0\]: parameter 'period' = 1/);
});

test('a dataset missing a column a feature needs: the error names feature and column', () => {
  const input = market();
  delete (input.columns as Record<string, unknown>).takerBuyBaseVolume;
  expect(() => buildFeatureMatrix(input, { features: [{ name: 'taker_share' }] }, registry)).toThrow(MissingColumnError);
  expect(() => buildFeatureMatrix(input, { features: [{ name: 'taker_share' }] }, registry)).toThrow(/feature 'taker_share' \(features\[0\]\) needs column 'takerBuyBaseVolume'/);
});

test('a NaN flood in an input column is reported with its count and time range', () => {
  const input = market();
  input.columns.close!.fill(Number.NaN, 100, 117);
  const run = () => buildFeatureMatrix(input, { features: [{ name: 'sma_close' }] }, registry);
  expect(run).toThrow(NonFiniteInputError);
  expect(run).toThrow(/column 'close' has 17 NaN\/Inf values between 2024-01-05T04:00:00.000Z and 2024-01-05T20:00:00.000Z/);
});

test('sparse as-of columns (funding) start late: rows before their first value count as warm-up', () => {
  const input = market();
  const funding = new Float64Array(input.length).fill(Number.NaN);
  funding.fill(0.0001, 40);
  input.columns.fundingRate = funding;
  const m = buildFeatureMatrix(input, { features: [{ name: 'funding' }, { name: 'sma_close' }] }, registry);
  expect(m.warmupRows).toBe(40);
  expect(m.columns[0]!.every(Number.isFinite)).toBe(true);
});

test('the same column twice is rejected', () => {
  expect(() => buildFeatureMatrix(market(), { features: [{ name: 'sma_close' }, { name: 'sma_close' }] }, registry)).toThrow(/column 'sma_close_5' twice/);
});

describe('multi-timeframe context', () => {
  const input = market(600, '1h');
  const config = { features: [{ name: 'sma_close', params: { period: 3 } }], timeframes: [{ interval: '4h' as const, features: [{ name: 'sma_close', params: { period: 3 } }] }] };

  test('joins the 4h feature as of the last CLOSED 4h bar', () => {
    const m = buildFeatureMatrix(input, config, registry);
    const j = m.names.indexOf('tf4h_sma_close_3');
    const close = input.columns.close!;
    const open = input.columns.openTime!;
    // 4h closes are the close of every 4th 1h bar (bars start at 00:00 UTC). At the bar closing
    // 4h bucket k (its 4th hour), the 4h SMA(3) covers buckets k-2..k.
    for (let row = 0; row < m.length; row++) {
      const i = row + m.warmupRows;
      const lastClosedBucket = Math.floor((i + 1) / 4) - 1; // bucket whose 4th bar is <= i
      const closes = [0, 1, 2].map((d) => close[(lastClosedBucket - d) * 4 + 3]!);
      expect(m.columns[j]![row]).toBeCloseTo((closes[0]! + closes[1]! + closes[2]!) / 3, 9);
      expect(open[i]).toBe(m.openTime[row]);
    }
    // Its warm-up: three closed 4h buckets, i.e. the bar closing the third bucket (index 11).
    expect(m.warmupRows).toBe(11);
  });

  test('no look-ahead: values at bar t from the full series equal those from the prefix ending at t', () => {
    const full = buildFeatureMatrix(input, config, registry);
    const rng = new Rng(17);
    for (let k = 0; k < 60; k++) {
      const t = 20 + Math.floor(rng.uniform() * (input.length - 20));
      const prefix: FeatureInput = { length: t + 1, interval: input.interval, columns: Object.fromEntries(Object.entries(input.columns).map(([c, v]) => [c, v!.slice(0, t + 1)])) };
      const part = buildFeatureMatrix(prefix, config, registry);
      const row = t - full.warmupRows;
      full.names.forEach((_, j) => expect(part.columns[j]![part.length - 1]).toBe(full.columns[j]![row]));
    }
  });
});

test('a dataset shorter than the warm-up is rejected, naming the longest warm-up', () => {
  const run = () => buildFeatureMatrix(market(30), { features: [{ name: 'sma_close', params: { period: 40 } }] }, registry);
  expect(run).toThrow(/the feature set needs 39 warm-up bars \(column 'sma_close_40' of feature 'sma_close', timeframe base\) but the dataset has only 30 bars/);
});
