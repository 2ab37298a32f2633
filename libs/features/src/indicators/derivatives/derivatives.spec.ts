/**
 * Derivatives features against pandas (derivatives.reference.py) on seeded synthetic markets whose
 * funding (every 8 h) and open interest are aligned to the bars as of each close, so both start
 * with NaN bars (open interest is published at the close instant, one millisecond after the bar's
 * closeTime); plus hand-checked degenerate values.
 */
import { join } from 'node:path';
import { expectSeriesClose, pythonReference, syntheticFeatureInput } from '../../testing';
import type { FeatureInput } from '../../series';
import { fundingMeanFeature, fundingMomentumFeature, fundingRateFeature, oiChangeFeature, oiPriceDivergenceFeature } from './derivativesFeatures';
import { fundingMomentum } from './funding';
import { oiPriceDivergence } from './openInterest';
import { logChange } from '../../core/returns';
import { sma } from '../../core/rolling';

const WINDOWS = [1, 8, 24, 96];
const markets = { '1h bars': syntheticFeatureInput(3000, '1h', 21), '5m bars': syntheticFeatureInput(3000, '5m', 22) };

describe.each(Object.entries(markets))('on %s', (_name, input) => {
  const f = input.columns.fundingRate!;
  const oi = input.columns.openInterest!;
  const close = input.columns.close!;
  const ref = pythonReference(join(__dirname, 'derivatives.reference.py'), { fundingRate: f, openInterest: oi, close, windows: WINDOWS });

  test('the inputs start late, as aligned funding and open interest do', () => {
    expect(Number.isNaN(oi[0]!)).toBe(true);
    expect(Number.isFinite(oi[1]!)).toBe(true);
  });

  test('funding level is the column as given', () => {
    expectSeriesClose('funding_rate', fundingRateFeature.compute(input, {})[0]!, ref.funding_rate!);
  });

  test.each(WINDOWS)('funding mean and momentum, OI change and OI-price divergence over %i bars match pandas', (n) => {
    expectSeriesClose(`funding_mean_${n}`, sma(f, n), ref[`funding_mean_${n}`]!);
    expectSeriesClose(`funding_mom_${n}`, fundingMomentum(f, n), ref[`funding_mom_${n}`]!);
    expectSeriesClose(`oi_change_${n}`, logChange(oi, n), ref[`oi_change_${n}`]!);
    const d = oiPriceDivergence(oi, close, n);
    expectSeriesClose(`oi_price_div_${n}`, d.divergence, ref[`oi_price_div_${n}`]!);
    expectSeriesClose(`oi_price_agree_${n}`, d.agreement, ref[`oi_price_agree_${n}`]!);
  });
});

test('degenerate values, by hand: zero open interest has no log change; a flat leg does not take sides', () => {
  const oi = Float64Array.of(100, 0, 110, 110, 121);
  const close = Float64Array.of(10, 11, 12, 11, 11);
  expect(Array.from(logChange(oi, 1))).toEqual([Number.NaN, Number.NaN, Number.NaN, 0, Math.log(1.1)]);
  const d = oiPriceDivergence(oi, close, 1);
  expect(Array.from(d.agreement)).toEqual([Number.NaN, Number.NaN, Number.NaN, -0, 0]);
  expect(d.divergence[3]).toBeCloseTo(-Math.log(11 / 12), 15);
  expect(d.divergence[4]).toBeCloseTo(Math.log(1.1), 15);
  // OI up 10 % while the price falls 10 %: divergence ln 1.1 - ln 0.9 > 0, agreement -1.
  const e = oiPriceDivergence(Float64Array.of(100, 110), Float64Array.of(10, 9), 1);
  expect(e.divergence[1]).toBeCloseTo(Math.log(1.1) - Math.log(0.9), 15);
  expect(e.agreement[1]).toBe(-1);
});

describe('FeatureDefs', () => {
  const input = markets['1h bars'];
  // Open interest starts at bar 1; the contract adds that offset to the declared warm-up.
  const start = (def: { requires: readonly string[] }) => (def.requires.includes('openInterest') ? 1 : 0);
  const cases = [
    ['funding_rate', fundingRateFeature, {}, ['funding_rate'], 0],
    ['funding_mean', fundingMeanFeature, {}, ['funding_mean_24'], 23],
    ['funding_momentum', fundingMomentumFeature, {}, ['funding_mom_8'], 8],
    ['oi_change', oiChangeFeature, {}, ['oi_change_24'], 24],
    ['oi_price_divergence', oiPriceDivergenceFeature, {}, ['oi_price_div_24', 'oi_price_agree_24'], 24],
  ] as const;

  test.each(cases)('%s: names, exact warm-up, no look-ahead', (_name, def, raw, names, warmup) => {
    const p = def.params.parse(raw) as never;
    expect(def.outputs(p)).toEqual(names);
    expect(def.warmup(p)).toBe(warmup);
    const first = warmup + start(def);
    const full = def.compute(input, p);
    for (const o of full) {
      if (first > 0) expect(Number.isNaN(o[first - 1]!)).toBe(true);
      expect(o.slice(first).every(Number.isFinite)).toBe(true);
    }
    for (const t of [first, 1000, 2999]) {
      const prefix: FeatureInput = { length: t + 1, interval: input.interval, columns: Object.fromEntries(def.requires.map((k) => [k, input.columns[k]!.slice(0, t + 1)])) };
      def.compute(prefix, p).forEach((o, j) => expect(o[t]).toBe(full[j]![t]));
    }
  });

  test('the funding level is a copy, never the input array itself', () => {
    expect(fundingRateFeature.compute(input, {})[0]).not.toBe(input.columns.fundingRate);
  });

  test('parameters are validated with the field named', () => {
    expect(oiChangeFeature.params.safeParse({ window: 0 }).error?.issues[0]).toMatchObject({ path: ['window'], message: 'window must be >= 1' });
    expect(fundingMeanFeature.params.safeParse({ window: 'x' }).error?.issues[0]).toMatchObject({ path: ['window'], message: 'window must be a number' });
  });
});
