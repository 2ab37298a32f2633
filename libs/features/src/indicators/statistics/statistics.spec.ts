/**
 * Statistics features on real S&P 500 daily bars against pandas 2.3 (pct_change, rolling
 * std/skew/kurt/quantile/rank, Series.autocorr; numpy two-pass moments for skew/kurt windows
 * below 20, where pandas' running sums drift past 1e-9): statistics.reference.py. Plus hand-checked
 * fixtures for the degenerate cases pandas defines (constant windows) and parameter validation.
 */
import { join } from 'node:path';
import { DEFAULT_STATISTICS_SET, STATISTICS_FEATURES, autocorrelationFeature, returnQuantilesFeature, rollingAutocorr, rollingKurt, rollingPercentRank, rollingQuantile, rollingSkew, rollingZScore } from './index';
import { describeAgainstReference, outputNames } from '../../testing/referenceCases';

describe('against pandas on S&P 500 daily bars', () => {
  describeAgainstReference(join(__dirname, 'statistics.reference.py'), STATISTICS_FEATURES, [
    ...DEFAULT_STATISTICS_SET,
    { name: 'volatility', params: { period: 5 } },
    { name: 'skewness', params: { period: 3 } },
    { name: 'skewness', params: { period: 20 } },
    { name: 'kurtosis', params: { period: 4 } },
    { name: 'kurtosis', params: { period: 20 } },
    { name: 'kurtosis', params: { period: 250 } },
    { name: 'return_quantiles', params: { period: 21, lower: 0.025, upper: 0.5 } },
    { name: 'close_rank', params: { period: 7 } },
    { name: 'autocorrelation', params: { lag: 5, period: 30 } },
  ]);
});

test('the default set gives 13 columns', () => {
  const n = outputNames(STATISTICS_FEATURES, DEFAULT_STATISTICS_SET).length;
  expect(n).toBe(13);
});

describe('hand-checked fixtures', () => {
  const x = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6]);

  test('quantile with linear interpolation: window [1,4,1,5] sorted [1,1,4,5], q=0.5 -> 2.5, q=0.9 -> 4.7', () => {
    expect(rollingQuantile(x, 4, 0.5)[4]).toBe(2.5);
    expect(rollingQuantile(x, 4, 0.9)[4]).toBeCloseTo(4 + 0.7 * 1, 14);
    expect(Number.isNaN(rollingQuantile(x, 4, 0.5)[2]!)).toBe(true);
  });

  test('percent rank averages ties: 1 in [3,1,4,1] ranks (1+2)/2 / 4', () => {
    expect(rollingPercentRank(x, 4)[3]).toBe(1.5 / 4);
  });

  test('constant windows: skew 0 and excess kurtosis -3 (pandas), z-score 0, autocorrelation NaN', () => {
    const flat = Float64Array.from([1, 2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(rollingSkew(flat, 5)[7]).toBe(0);
    expect(rollingKurt(flat, 5)[7]).toBe(-3);
    expect(rollingZScore(flat, 5)[7]).toBe(0);
    expect(Number.isNaN(rollingAutocorr(flat, 5, 1)[7]!)).toBe(true);
    expect(Number.isFinite(rollingSkew(flat, 5)[6]!)).toBe(true);
  });

  test('skewness of [1, 2, 3, 10] (G1 by hand: m2 = 12.5, m3 = 45, sqrt(12)/2 · m3/m2^1.5)', () => {
    expect(rollingSkew(Float64Array.from([1, 2, 3, 10]), 4)[3]).toBeCloseTo((Math.sqrt(12) / 2) * (45 / 12.5 ** 1.5), 12);
  });

  test('autocorrelation of an alternating series is -1', () => {
    const alt = Float64Array.from({ length: 20 }, (_, i) => (i % 2 ? 1 : -1));
    expect(rollingAutocorr(alt, 10, 1)[19]).toBeCloseTo(-1, 12);
  });
});

describe('parameter validation names both fields of a contradiction', () => {
  test('return quantiles: lower >= upper', () => {
    const r = returnQuantilesFeature.params.safeParse({ lower: 0.9, upper: 0.1 });
    expect(r.error?.issues[0]?.message).toBe("'lower' (0.9) must be below 'upper' (0.1)");
  });
  test('autocorrelation: lag too large for the window', () => {
    const r = autocorrelationFeature.params.safeParse({ lag: 10, period: 12 });
    expect(r.error?.issues[0]?.message).toMatch(/'period' \(12\).*'lag' \(10\)/);
  });
  test('unknown parameters are rejected', () => {
    expect(returnQuantilesFeature.params.safeParse({ perod: 5 }).success).toBe(false);
  });
});
