import { join } from 'node:path';
import { Rng } from '@ares/data';
import { expectClose, pythonReference } from '@ares/data/testing';
import { InvalidStatisticsInputError } from '../errors';
import { optimalBlockLength } from './blockLength';
import { quantileSorted, sortedCopy, tailRisk } from './distribution';
import { monteCarloRisk } from './monteCarlo';
import { pathStatistics } from './pathStatistics';
import { ar1 } from './specFixtures';

const SCRIPT = join(__dirname, 'montecarlo.reference.py');

// Hand-checked: equity 1.1, 0.88, 0.924 → total −0.076; the peak 1.1 falls to 0.88, a 20 % drawdown;
// mean −0.01667, std (ddof 1) 0.15275 → Sharpe −0.10911 per bar, × √4 annualised.
test('path statistics: compounded total return, max drawdown from the running peak, annualised Sharpe', () => {
  const r = Float64Array.from([0.1, -0.2, 0.05]);
  const s = pathStatistics(r, undefined, 2, 0);
  expect(s.totalReturn).toBeCloseTo(-0.076, 14);
  expect(s.maxDrawdown).toBeCloseTo(0.2, 14);
  const mean = -0.05 / 3;
  const std = Math.sqrt(((0.1 - mean) ** 2 + (-0.2 - mean) ** 2 + (0.05 - mean) ** 2) / 2);
  expect(s.sharpe).toBeCloseTo((2 * mean) / std, 12);
  expect(pathStatistics(r, undefined, 2, 0.3).sharpe).toBeCloseTo(s.sharpe, 12); // the shift only guards the variance
  expect(pathStatistics(r, Int32Array.from([2, 2, 0]), 1, 0).maxDrawdown).toBe(0); // 1.05, 1.1025, 1.21275: never below a peak
  expect(pathStatistics(Float64Array.from([0.01, 0.01]), undefined, 1, 0).sharpe).toBe(0); // zero std: Sharpe 0 by convention
});

// Reference: numpy.quantile (default 'linear') and the historical VaR / CVaR rule computed with numpy (montecarlo.reference.py).
test('quantiles and historical VaR / CVaR match numpy', () => {
  const x = ar1(997, 0.2, 21, 0.001, 0.02);
  const p = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1, 1 / 3];
  const ref = pythonReference<{ quantiles: { q: number[]; tail: Record<string, { var: number; cvar: number }> } }>(SCRIPT, { quantiles: { x, p } });
  const sorted = sortedCopy(x);
  expectClose('quantile', p.map((v) => quantileSorted(sorted, v)), ref.quantiles.q, 1e-12);
  for (const level of [0.95, 0.99]) {
    const t = tailRisk(sorted, level);
    expectClose(`tail ${level}`, [t.valueAtRisk, t.conditionalValueAtRisk], [ref.quantiles.tail[String(level)]!.var, ref.quantiles.tail[String(level)]!.cvar], 1e-12);
  }
});

// Closed form: under the i.i.d. bootstrap the bars are independent draws from the empirical
// distribution, so E[∏(1 + r*)] − 1 = (1 + r̄)^n − 1 exactly; the simulated mean must be within 4
// Monte Carlo standard errors (sd / √S).
test('i.i.d. simulation: mean total return = (1 + mean return)^n − 1 within Monte Carlo error', () => {
  const r = ar1(250, 0, 22, 0.001, 0.01);
  const report = monteCarloRisk(r, { seed: 1, method: 'iid', simulations: 4000, periodsPerYear: 252 });
  const rBar = r.reduce((a, v) => a + v, 0) / r.length;
  expect(Math.abs(report.totalReturn.mean - ((1 + rBar) ** r.length - 1))).toBeLessThan((4 * report.totalReturn.std) / Math.sqrt(4000));
  expect(report.blockLength).toBe(1);
  expect(report.method).toBe('iid');
});

// Reference: for AR(1) returns the long-run variance is (1 + φ)/(1 − φ) = 3 times the variance at φ = 0.5,
// so block resampling must widen the total-return distribution well beyond the i.i.d. one (≈ √3 in the limit).
test('the stationary bootstrap keeps autocorrelation: wider total returns than i.i.d. on AR(1) returns', () => {
  const r = ar1(2000, 0.5, 23, 0.0002, 0.005);
  const block = monteCarloRisk(r, { seed: 2, simulations: 1000, periodsPerYear: 252 });
  const iid = monteCarloRisk(r, { seed: 2, simulations: 1000, periodsPerYear: 252, method: 'iid' });
  expect(block.blockLength).toBe(Math.max(1, optimalBlockLength(r).stationary)); // the automatic length (matched to arch in blockLength.spec)
  expect(block.totalReturn.std / iid.totalReturn.std).toBeGreaterThan(1.4);
  expect(monteCarloRisk(r, { seed: 2, simulations: 10, periodsPerYear: 252, blockLength: 5 }).blockLength).toBe(5);
});

