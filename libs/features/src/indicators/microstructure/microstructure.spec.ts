/**
 * Microstructure features against pandas (microstructure.reference.py) on a seeded synthetic
 * market with taker flow and trade flow (libs/data's generator), plus hand-checked degenerate bars.
 */
import { join } from 'node:path';
import { expectSeriesClose, pythonReference, syntheticFeatureInput } from '../../testing';
import type { FeatureInput } from '../../series';
import { largeTradeShare, takerBuyRatio, tradeIntensity, tradeIntensityZ } from './flow';
import { largeTradeShareFeature, takerBuyRatioFeature, tradeIntensityFeature } from './microstructureFeatures';

const input = syntheticFeatureInput(3000, '1h', 17);
const c = input.columns;
const volume = c.volume!;
const takerBuy = c.takerBuyBaseVolume!;
const large = c.largeTradeVolume!;
const trades = c.trades!;
const WINDOWS = [1, 2, 20, 200];
const ref = pythonReference(join(__dirname, 'microstructure.reference.py'), { volume, takerBuyBaseVolume: takerBuy, largeTradeVolume: large, trades, windows: WINDOWS });

test.each(WINDOWS)('taker-buy ratio and large-trade share over %i bars match pandas rolling sums', (n) => {
  expectSeriesClose(`taker_buy_ratio_${n}`, takerBuyRatio(takerBuy, volume, n), ref[`taker_buy_ratio_${n}`]!);
  expectSeriesClose(`large_trade_share_${n}`, largeTradeShare(large, volume, n), ref[`large_trade_share_${n}`]!);
});

test.each(WINDOWS.filter((n) => n >= 2))('trade intensity (ratio and z-score) over %i bars matches pandas', (n) => {
  expectSeriesClose(`trade_intensity_${n}`, tradeIntensity(trades, n), ref[`trade_intensity_${n}`]!);
  expectSeriesClose(`trade_intensity_z_${n}`, tradeIntensityZ(trades, n), ref[`trade_intensity_z_${n}`]!);
});

test('degenerate bars, by hand: no volume gives NaN (not a residue of earlier sums), a gap only spoils its windows', () => {
  const vol = Float64Array.of(1e12, 1e12, 0, 0, 0, 4, Number.NaN, 4, 4);
  const buy = Float64Array.of(5e11, 1e11, 0, 0, 0, 1, Number.NaN, 3, 2);
  const r = takerBuyRatio(buy, vol, 2);
  expect(Array.from(r)).toEqual([Number.NaN, 0.3, 0.1, Number.NaN, Number.NaN, 0.25, Number.NaN, Number.NaN, 5 / 8]);
  const flat = Float64Array.of(7, 7, 7, 7, 9);
  const z = tradeIntensityZ(flat, 3);
  expect(Array.from(z.slice(0, 4))).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
  // [7, 7, 9]: mean 23/3, sample std sqrt(4/3), so z = (4/3) / sqrt(4/3) = sqrt(4/3).
  expect(z[4]).toBeCloseTo(Math.sqrt(4 / 3), 14);
  expect(Array.from(tradeIntensity(Float64Array.of(0, 0, 3), 2))).toEqual([Number.NaN, Number.NaN, 2]);
});

describe('FeatureDefs', () => {
  const cases = [
    ['taker_buy_ratio', takerBuyRatioFeature, {}, ['taker_buy_ratio_1'], 0],
    ['taker_buy_ratio { window: 20 }', takerBuyRatioFeature, { window: 20 }, ['taker_buy_ratio_20'], 19],
    ['large_trade_share', largeTradeShareFeature, {}, ['large_trade_share_20'], 19],
    ['trade_intensity', tradeIntensityFeature, {}, ['trade_intensity_20'], 19],
    ['trade_intensity { window: 50, mode: zscore }', tradeIntensityFeature, { window: 50, mode: 'zscore' }, ['trade_intensity_z_50'], 49],
  ] as const;

  test.each(cases)('%s: names, exact warm-up, requires, no look-ahead', (_name, def, raw, names, warmup) => {
    const p = def.params.parse(raw) as never;
    expect(def.outputs(p)).toEqual(names);
    expect(def.warmup(p)).toBe(warmup);
    for (const r of def.requires) expect(input.columns[r]).toBeDefined();
    const full = def.compute(input, p);
    const o = full[0]!;
    if (warmup > 0) expect(Number.isNaN(o[warmup - 1]!)).toBe(true);
    expect(o.slice(warmup).every(Number.isFinite)).toBe(true);
    for (const t of [warmup, 777, 2999]) {
      const prefix: FeatureInput = { length: t + 1, interval: input.interval, columns: Object.fromEntries(def.requires.map((k) => [k, input.columns[k]!.slice(0, t + 1)])) };
      expect(def.compute(prefix, p)[0]![t]).toBe(o[t]);
    }
  });

  test('the features compute what the functions do, from the declared columns', () => {
    expect(takerBuyRatioFeature.requires).toEqual(['volume', 'takerBuyBaseVolume']);
    expect(largeTradeShareFeature.requires).toEqual(['volume', 'largeTradeVolume']);
    expect(tradeIntensityFeature.requires).toEqual(['trades']);
    expect(takerBuyRatioFeature.compute(input, { window: 20 })[0]).toEqual(takerBuyRatio(takerBuy, volume, 20));
  });

  test('parameters are validated with the field named', () => {
    expect(tradeIntensityFeature.params.safeParse({ window: 1 }).error?.issues[0]).toMatchObject({ path: ['window'], message: 'window must be >= 2' });
    expect(tradeIntensityFeature.params.safeParse({ mode: 'log' }).error?.issues[0]).toMatchObject({ path: ['mode'], message: 'mode must be one of ratio, zscore; got "log"' });
    expect(takerBuyRatioFeature.params.safeParse({ window: 2.5 }).error?.issues[0]).toMatchObject({ path: ['window'], message: 'window must be an integer' });
  });
});
