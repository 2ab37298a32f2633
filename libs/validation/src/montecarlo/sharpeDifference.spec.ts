import { InvalidStatisticsInputError } from '../errors';
import { optimalBlockLength } from './blockLength';
import { sharpeDifferenceTest } from './sharpeDifference';
import { ar1, garch } from './specFixtures';

// Reference: the construction itself — identical series give d̂ = 0 and every bootstrap d* = 0, so all
// B centred draws tie with d̂ and p = (1 + B)/(B + 1) = 1.
test('identical series: difference 0 and p = 1', () => {
  const a = ar1(500, 0.2, 31, 0.001, 0.01);
  const r = sharpeDifferenceTest(a, a.slice(), { seed: 1, simulations: 500 });
  expect(r.difference).toBe(0);
  expect(r.sharpeA).toBe(r.sharpeB);
  expect(r.pValue).toBe(1);
  expect(r.standardError).toBe(0);
});

// Reference: a planted edge. The challenger is the champion plus 0.2 sd of extra mean per bar and a
// little noise, so its per-bar Sharpe is higher by ≈ 0.2 with a paired se of ≈ 0.01 over 1,000 bars.
test('a challenger with a planted extra mean is detected (p < 0.05)', () => {
  const b = garch(1000, 32, 0.01);
  const noise = ar1(1000, 0, 33, 0, 0.003);
  const a = b.map((v, i) => v + 0.002 + noise[i]!);
  const r = sharpeDifferenceTest(a, b, { seed: 2 });
  expect(r.difference).toBeGreaterThan(0.1);
  expect(r.pValue).toBeLessThan(0.05);
  expect(r.simulations).toBe(2000);
  // and the reverse question (is the champion better?) finds nothing
  expect(sharpeDifferenceTest(b, a, { seed: 2 }).pValue).toBeGreaterThan(0.5);
});

// Reference: the nominal size. Under H0 (two independent zero-mean noise series) a level-5 % test
// rejects in ≈ 5 % of samples: over 40 seeds the rejections are ≈ Binomial(40, 0.05), P(≥ 7) ≈ 0.1 %;
// p-values are ≈ uniform, mean ½ with sd 0.046 over 40 (bound 0.35 … 0.65).
test('independent noise series: rejection rate near 5 % over 40 seeds', () => {
  let rejections = 0;
  let sumP = 0;
  for (let seed = 0; seed < 40; seed++) {
    const a = ar1(400, 0.1, 1000 + seed, 0, 0.01);
    const b = ar1(400, 0.1, 2000 + seed, 0, 0.01);
    const { pValue } = sharpeDifferenceTest(a, b, { seed, simulations: 1000 });
    if (pValue < 0.05) rejections++;
    sumP += pValue;
  }
  expect(rejections).toBeLessThanOrEqual(6);
  expect(sumP / 40).toBeGreaterThan(0.35);
  expect(sumP / 40).toBeLessThan(0.65);
});

test('block length: the larger automatic length of the two series, or the one given; seeded; annualised Sharpes', () => {
  const a = ar1(600, 0.6, 34, 0.001, 0.01);
  const b = ar1(600, 0.1, 35, 0.0005, 0.01);
  const r = sharpeDifferenceTest(a, b, { seed: 3, simulations: 300 });
  expect(r.blockLength).toBe(Math.max(optimalBlockLength(a).stationary, optimalBlockLength(b).stationary));
  expect(sharpeDifferenceTest(a, b, { seed: 3, simulations: 300 })).toEqual(r);
  const yearly = sharpeDifferenceTest(a, b, { seed: 3, simulations: 300, periodsPerYear: 252 });
  expect(yearly.sharpeA).toBeCloseTo(r.sharpeA * Math.sqrt(252), 12);
  expect(yearly.pValue).toBe(r.pValue);
  expect(sharpeDifferenceTest(a, b, { seed: 3, simulations: 10, blockLength: 7 }).blockLength).toBe(7);
  expect(sharpeDifferenceTest(a, new Float64Array(600), { seed: 3, simulations: 10 }).blockLength).toBe(optimalBlockLength(a).stationary); // a flat champion: Sharpe 0
});

test('bad input is rejected naming the field and value', () => {
  const a = ar1(100, 0, 36, 0, 0.01);
  const o = { seed: 1 };
  expect(() => sharpeDifferenceTest(a, a.subarray(0, 99), o)).toThrow(InvalidStatisticsInputError);
  expect(() => sharpeDifferenceTest(a, a.subarray(0, 99), o)).toThrow(/a has 100 values but b has 99/);
  const nan = a.slice();
  nan[3] = Number.NaN;
  expect(() => sharpeDifferenceTest(a, nan, o)).toThrow(/b has 1 non-finite values, the first NaN at index 3/);
  expect(() => sharpeDifferenceTest(a, a, { ...o, simulations: 0 })).toThrow(/simulations 0 must be an integer >= 1/);
  expect(() => sharpeDifferenceTest(a, a, { ...o, blockLength: 0 })).toThrow(/blockLength 0 must be a finite number >= 1/);
  expect(() => sharpeDifferenceTest(a, a, { ...o, periodsPerYear: -1 })).toThrow(/periodsPerYear -1 must be a finite number > 0/);
});