test('report: consistent tail risk, loss probability, worst cases; JSON-serialisable; seeded', () => {
  const r = ar1(500, 0.1, 24, 0.0001, 0.01);
  const report = monteCarloRisk(r, { seed: 3, simulations: 3000, periodsPerYear: 365 });
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  expect(monteCarloRisk(r, { seed: 3, simulations: 3000, periodsPerYear: 365 })).toEqual(report);
  expect(monteCarloRisk(r, { seed: 4, simulations: 3000, periodsPerYear: 365 }).totalReturn.mean).not.toBe(report.totalReturn.mean);
  const t = report.totalReturn;
  expect(report.valueAtRisk.p95).toBeCloseTo(-t.p5, 14);
  expect(report.valueAtRisk.p99).toBeCloseTo(-t.p1, 14);
  expect(report.conditionalValueAtRisk.p99).toBeGreaterThanOrEqual(report.conditionalValueAtRisk.p95);
  expect(report.conditionalValueAtRisk.p95).toBeGreaterThanOrEqual(report.valueAtRisk.p95);
  expect(report.worstTotalReturn).toBe(t.min);
  expect(report.worstMaxDrawdown).toBe(report.maxDrawdown.max);
  expect([t.min, t.p1, t.p5, t.p25, t.p50, t.p75, t.p95, t.p99, t.max]).toEqual([...[t.min, t.p1, t.p5, t.p25, t.p50, t.p75, t.p95, t.p99, t.max]].sort((a, b) => a - b));
  const hist = report.histogram.totalReturn;
  expect(hist).toHaveLength(1000);
  expect(hist[0]).toBeGreaterThanOrEqual(t.min);
  expect(hist.every((v, i) => i === 0 || v >= hist[i - 1]!)).toBe(true);
  // probability of loss: the share of totals below 0, read from the histogram's plotting positions to within 1/1000
  expect(Math.abs(report.probabilityOfLoss - hist.filter((v) => v < 0).length / 1000)).toBeLessThanOrEqual(0.0015);
  const perBar = tailRisk(sortedCopy(r), 0.99);
  expect(report.perBarValueAtRisk.p99).toBe(perBar.valueAtRisk);
  expect(report.perBarConditionalValueAtRisk.p99).toBe(perBar.conditionalValueAtRisk);
  expect(report.observed).toEqual(pathStatistics(r, undefined, Math.sqrt(365), r.reduce((a, v) => a + v, 0) / r.length));
  const allUp = monteCarloRisk(Float64Array.from({ length: 50 }, (_, i) => 0.001 + (i % 5) * 0.001), { seed: 5, simulations: 200, periodsPerYear: 1, method: 'iid' });
  expect([allUp.probabilityOfLoss, allUp.worstMaxDrawdown, allUp.histogram.sharpe.length]).toEqual([0, 0, 200]);
  // a model that never traded: flat returns, block 1, every simulation the same flat path
  const flat = monteCarloRisk(new Float64Array(300), { seed: 5, simulations: 100, periodsPerYear: 1 });
  expect([flat.blockLength, flat.totalReturn.max, flat.maxDrawdown.max, flat.sharpe.max, flat.probabilityOfLoss, flat.valueAtRisk.p99]).toEqual([1, 0, 0, 0, 0, 0]);
  expect(JSON.parse(JSON.stringify(flat))).toEqual(flat);
});

// Closed form: the four trades +10 %, −5 %, −5 %, +20 % lose 1 − 0.95² = 9.75 % when the two losses are
// adjacent (3 of the 6 placements of the losses, probability ½) and 5 % otherwise (a gain in between
// makes a new peak); as traded, the losses are adjacent. Binomial sd of the share over 2000: 1.1 %.
test('trade reshuffles: the drawdown distribution of the same trades in random order', () => {
  const trades = Float64Array.from([0.1, -0.05, -0.05, 0.2]);
  const report = monteCarloRisk(ar1(100, 0, 25, 0, 0.01), { seed: 6, simulations: 2000, periodsPerYear: 252, method: 'iid', trades });
  const t = report.tradeReshuffles!;
  expect(t.trades).toBe(4);
  expect(t.observedMaxDrawdown).toBeCloseTo(0.0975, 14);
  expect(t.worstMaxDrawdown).toBeCloseTo(0.0975, 14);
  expect(t.maxDrawdown.min).toBeCloseTo(0.05, 14);
  expect(Math.abs(t.shareAtLeastObserved - 0.5)).toBeLessThan(0.05);
  expect(monteCarloRisk(ar1(100, 0, 25, 0, 0.01), { seed: 6, simulations: 20, periodsPerYear: 252, method: 'iid' }).tradeReshuffles).toBeUndefined();
});

