import { join } from 'node:path';
import { Rng } from '@ares/data';
import { pythonReference } from '@ares/data/testing';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { moments } from '../stats/sharpe';
import { optimalBlockLength } from './blockLength';
import { iidBootstrapIndices, stationaryBootstrapIndices, tradeReshuffle } from './bootstrap';
import { quantileSorted, sortedCopy } from './distribution';
import { ar1, garch } from './specFixtures';

const SCRIPT = join(__dirname, 'montecarlo.reference.py');

/** Block starts of stationary-bootstrap indices: positions where the index does not follow on (circularly) from the previous one. */
function blockStarts(idx: Int32Array, n: number): number {
  let starts = 1;
  for (let i = 1; i < idx.length; i++) if (idx[i] !== (idx[i - 1]! + 1) % n) starts++;
  return starts;
}

// Reference: the definition (Politis & Romano 1994). New blocks start with probability 1/b, so over
// R·(n − 1) steps the starts are Binomial with sd sqrt(R(n−1)p(1−p)) ≈ 0.6 % of the mean here; a
// fresh start that happens to continue the previous block (p/n) is negligible. Tolerance 3 %.
test('stationary bootstrap: mean block length ≈ meanBlock', () => {
  const rng = new Rng(1);
  const n = 10_000;
  for (const meanBlock of [1, 2.5, 8, 30]) {
    let starts = 0;
    const reps = 20;
    for (let r = 0; r < reps; r++) starts += blockStarts(stationaryBootstrapIndices(n, meanBlock, rng), n);
    expect((reps * n) / starts).toBeGreaterThan(meanBlock * 0.97);
    expect((reps * n) / starts).toBeLessThan(meanBlock * 1.03);
  }
});

// Reference: stationarity of the scheme: every index has probability 1/n at every position. Per
// replicate an index appears ≈ 1 time with variance ≈ 2b − 1 (blocks): over 50,000 replicates of
// n = 20, b = 4 the count's sd is ≈ 1.2 % of its mean 50,000; tolerance 6 % (5 sd). Positions too.
test('stationary and i.i.d. bootstrap: every index equally likely, at the first and last position too', () => {
  const n = 20;
  const reps = 50_000;
  for (const draw of [(rng: Rng) => stationaryBootstrapIndices(n, 4, rng), (rng: Rng) => iidBootstrapIndices(n, rng)]) {
    const rng = new Rng(2);
    const counts = new Float64Array(n);
    const first = new Float64Array(n);
    const last = new Float64Array(n);
    for (let r = 0; r < reps; r++) {
      const idx = draw(rng);
      for (let i = 0; i < n; i++) counts[idx[i]!]!++;
      first[idx[0]!]!++;
      last[idx[n - 1]!]!++;
    }
    for (let j = 0; j < n; j++) {
      expect(Math.abs(counts[j]! / reps - 1)).toBeLessThan(0.06);
      // one draw per replicate: binomial sd sqrt(reps·p(1−p)) = 2.2 % of reps/n; tolerance 12 %
      expect(Math.abs((first[j]! * n) / reps - 1)).toBeLessThan(0.12);
      expect(Math.abs((last[j]! * n) / reps - 1)).toBeLessThan(0.12);
    }
  }
});

test('resamplers are seeded: the same seed repeats, another differs', () => {
  expect(stationaryBootstrapIndices(100, 5, new Rng(3))).toEqual(stationaryBootstrapIndices(100, 5, new Rng(3)));
  expect(stationaryBootstrapIndices(100, 5, new Rng(3))).not.toEqual(stationaryBootstrapIndices(100, 5, new Rng(4)));
  expect(iidBootstrapIndices(100, new Rng(3))).toEqual(iidBootstrapIndices(100, new Rng(3)));
  const out = new Int32Array(100);
  expect(stationaryBootstrapIndices(100, 5, new Rng(3), out)).toBe(out);
});

// Reference: Fisher–Yates gives each of the 3! = 6 orders probability 1/6; over 60,000 shuffles
// each count has sd ≈ 91 (0.9 %); tolerance 4 %.
test('tradeReshuffle: a permutation of the same trades, every order equally likely', () => {
  const trades = Float64Array.from([0.05, -0.02, 0.01]);
  const rng = new Rng(5);
  const orders = new Map<string, number>();
  for (let r = 0; r < 60_000; r++) {
    const key = Array.from(tradeReshuffle(trades, rng)).join(',');
    orders.set(key, (orders.get(key) ?? 0) + 1);
  }
  expect(orders.size).toBe(6);
  for (const count of orders.values()) expect(Math.abs(count / 10_000 - 1)).toBeLessThan(0.04);
  const many = Float64Array.from({ length: 200 }, (_, i) => i / 1000 - 0.1);
  const shuffled = tradeReshuffle(many, new Rng(6));
  expect(sortedCopy(shuffled)).toEqual(sortedCopy(many));
  expect(shuffled).not.toEqual(many);
});

