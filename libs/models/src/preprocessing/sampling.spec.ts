import { Rng } from '@ares/data';
import type { TrainingSet } from '../core/Model';
import { InsufficientSamplesError, InvalidPreprocessingOptionsError, InvalidTrainingSetError, NonFiniteFeatureError } from './errors';
import { randomUndersample, smote } from './sampling';
import { classCounts } from './trainingSet';

/**
 * An imbalanced set: column 't' is the row's position (so order and identity can be checked), the
 * other columns are class-dependent Gaussians. Class sizes are given explicitly.
 */
function imbalanced(sizes: [number, number, number], seed: number, withWeights = false): TrainingSet {
  const rng = new Rng(seed);
  const labels: number[] = sizes.flatMap((n, c) => new Array<number>(n).fill(c));
  // Fisher–Yates so the classes are interleaved in time.
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  const columns = ['t', 'f1', 'f2', 'f3'];
  const data = new Float32Array(labels.length * columns.length);
  labels.forEach((c, r) => data.set([r, c + rng.normal(), -c + rng.normal() * 0.5, rng.normal() * 2], r * columns.length));
  const x = { rows: labels.length, cols: columns.length, data, columns };
  const y = Int32Array.from(labels);
  return withWeights ? { x, y, weight: Float32Array.from(labels, (_, r) => 0.5 + (r % 7) / 10) } : { x, y };
}

function row(set: TrainingSet, r: number): number[] {
  return Array.from(set.x.data.subarray(r * set.x.cols, (r + 1) * set.x.cols));
}

describe('randomUndersample', () => {
  const train = imbalanced([40, 200, 90], 1, true);

  it('brings every class down to the minority count', () => {
    const { train: out, report } = randomUndersample(train, { seed: 5 });
    expect(classCounts(out.y)).toEqual([40, 40, 40]);
    expect(report).toEqual({ method: 'undersample', seed: 5, before: [40, 200, 90], after: [40, 40, 40], dropped: 210, synthetic: 0 });
  });

  it('keeps real rows only, in chronological order, with their labels and weights', () => {
    const { train: out } = randomUndersample(train, { seed: 5 });
    let previous = -1;
    for (let r = 0; r < out.x.rows; r++) {
      const source = out.x.data[r * out.x.cols]!; // column 't'
      expect(source).toBeGreaterThan(previous);
      previous = source;
      expect(row(out, r)).toEqual(row(train, source));
      expect(out.y[r]).toBe(train.y[source]);
      expect(out.weight![r]).toBe(train.weight![source]);
    }
    // The minority class is kept whole.
    const minority = Array.from(train.y).filter((c) => c === 0).length;
    expect(Array.from(out.y).filter((c) => c === 0)).toHaveLength(minority);
  });

  it('is deterministic for a seed and depends on it', () => {
    const a = randomUndersample(train, { seed: 5 }).train;
    const b = randomUndersample(train, { seed: 5 }).train;
    const c = randomUndersample(train, { seed: 6 }).train;
    expect(a.x.data).toEqual(b.x.data);
    expect(a.x.data).not.toEqual(c.x.data);
  });

  it('caps classes at floor(ratio × minority) and leaves an absent class absent', () => {
    const { report } = randomUndersample(imbalanced([0, 50, 20], 2), { seed: 1, ratio: 1.5 });
    expect(report.after).toEqual([0, 30, 20]);
  });

  it('does not modify its input', () => {
    const copy = Float32Array.from(train.x.data);
    randomUndersample(train, { seed: 5 });
    expect(train.x.data).toEqual(copy);
  });

  it('rejects invalid options and labels, naming them', () => {
    expect(() => randomUndersample(train, { seed: 1, ratio: 0.5 })).toThrow(InvalidPreprocessingOptionsError);
    expect(() => randomUndersample(train, { seed: 1, ratio: 0.5 })).toThrow(/'ratio'.*\(got 0.5\)/);
    expect(() => randomUndersample(train, { seed: 1.5 })).toThrow(/'seed'/);
    const bad = { ...train, y: Int32Array.from(train.y, (c, i) => (i === 3 ? 3 : c)) };
    expect(() => randomUndersample(bad, { seed: 1 })).toThrow(InvalidTrainingSetError);
    expect(() => randomUndersample(bad, { seed: 1 })).toThrow(/label 3 at row 3/);
  });
});

/** Positions of the k nearest same-class rows of `r` (brute force, sorted; independent of sampling.ts). */
function sameClassNeighbours(set: TrainingSet, r: number, k: number): number[] {
  const others: { j: number; d: number }[] = [];
  const a = row(set, r);
  for (let j = 0; j < set.x.rows; j++) {
    if (j === r || set.y[j] !== set.y[r]) continue;
    const b = row(set, j);
    others.push({ j, d: a.reduce((s, v, f) => s + (v - b[f]!) ** 2, 0) });
  }
  return others
    .sort((p, q) => p.d - q.d || p.j - q.j)
    .slice(0, k)
    .map((o) => o.j);
}

