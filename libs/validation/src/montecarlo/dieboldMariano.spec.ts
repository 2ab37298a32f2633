import { join } from 'node:path';
import { expectClose, pythonReference } from '@ares/data/testing';
import { InvalidStatisticsInputError } from '../errors';
import { dieboldMariano, neweyWestVariance } from './dieboldMariano';
import { ar1 } from './specFixtures';
import { studentTCdf } from './studentT';

const SCRIPT = join(__dirname, 'montecarlo.reference.py');

// Closed form: d = 1, 2, 3, 4 with lag 0: d̄ = 2.5, γ̂₀ = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25, DM = 2.5/√(1.25/4) = 2√5.
// With lag 1 (deviations −1.5, −0.5, 0.5, 1.5): γ̂₁ = (0.75 − 0.25 + 0.75)/4 = 0.3125, V̂ = 1.25 + 2·½·0.3125.
test('Diebold–Mariano: hand-checked statistic', () => {
  const lossA = Float64Array.from([1, 2, 3, 4]);
  const lossB = new Float64Array(4);
  const r = dieboldMariano(lossA, lossB, { lag: 0 });
  expect(r.statistic).toBeCloseTo(2 * Math.sqrt(5), 14);
  expect(r.meanDifference).toBe(2.5);
  expect(neweyWestVariance(lossA, 1)).toBeCloseTo(1.25 + 0.3125, 14);
  expect(r.pValue).toBeGreaterThan(0.99); // A's losses are higher: no evidence that A is better
  expect(dieboldMariano(lossB, lossA, { lag: 0 }).pValue).toBeCloseTo(1 - r.pValue, 14);
});

interface DmRef {
  dm: { statistic: number; p: number; variance: number; hln: number; hln_p: number; statsmodels_t: number }[];
  t: number[];
}

// Reference: numpy + scipy.stats (norm.cdf, t.cdf) in montecarlo.reference.py, and statsmodels' OLS of
// d on a constant with a Bartlett HAC covariance (use_correction=False), whose t-value is the DM statistic.
test('Diebold–Mariano (and HLN) match numpy / scipy / statsmodels', () => {
  const cases = [
    { a: ar1(300, 0.3, 41, 1, 0.5).map((v) => v * v), b: ar1(300, 0.3, 42, 1, 0.5).map((v) => v * v), lag: 4 },
    { a: ar1(60, 0.5, 43, 0.2), b: ar1(60, 0.5, 44), lag: 2 },
    { a: ar1(1000, 0, 45).map(Math.abs), b: ar1(1000, 0, 46).map(Math.abs), lag: 0 },
  ];
  const tGrid: [number, number][] = [[-3, 1], [0.5, 2], [-1.7, 5], [2.2, 29], [-0.01, 59], [-4, 299], [1.3, 999], [-2.5, 10_000], [0, 7]];
  const ref = pythonReference<DmRef>(SCRIPT, { dm: cases, t: tGrid });
  cases.forEach((c, i) => {
    const plain = dieboldMariano(c.a, c.b, { lag: c.lag });
    const hln = dieboldMariano(c.a, c.b, { lag: c.lag, smallSampleCorrection: true });
    const e = ref.dm[i]!;
    expectClose(`dm case ${i}`, [plain.statistic, plain.pValue, plain.longRunVariance, hln.statistic, hln.pValue], [e.statistic, e.p, e.variance, e.hln, e.hln_p], 1e-10);
    expectClose(`statsmodels case ${i}`, [plain.statistic], [e.statsmodels_t], 1e-9);
  });
  expectClose('t cdf', tGrid.map(([t, dof]) => studentTCdf(t, dof)), ref.t, 1e-10);
});

test('bad input is rejected naming the field and value', () => {
  const a = Float64Array.from([1, 2, 3]);
  expect(() => dieboldMariano(a, a, { lag: 0 })).toThrow(InvalidStatisticsInputError);
  expect(() => dieboldMariano(a, a, { lag: 0 })).toThrow(/long-run variance 0/);
  expect(() => dieboldMariano(a, Float64Array.from([1, 2]), { lag: 0 })).toThrow(/lossA has 3 values but lossB has 2/);
  expect(() => dieboldMariano(a, Float64Array.from([1, Number.NaN, 2]), { lag: 0 })).toThrow(/lossB has 1 non-finite values, the first NaN at index 1/);
  expect(() => dieboldMariano(a, new Float64Array(3), { lag: 3 })).toThrow(/lag 3 must be below the number of losses 3/);
  expect(() => dieboldMariano(a, new Float64Array(3), { lag: -1 })).toThrow(/lag -1 must be an integer >= 0/);
});
