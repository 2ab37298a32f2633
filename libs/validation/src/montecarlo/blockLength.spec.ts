import { join } from 'node:path';
import { expectClose, pythonReference } from '@ares/data/testing';
import { InvalidStatisticsInputError } from '../errors';
import { MIN_BLOCK_LENGTH_OBSERVATIONS, optimalBlockLength } from './blockLength';
import { ar1, garch } from './specFixtures';

const SCRIPT = join(__dirname, 'montecarlo.reference.py');

/** e_t − e_{t−1}: its long-run variance is ~0, so the formula's block explodes and b_max caps it. */
function overDifferenced(n: number, seed: number): Float64Array {
  const e = ar1(n + 1, 0, seed);
  return new Float64Array(n).map((_, i) => e[i + 1]! - e[i]!);
}

const CASES: Record<string, Float64Array> = {
  'AR(1) phi 0.1, n 1000': ar1(1000, 0.1, 1),
  'AR(1) phi 0.5, n 1000': ar1(1000, 0.5, 2),
  'AR(1) phi 0.9, n 1000': ar1(1000, 0.9, 3),
  'AR(1) phi 0.5, n 5000': ar1(5000, 0.5, 4),
  'AR(1) phi -0.5, n 1000': ar1(1000, -0.5, 5),
  'AR(1) phi 0.9, n 60': ar1(60, 0.9, 6),
  'over-differenced noise, n 500 (capped at b_max)': overDifferenced(500, 1),
  'i.i.d. normal, n 2000': ar1(2000, 0, 7),
  'GARCH(1,1), n 3000': garch(3000, 8),
  'GARCH(1,1) squared, n 3000': garch(3000, 9).map((v) => v * v),
  'i.i.d., shortest series (11)': ar1(11, 0, 10),
  'AR(1) phi 0.5, n 100000 (K_N = 5, m_max 321)': ar1(100_000, 0.5, 11),
};

// Reference: arch 8.0 arch.bootstrap.optimal_block_length (montecarlo.reference.py) on the same series.
test('optimal block lengths match arch.bootstrap.optimal_block_length to 1e-9', () => {
  const names = Object.keys(CASES);
  const ref = pythonReference<{ arch: string; blockLength: { stationary: number; circular: number }[] }>(SCRIPT, { blockLength: names.map((k) => CASES[k]) });
  expect(ref.arch).toBe('8.0.0');
  names.forEach((name, i) => {
    const ours = optimalBlockLength(CASES[name]!);
    expectClose(name, [ours.stationary, ours.circular], [ref.blockLength[i]!.stationary, ref.blockLength[i]!.circular], 1e-9);
  });
  // the dependence shows: strong persistence → long blocks; b_max = ⌈min(3√500, 500/3)⌉ = 68 caps both lengths
  expect(optimalBlockLength(CASES['AR(1) phi 0.9, n 1000']!).stationary).toBeGreaterThan(5 * optimalBlockLength(CASES['AR(1) phi 0.1, n 1000']!).stationary);
  expect(optimalBlockLength(CASES['over-differenced noise, n 500 (capped at b_max)']!)).toEqual({ stationary: 68, circular: 68 });
});

// Closed form: the circular/stationary ratio is (D_sb / D_cb)^{1/3} = (2 / (4/3))^{1/3} when neither is capped.
test('circular block = (3/2)^{1/3} × stationary block when uncapped', () => {
  const b = optimalBlockLength(ar1(2000, 0.3, 12));
  expect(b.circular / b.stationary).toBeCloseTo(1.5 ** (1 / 3), 12);
});

test('bad input names the field and value', () => {
  expect(MIN_BLOCK_LENGTH_OBSERVATIONS).toBe(11);
  const withNaN = ar1(100, 0.2, 13);
  withNaN[42] = Number.NaN;
  expect(() => optimalBlockLength(withNaN)).toThrow(InvalidStatisticsInputError);
  expect(() => optimalBlockLength(withNaN)).toThrow(/x has 1 non-finite values, the first NaN at index 42/);
  expect(() => optimalBlockLength(new Float64Array(10))).toThrow(/x has 10 values, needs at least 11/);
  expect(() => optimalBlockLength(new Float64Array(50).fill(0.01))).toThrow(/x is constant \(all 50 values equal 0.01\)/);
});
