import { InvalidInputError, Rng } from '@ares/data';
import type { TrainingSet } from '@ares/models';
import { pearson, pruneFeatures, subsetRows } from './pruneFeatures';

jest.setTimeout(120_000);


function makeSet(columns: string[], rows: number, fill: (r: number, row: Float32Array) => number): TrainingSet {
  const cols = columns.length;
  const data = new Float32Array(rows * cols);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * cols, (r + 1) * cols);
    y[r] = fill(r, row);
  }
  return { x: { rows, cols, data, columns }, y };
}

/** Label intervals: each row's label spans 3 bars. */
function labelTimes(n: number): { times: Float64Array; t1: Float64Array } {
  const times = Float64Array.from({ length: n }, (_, i) => i);
  return { times, t1: times.map((t) => t + 3) };
}

/** Class from s0 − s1 (10 % label noise). */
function classOf(rng: Rng, d: number): number {
  return rng.uniform() < 0.1 ? Math.floor(rng.uniform() * 3) : d > 0.5 ? 2 : d < -0.5 ? 0 : 1;
}

/** 12 features: s0, s1 carry the signal; c0, c1 are near-copies (corr ≈ 0.997); n0..n7 noise. */
function planted(rows: number, seed: number): TrainingSet {
  const rng = new Rng(seed);
  const columns = ['n0', 's0', 'n1', 'c0', 'n2', 'n3', 's1', 'n4', 'c1', 'n5', 'n6', 'n7'];
  const at = Object.fromEntries(columns.map((c, i) => [c, i]));
  return makeSet(columns, rows, (_r, row) => {
    for (let c = 0; c < columns.length; c++) row[c] = rng.normal();
    row[at.c0!] = row[at.s0!]! + 0.08 * rng.normal();
    row[at.c1!] = row[at.s1!]! + 0.08 * rng.normal();
    return classOf(rng, row[at.s0!]! - row[at.s1!]!);
  });
}

describe('pruneFeatures', () => {
  const set = planted(2000, 11);
  const { times, t1 } = labelTimes(set.x.rows);

  test('keeps the signal, drops near-copies as duplicates of the right feature, drops most noise', async () => {
    const copies = [0, 1].map((k) => pearson(set.x.data, set.x.rows, set.x.cols, set.x.columns.indexOf(`s${k}`), set.x.columns.indexOf(`c${k}`)));
    for (const c of copies) expect(c).toBeGreaterThan(0.99);

    const res = await pruneFeatures(set, times, t1, { seed: 5 });
    expect(res.kept).toEqual(expect.arrayContaining(['s0', 's1']));
    expect(res.kept).not.toContain('c0');
    expect(res.kept).not.toContain('c1');
    const reason = (f: string): string | undefined => res.dropped.find((d) => d.feature === f)?.reason;
    expect(reason('c0')).toBe('duplicate_of:s0');
    expect(reason('c1')).toBe('duplicate_of:s1');
    expect(res.dropped.find((d) => d.feature === 'c0')!.corr).toBeGreaterThan(0.99);
    const noiseKept = res.kept.filter((f) => f.startsWith('n'));
    expect(noiseKept.length).toBeLessThanOrEqual(1);
    for (const f of noiseKept) expect(res.importance[f]).toBeLessThan(res.importance.s1! / 5);
    // importance: normalised, every column reported, kept + dropped partition the columns
    const total = Object.values(res.importance).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 6);
    expect(res.kept.length + res.dropped.length).toBe(12);
    expect(new Set([...res.kept, ...res.dropped.map((d) => d.feature)])).toEqual(new Set(set.x.columns));
  });

  test('keepTop keeps that many by importance before de-duplication', async () => {
    const res = await pruneFeatures(set, times, t1, { keepTop: 4, seed: 5 });
    const byImportance = Object.entries(res.importance).sort((a, b) => b[1] - a[1]).map(([f]) => f);
    const low = res.dropped.filter((d) => d.reason === 'low_importance').map((d) => d.feature);
    expect(low.sort()).toEqual(byImportance.slice(4).sort());
    expect(res.kept).toEqual(expect.arrayContaining(['s0', 's1']));
  });

  test('deterministic with a seed', async () => {
    const a = await pruneFeatures(set, times, t1, { seed: 9 });
    const b = await pruneFeatures(set, times, t1, { seed: 9 });
    expect(b).toEqual(a);
  });

  test('validates options and row counts', async () => {
    await expect(pruneFeatures(set, times, t1, { keepTop: 3, minImportanceShare: 0.9 })).rejects.toThrow(InvalidInputError);
    await expect(pruneFeatures(set, times, t1, { correlationThreshold: 1.5 })).rejects.toThrow(/correlationThreshold/);
    await expect(pruneFeatures(set, times.subarray(1), t1.subarray(1))).rejects.toThrow(/rows/);
  });
});

describe('pruneFeatures is fitted on training rows only', () => {
  // 3000 rows; the training rows are the first 1500. Outside them (the "future"): `leak` is the
  // label and s1 is a copy of s0 — information the pruning must never see.
  const N = 3000;
  const TRAIN = 1500;
  const rng = new Rng(21);
  const columns = ['s0', 's1', 'leak', 'n0', 'n1', 'n2', 'n3'];
  const full = makeSet(columns, N, (r, row) => {
    for (let c = 0; c < columns.length; c++) row[c] = rng.normal();
    if (r < TRAIN) return classOf(rng, row[0]! - row[1]!);
    row[1] = row[0]! + 0.01 * rng.normal();
    const y = Math.floor(rng.uniform() * 3);
    row[2] = y + 0.05 * rng.normal();
    return y;
  });
  const train = subsetRows(full, Int32Array.from({ length: TRAIN }, (_, i) => i));
  const all = labelTimes(N);
  const trainTimes = labelTimes(TRAIN);

  test('the API only receives training rows: times for more rows are refused', async () => {
    expect(train.x.rows).toBe(TRAIN);
    await expect(pruneFeatures(train, all.times, all.t1)).rejects.toThrow(InvalidInputError);
  });

  test('a feature informative only outside the training rows is dropped; a pair correlated only there is not flagged', async () => {
    // The pair is correlated over all rows, not over the training rows.
    expect(pearson(full.x.data, N, full.x.cols, 0, 1)).toBeGreaterThan(0.4);
    expect(Math.abs(pearson(train.x.data, TRAIN, train.x.cols, 0, 1))).toBeLessThan(0.1);

    const res = await pruneFeatures(train, trainTimes.times, trainTimes.t1, { correlationThreshold: 0.4, seed: 1 });
    expect(res.kept).toEqual(expect.arrayContaining(['s0', 's1']));
    expect(res.kept).not.toContain('leak');
    expect(res.dropped.some((d) => d.reason.startsWith('duplicate_of'))).toBe(false);

    // Control: had the excluded rows leaked in, the same call would keep `leak` and flag s1.
    const leaked = await pruneFeatures(full, all.times, all.t1, { correlationThreshold: 0.4, seed: 1 });
    expect(leaked.kept).toContain('leak');
    expect(leaked.dropped.some((d) => d.reason === 'duplicate_of:s0' || d.reason === 'duplicate_of:s1')).toBe(true);
  });
});