/** The (a, b, u) with s = a + u (b − a), u in [0, 1], b among a's k same-class neighbours, if any. */
function findSegment(set: TrainingSet, realRows: number, s: number[], label: number, k: number): { a: number; b: number; u: number } | null {
  for (let a = 0; a < realRows; a++) {
    if (set.y[a] !== label) continue;
    const pa = row(set, a);
    for (const b of sameClassNeighbours({ ...set, x: { ...set.x, rows: realRows }, y: set.y.subarray(0, realRows) }, a, k)) {
      const pb = row(set, b);
      const dir = pb.map((v, f) => v - pa[f]!);
      const len2 = dir.reduce((t, v) => t + v * v, 0);
      const u = dir.reduce((t, v, f) => t + v * (s[f]! - pa[f]!), 0) / len2;
      const residual = Math.sqrt(s.reduce((t, v, f) => t + (v - (pa[f]! + u * dir[f]!)) ** 2, 0));
      if (residual < 1e-4 && u >= -1e-6 && u <= 1 + 1e-6) return { a, b, u };
    }
  }
  return null;
}

describe('smote', () => {
  const train = imbalanced([12, 60, 25], 3, true);

  it('grows every class to the majority count, appending synthetic rows with weight 1', () => {
    const { train: out, report } = smote(train, { seed: 9 });
    expect(classCounts(out.y)).toEqual([60, 60, 60]);
    expect(report).toEqual({ method: 'smote', seed: 9, before: [12, 60, 25], after: [60, 60, 60], dropped: 0, synthetic: 83, neighbours: [5, 0, 5] });
    // Real rows first, unchanged, in order.
    expect(out.x.data.subarray(0, train.x.data.length)).toEqual(train.x.data);
    expect(out.y.subarray(0, train.y.length)).toEqual(train.y);
    expect(out.weight!.subarray(0, train.y.length)).toEqual(train.weight);
    expect(Array.from(out.weight!.subarray(train.y.length))).toEqual(new Array<number>(83).fill(1));
    // Synthetic rows grouped by class: 48 of class 0, then 35 of class 2.
    expect(Array.from(out.y.subarray(train.y.length))).toEqual([...new Array<number>(48).fill(0), ...new Array<number>(35).fill(2)]);
  });

  it('puts every synthetic row on a segment between a real row and one of its k nearest same-class neighbours', () => {
    const k = 3;
    const { train: out } = smote(train, { seed: 9, k });
    const us: number[] = [];
    for (let r = train.x.rows; r < out.x.rows; r++) {
      const found = findSegment(out, train.x.rows, row(out, r), out.y[r]!, k);
      if (found === null) throw new Error(`synthetic row ${r} (class ${out.y[r]}) lies on no same-class neighbour segment`);
      expect(out.y[found.a]).toBe(out.y[r]);
      us.push(found.u);
    }
    // u ~ U(0, 1): the factors spread over the interval.
    expect(Math.min(...us)).toBeLessThan(0.2);
    expect(Math.max(...us)).toBeGreaterThan(0.8);
  });

  it('interpolates between the two rows of a two-row class (hand-checked)', () => {
    const x = { rows: 5, cols: 2, data: Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 10, 20]), columns: ['a', 'b'] };
    const { train: out, report } = smote({ x, y: Int32Array.from([1, 1, 0, 1, 0]) }, { seed: 4 });
    expect(report.neighbours).toEqual([1, 0, 0]);
    expect(out.weight).toBeUndefined();
    // Class 0 = rows (2, 2) and (10, 20): the synthetic row is (2 + 8u, 2 + 18u).
    const [a, b] = row(out, 5);
    const u = (a! - 2) / 8;
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThanOrEqual(1);
    expect(b).toBeCloseTo(2 + 18 * u, 5);
  });

  it('is deterministic for a seed and depends on it', () => {
    const a = smote(train, { seed: 9 }).train;
    expect(smote(train, { seed: 9 }).train.x.data).toEqual(a.x.data);
    expect(smote(train, { seed: 10 }).train.x.data).not.toEqual(a.x.data);
  });

  it('grows classes to an explicit target, leaving larger classes alone', () => {
    const { report } = smote(train, { seed: 1, target: 30 });
    expect(report.after).toEqual([30, 60, 30]);
  });

  it('uses all other rows when a class has fewer than k + 1', () => {
    const { report } = smote(imbalanced([3, 20, 20], 4), { seed: 1, k: 5 });
    expect(report.neighbours).toEqual([2, 0, 0]);
    expect(report.after).toEqual([20, 20, 20]);
  });

  it('rejects NaN features and a single-row class, naming them', () => {
    const data = Float32Array.from(train.x.data);
    data[7 * train.x.cols + 2] = Number.NaN;
    expect(() => smote({ ...train, x: { ...train.x, data } }, { seed: 1 })).toThrow(NonFiniteFeatureError);
    expect(() => smote({ ...train, x: { ...train.x, data } }, { seed: 1 })).toThrow(/column 'f2' has 1 NaN\/Inf values \(first at row 7\)/);
    expect(() => smote(imbalanced([1, 5, 5], 1), { seed: 1 })).toThrow(InsufficientSamplesError);
    expect(() => smote(train, { seed: 1, k: 0 })).toThrow(/'k'/);
  });
});
