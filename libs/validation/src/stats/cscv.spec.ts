import { join } from 'node:path';
import { Rng } from '@ares/data';
import { expectClose, pythonReference } from '@ares/data/testing';
import { probabilityOfBacktestOverfitting, type ReturnMatrix } from './cscv';

function matrix(rows: number[][]): ReturnMatrix {
  return { rows: rows.length, trials: rows[0]!.length, values: Float64Array.from(rows.flat()) };
}

/** T rows of N i.i.d. N(0, 1) trials; `edge[n]` added to trial n's mean. */
function noise(T: number, N: number, seed: number, edge: (n: number) => number = () => 0): ReturnMatrix {
  const rng = new Rng(seed);
  const values = new Float64Array(T * N);
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) values[t * N + n] = rng.normal() + edge(n);
  return { rows: T, trials: N, values };
}

test('a hand case: S = 4 (6 combinations), 3 trials, 2 rows a block', () => {
  // Blocks (rows per block) of trial A, B, C. A is good in blocks 0–1 only, B steady, C good late.
  const rows = [
    [2, 1, 0], [1, 0.5, -1],    // block 0
    [2, 1.5, -1], [1, 0.5, 0],  // block 1
    [-1, 1, 1], [-2, 0.5, 2],   // block 2
    [-1, 1.5, 2], [-2, 0.5, 1], // block 3
  ];
  // Sharpe (mean / std ddof 1) over two blocks (4 rows):
  //   J {0,1}: A 1.5/0.577 = 2.598, B 0.875/0.479 = 1.827, C −0.5/0.577 = −0.866 → n* = A;
  //     OOS {2,3}: A −1.5/0.577 = −2.598, B 1.827, C 1.5/0.577 = 2.598 → A ranks 1 → ω = 1/4, λ = ln(1/3).
  //   J {2,3}: C best (2.598); OOS {0,1}: C −0.866 ranks 1 → λ = ln(1/3).
  //   J {0,2}: A 0/… = 0, B 0.875/0.479 = 1.827, C 0.5/1.291 = 0.387 → B; OOS {1,3}: A 0, B 1.827, C 0.387 → B ranks 3 → ω = 3/4, λ = ln 3.
  //   J {1,3}, {0,3}, {1,2}: B is best in each and best out of sample too → λ = ln 3.
  const r = probabilityOfBacktestOverfitting(matrix(rows), { blocks: 4 });
  expect(r.combinations).toBe(6);
  expect(Array.from(r.logits).map((l) => +l.toFixed(12))).toEqual([Math.log(1 / 3), Math.log(3), Math.log(3), Math.log(3), Math.log(3), Math.log(1 / 3)].map((l) => +l.toFixed(12)));
  expect(r.pbo).toBeCloseTo(2 / 6, 15);
});

test('equals an independent numpy/scipy implementation (cscv.reference.py) with S = 8 and 16, tied trials included', () => {
  for (const S of [8, 16]) {
    const m = noise(203, 7, 40 + S);
    // Trials 5 and 6 are copies of trial 1: ties that average ranks must resolve.
    for (let t = 0; t < m.rows; t++) m.values[t * 7 + 5] = m.values[t * 7 + 6] = m.values[t * 7 + 1]!;
    const rows = Array.from({ length: m.rows }, (_, t) => Array.from(m.values.subarray(t * 7, t * 7 + 7)));
    const ref = pythonReference<{ pbo: number; logits: number[] }>(join(__dirname, 'cscv.reference.py'), { values: rows, blocks: S });
    const r = probabilityOfBacktestOverfitting(m, { blocks: S });
    expectClose(`logits S=${S}`, r.logits, ref.logits, 1e-12, 1e-12);
    expect(r.pbo).toBe(ref.pbo);
  }
});

test('ties take their average rank: a selected trial tied with every other trial sits exactly at the median (λ = 0)', () => {
  const m = noise(64, 1, 3);
  const tied: ReturnMatrix = { rows: 64, trials: 4, values: Float64Array.from({ length: 256 }, (_, i) => m.values[Math.floor(i / 4)]!) };
  const r = probabilityOfBacktestOverfitting(tied, { blocks: 4 });
  // Average rank (1+2+3+4)/4 = 2.5 → ω = 2.5/5 = 0.5 → λ = 0 (min ranks would give 1/5, ordinal 1/5).
  expect(Array.from(r.logits)).toEqual([0, 0, 0, 0, 0, 0]);
  expect(r.pbo).toBe(1);
});

test('pure-noise trials: PBO ≈ 0.5; a planted edge: PBO ≈ 0 (S = 16)', () => {
  const pbos = Array.from({ length: 12 }, (_, k) => k + 1).map((seed) => probabilityOfBacktestOverfitting(noise(1600, 50, seed), { blocks: 16 }).pbo);
  console.log(`PBO on noise, 12 seeds: ${pbos.map((p) => p.toFixed(3)).join(", ")}`);
  // One seed's PBO is itself noisy (the 12,870 combinations share the same rows): 0.3–0.9 here.
  for (const p of pbos) {
    expect(p).toBeGreaterThan(0.05);
    expect(p).toBeLessThan(0.95);
  }
  const mean = pbos.reduce((a, b) => a + b, 0) / pbos.length;
  // Its mean over 12 seeds: within 0.12 of 0.5 (about 2 standard errors of a 12-seed mean here).
  expect(Math.abs(mean - 0.5)).toBeLessThan(0.12);
  // Graded edges: trial n has mean 0.01·n σ; the best (n = 49, +0.49σ) is far above the rest's noise.
  const planted = probabilityOfBacktestOverfitting(noise(1600, 50, 5, (n) => 0.01 * n), { blocks: 16 });
  expect(planted.pbo).toBeLessThan(0.05);
  expect(planted.probabilityOfLoss).toBe(0);
  console.log(`PBO on a planted edge: ${planted.pbo.toFixed(4)}`);
});

test('bad input names the option', () => {
  const m = noise(40, 3, 1);
  expect(() => probabilityOfBacktestOverfitting(m, { blocks: 5 })).toThrow(/blocks must be an even integer >= 2, got 5/);
  expect(() => probabilityOfBacktestOverfitting({ ...m, trials: 1, values: m.values.subarray(0, 40) })).toThrow(/needs at least 2 trials/);
  expect(() => probabilityOfBacktestOverfitting(m, { blocks: 64 })).toThrow(/40 rows for 64 blocks/);
  const bad = m.values.slice();
  bad[7] = Number.NaN;
  expect(() => probabilityOfBacktestOverfitting({ ...m, values: bad }, { blocks: 4 })).toThrow(/values\[row 2, trial 1\] is NaN/);
});