test('progress callback every 100 simulations and at the end', () => {
  const calls: [number, number][] = [];
  monteCarloRisk(ar1(100, 0, 26, 0, 0.01), { seed: 7, simulations: 250, periodsPerYear: 252, onProgress: (done, total) => calls.push([done, total]) });
  expect(calls).toEqual([[100, 250], [200, 250], [250, 250]]);
});

test('the same seed gives the same report; another seed another one (1,000 paths of 5,000 returns)', () => {
  const r = ar1(5000, 0.2, 27, 0.0001, 0.01);
  const a = monteCarloRisk(r, { seed: 8, periodsPerYear: 8760, trades: r.subarray(0, 300) });
  const b = monteCarloRisk(r, { seed: 8, periodsPerYear: 8760, trades: r.subarray(0, 300) });
  const c = monteCarloRisk(r, { seed: 9, periodsPerYear: 8760, trades: r.subarray(0, 300) });
  expect(a.simulations).toBe(1000);
  expect(b).toEqual(a);
  expect(c.totalReturn).not.toEqual(a.totalReturn);
});

test('bad input is rejected naming the field and value', () => {
  const r = ar1(100, 0, 28, 0, 0.01);
  const o = { seed: 1, periodsPerYear: 252 };
  const nan = r.slice();
  nan[7] = Number.NaN;
  expect(() => monteCarloRisk(nan, o)).toThrow(InvalidStatisticsInputError);
  expect(() => monteCarloRisk(nan, o)).toThrow(/monteCarloRisk: returns has 1 non-finite values, the first NaN at index 7/);
  expect(() => monteCarloRisk(Float64Array.from([0.1, -1.5, 0]), { ...o, method: 'iid' })).toThrow(/returns\[1\] = -1.5 is a simple return below -1/);
  expect(() => monteCarloRisk(r, { ...o, simulations: 0 })).toThrow(/simulations 0 must be an integer >= 1/);
  expect(() => monteCarloRisk(r, { ...o, simulations: 2.5 })).toThrow(/simulations 2.5 must be an integer >= 1/);
  expect(() => monteCarloRisk(r, { ...o, blockLength: 0.5 })).toThrow(/blockLength 0.5 must be a finite number >= 1/);
  expect(() => monteCarloRisk(r, { ...o, method: 'iid', blockLength: 3 })).toThrow(/blockLength 3 contradicts method 'iid'/);
  expect(() => monteCarloRisk(r, { ...o, method: 'bayes' as 'iid' })).toThrow(/method "bayes" must be 'iid' or 'stationary'/);
  expect(() => monteCarloRisk(r, { ...o, periodsPerYear: 0 })).toThrow(/periodsPerYear 0 must be a finite number > 0/);
  expect(() => monteCarloRisk(r, { ...o, seed: Number.NaN })).toThrow(/seed NaN must be an integer/);
  expect(() => monteCarloRisk(r, { ...o, trades: Float64Array.from([0.1, Number.POSITIVE_INFINITY]) })).toThrow(/trades has 1 non-finite values, the first Infinity at index 1/);
  expect(() => monteCarloRisk(r.subarray(0, 10), o)).toThrow(/returns has 10 values, needs at least 11/);
  expect(() => monteCarloRisk(r.subarray(0, 1), { ...o, method: 'iid' })).toThrow(/returns has 1 values, needs at least 2/);
});

test('seeded Rng streams are independent of the report size', () => {
  // the same seed gives the same first simulations whatever the count: paths are drawn one after another
  const r = ar1(200, 0.3, 29, 0, 0.01);
  const a = monteCarloRisk(r, { seed: 9, simulations: 1, periodsPerYear: 1, blockLength: 4 });
  const idx = new Int32Array(200);
  const rng = new Rng(9);
  const p = 1 / 4;
  let j = Math.floor(rng.uniform() * 200);
  idx[0] = j;
  for (let i = 1; i < 200; i++) idx[i] = j = rng.uniform() < p ? Math.floor(rng.uniform() * 200) : (j + 1) % 200;
  expect(a.totalReturn.mean).toBe(pathStatistics(r, idx, 1, r.reduce((s, v) => s + v, 0) / 200).totalReturn);
});