test('bad input names the field and value', () => {
  const rng = new Rng(7);
  expect(() => stationaryBootstrapIndices(10, 0.5, rng)).toThrow(/meanBlock 0.5 must be a finite number >= 1/);
  expect(() => stationaryBootstrapIndices(10, Number.NaN, rng)).toThrow(/meanBlock NaN must be/);
  expect(() => stationaryBootstrapIndices(0, 2, rng)).toThrow(/n 0 must be an integer >= 1/);
  expect(() => iidBootstrapIndices(2.5, rng)).toThrow(/n 2.5 must be an integer >= 1/);
  expect(() => stationaryBootstrapIndices(10, 2, rng, new Int32Array(9))).toThrow(/out has length 9, expected n = 10/);
  expect(() => tradeReshuffle(Float64Array.from([0.1, Number.NaN]), rng)).toThrow(/trades has 1 non-finite values, the first NaN at index 1/);
  expect(() => tradeReshuffle(new Float64Array(0), rng)).toThrow(/trades has 0 values, needs at least 1/);
});

interface ArchBootstrap {
  arch: string;
  bootstrap: { mean: number[]; sharpe: number[] }[];
}

function sharpe(x: Float64Array, idx: Int32Array): number {
  let s = 0;
  for (let i = 0; i < idx.length; i++) s += x[idx[i]!]!;
  const m = s / idx.length;
  let ss = 0;
  for (let i = 0; i < idx.length; i++) ss += (x[idx[i]!]! - m) ** 2;
  return m / Math.sqrt(ss / (idx.length - 1));
}

function ourBootstrap(x: Float64Array, block: number, reps: number, seed: number): { mean: Float64Array; sharpe: Float64Array } {
  const rng = new Rng(seed);
  const idx = new Int32Array(x.length);
  const mean = new Float64Array(reps);
  const sr = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    stationaryBootstrapIndices(x.length, block, rng, idx);
    let s = 0;
    for (let i = 0; i < idx.length; i++) s += x[idx[i]!]!;
    mean[r] = s / x.length;
    sr[r] = sharpe(x, idx);
  }
  return { mean, sharpe: sr };
}

/**
 * Two independent Monte Carlo estimates of the same bootstrap distribution (same data, same block,
 * same scheme; only the random streams differ) must agree within 4 sd of their difference:
 * - standard error s from B draws: sd(ŝ)/s ≈ sqrt((κ − 1)/(4B)) with κ the distribution's raw
 *   kurtosis, so the difference of the two has relative sd sqrt((κ − 1)/(4B)·2);
 * - p-quantile: sd ≈ sqrt(p(1 − p)/B) / f(Q_p), with the density f ≈ φ(z_p)/s (near-normal), ×√2.
 */
function standardErrorTolerance(ours: Float64Array, arch: number[]): number {
  const kurt = (moments(ours).kurtosis + moments(arch).kurtosis) / 2;
  return 4 * Math.sqrt(((kurt - 1) / (4 * ours.length)) * 2);
}

function expectSameDistribution(name: string, ours: Float64Array, arch: number[]): void {
  const B = ours.length;
  const a = moments(ours);
  const b = moments(arch);
  const se = (a.std + b.std) / 2;
  const seTol = standardErrorTolerance(ours, arch);
  expect({ name, relativeSeDiff: Math.abs(a.std / b.std - 1) < seTol }).toEqual({ name, relativeSeDiff: true });
  const so = sortedCopy(ours);
  const sa = sortedCopy(arch);
  for (const p of [0.025, 0.5, 0.975]) {
    const z = normalQuantile(p, 0, 1);
    const density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) / se;
    const qTol = 4 * Math.SQRT2 * Math.sqrt((p * (1 - p)) / B) / density;
    const diff = Math.abs(quantileSorted(so, p) - quantileSorted(sa, p));
    expect({ name, p, within: diff < qTol }).toEqual({ name, p, within: true });
  }
}

// Reference: arch 8.0 StationaryBootstrap(b, x, seed=…).apply(…, 4000) with b = the automatic block
// length (montecarlo.reference.py); the statistics are the bootstrap mean and Sharpe ratio (ddof 1).
test('bootstrap distributions of the mean and Sharpe ratio agree with arch StationaryBootstrap', () => {
  const reps = 4000;
  const series = { 'AR(1) 0.5 + drift': ar1(1000, 0.5, 8, 0.1), 'GARCH + drift': garch(1500, 9, 1).map((v) => v + 0.05) };
  const cases = Object.entries(series).map(([name, x]) => ({ name, x, block: optimalBlockLength(x).stationary }));
  const ref = pythonReference<ArchBootstrap>(SCRIPT, { bootstrap: cases.map((c, i) => ({ x: c.x, block: c.block, reps, seed: 100 + i })) });
  cases.forEach((c, i) => {
    const ours = ourBootstrap(c.x, c.block, reps, 200 + i);
    expectSameDistribution(`${c.name} mean`, ours.mean, ref.bootstrap[i]!.mean);
    expectSameDistribution(`${c.name} sharpe`, ours.sharpe, ref.bootstrap[i]!.sharpe);
  });
  // the comparison has power: i.i.d. resampling (block 1) of the AR(1) series misses arch's SE by ~33 %
  const iid = ourBootstrap(cases[0]!.x, 1, reps, 300);
  expect(Math.abs(moments(iid.mean).std / moments(ref.bootstrap[0]!.mean).std - 1)).toBeGreaterThan(3 * standardErrorTolerance(iid.mean, ref.bootstrap[0]!.mean));
});
