/**
 * Cross-asset features against pandas (crossAsset.reference.py): a series built on the real S&P 500
 * (beta 1.3 plus seeded noise) against the S&P itself, two independent synthetic markets, and a
 * damaged pair with a flat reference stretch and a missing close.
 */
import { join } from 'node:path';
import { Rng } from '@ares/data';
import { expectSeriesClose, loadSp500, pythonReference, syntheticFeatureInput } from '../../testing';
import type { FeatureInput } from '../../series';
import { logReturns } from '../../core/returns';
import { refBetaFeature, refCorrelationFeature } from './crossAssetFeatures';
import { rollingCoMovement } from './refRegression';

const spx = loadSp500().close;

/** exp(1.3 · ln spx + a random walk of 0.5 % steps): beta 1.3 to the S&P, correlation about 0.9. */
function leveraged(ref: Float64Array): Float64Array {
  const rng = new Rng(8);
  let noise = 0;
  return ref.map((v) => Math.exp(1.3 * Math.log(v) + (noise += 0.005 * rng.normal())));
}

const synthetic = syntheticFeatureInput(3000, '1h', 31);
const damagedRef = Float64Array.from(spx).fill(spx[700]!, 700, 780);
const damagedClose = leveraged(spx);
damagedClose[1500] = Number.NaN;

const pairs: Record<string, { close: Float64Array; refClose: Float64Array }> = {
  'S&P 500 x1.3 vs S&P 500': { close: leveraged(spx), refClose: spx },
  'two synthetic markets': { close: synthetic.columns.close!, refClose: synthetic.columns.refClose! },
  'damaged pair': { close: damagedClose, refClose: damagedRef },
};
const WINDOWS = [50, 20, 3, 250];

describe.each(Object.entries(pairs))('%s', (_name, pair) => {
  const ref = pythonReference(join(__dirname, 'crossAsset.reference.py'), { ...pair, windows: WINDOWS });

  test.each(WINDOWS)('correlation and beta over %i bars match pandas rolling corr and cov / var', (n) => {
    const m = rollingCoMovement(logReturns(pair.close), logReturns(pair.refClose), n);
    expectSeriesClose(`corr_ref_${n}`, m.corr, ref[`corr_ref_${n}`]!);
    expectSeriesClose(`beta_ref_${n}`, m.beta, ref[`beta_ref_${n}`]!);
  });
});

test('the leveraged S&P shows beta near 1.3 and a high correlation', () => {
  const m = rollingCoMovement(logReturns(leveraged(spx)), logReturns(spx), 250);
  expect(m.beta[spx.length - 1]).toBeGreaterThan(1.1);
  expect(m.beta[spx.length - 1]).toBeLessThan(1.5);
  expect(m.corr[spx.length - 1]).toBeGreaterThan(0.8);
});

describe('FeatureDefs', () => {
  const input: FeatureInput = synthetic;

  test.each([
    ['ref_correlation', refCorrelationFeature, 'corr_ref_50'],
    ['ref_beta', refBetaFeature, 'beta_ref_50'],
  ] as const)('%s: names, exact warm-up (returns start at bar 1), no look-ahead', (_name, def, name) => {
    const p = def.params.parse({});
    expect(def.outputs(p)).toEqual([name]);
    expect(def.requires).toEqual(['close', 'refClose']);
    expect(def.warmup(p)).toBe(50);
    const [o] = def.compute(input, p);
    expect(Number.isNaN(o![49]!)).toBe(true);
    expect(o!.slice(50).every(Number.isFinite)).toBe(true);
    for (const t of [50, 1234, 2999]) {
      const prefix: FeatureInput = { length: t + 1, interval: input.interval, columns: { close: input.columns.close!.slice(0, t + 1), refClose: input.columns.refClose!.slice(0, t + 1) } };
      expect(def.compute(prefix, p)[0]![t]).toBe(o![t]);
    }
  });

  test('parameters are validated with the field named', () => {
    expect(refBetaFeature.params.safeParse({ window: 2 }).error?.issues[0]).toMatchObject({ path: ['window'], message: 'window must be >= 3' });
  });
});
