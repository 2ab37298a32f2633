import { join } from 'node:path';
import { Rng } from '@ares/data';
import type { Matrix } from '../core/Model';
import { ColumnMismatchError, EmptyFitWindowError, InvalidScalerStateError } from './errors';
import { StandardScaler } from './StandardScaler';
import { expectClose, pythonReference } from '@ares/data/testing';

const SCRIPT = join(__dirname, 'StandardScaler.reference.py');

interface SklearnScaler {
  mean: (number | null)[];
  scale: (number | null)[];
  var: (number | null)[];
  n_samples_seen: number[];
  test: (number | null)[];
  dtype: string;
}

function matrix(rows: number, columns: string[], values: ArrayLike<number>): Matrix {
  return { rows, cols: columns.length, data: Float32Array.from(values), columns };
}

/** Columns with different scales: a large offset with a small spread (precision), a constant, NaN holes. */
function randomMatrix(rng: Rng, rows: number, nanEvery = 0): Matrix {
  const columns = ['ret', 'price', 'const', 'volume', 'holes'];
  const data = new Float32Array(rows * columns.length);
  for (let r = 0; r < rows; r++) {
    const row = [rng.normal() * 0.01, 20_000 + rng.normal() * 3, 7.25, Math.exp(rng.normal() * 2), rng.normal() * 5 - 2];
    if (nanEvery > 0 && r % nanEvery === 1) row[4] = Number.NaN;
    if (nanEvery > 0 && r % (nanEvery * 2) === 3) row[3] = Number.NaN;
    data.set(row, r * columns.length);
  }
  return { rows, cols: columns.length, data, columns };
}

describe('StandardScaler', () => {
  it('matches scikit-learn StandardScaler (fit on train rows, transform test rows) to 1e-6', () => {
    const rng = new Rng(11);
    const train = randomMatrix(rng, 400, 7);
    const test = randomMatrix(rng, 150, 5);
    const ref = pythonReference<SklearnScaler>(SCRIPT, { cols: train.cols, train: train.data, test: test.data });
    const scaler = StandardScaler.fit(train);
    // Statistics are float64 in both implementations.
    expectClose('mean', scaler.mean, ref.mean, 1e-9, 1e-12);
    expectClose('variance', scaler.variance, ref.var, 1e-9, 1e-15);
    expectClose('scale', scaler.scale, ref.scale, 1e-9, 1e-12);
    expectClose('count', scaler.count, ref.n_samples_seen, 0, 0);
    expect(ref.dtype).toBe('float32');
    const out = scaler.transform(test);
    expect(out.data).toBeInstanceOf(Float32Array);
    expectClose('transform', out.data, ref.test, 1e-6, 1e-6);
  });

  it('scales a constant column by 1 and keeps NaN / ±Inf (hand-checked)', () => {
    const train = matrix(4, ['a', 'k'], [1, 5, 2, 5, 3, 5, 4, 5]);
    const scaler = StandardScaler.fit(train);
    // a: mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
    expect(Array.from(scaler.mean)).toEqual([2.5, 5]);
    expect(scaler.variance[0]).toBeCloseTo(1.25, 15);
    expect(Array.from(scaler.scale)).toEqual([Math.sqrt(1.25), 1]);
    const out = scaler.transform(matrix(3, ['a', 'k'], [Number.NaN, 6, Infinity, 5, -Infinity, Number.NaN]));
    expect(Array.from(out.data)).toEqual([Number.NaN, 1, Infinity, 0, -Infinity, Number.NaN]);
  });

  it('computes the statistics over the finite values only', () => {
    const scaler = StandardScaler.fit(matrix(5, ['a'], [1, Number.NaN, 3, Infinity, -Infinity]));
    expect(scaler.mean[0]).toBe(2);
    expect(scaler.variance[0]).toBe(1);
    expect(scaler.count[0]).toBe(2);
  });

  it('does not modify its input', () => {
    const x = matrix(3, ['a'], [1, 2, 3]);
    StandardScaler.fit(x).transform(x);
    expect(Array.from(x.data)).toEqual([1, 2, 3]);
  });

  it('round-trips through JSON and transforms identically', () => {
    const rng = new Rng(3);
    const train = randomMatrix(rng, 100, 9);
    const test = randomMatrix(rng, 30);
    const scaler = StandardScaler.fit(train);
    const restored = StandardScaler.fromJSON(JSON.parse(JSON.stringify(scaler)) as unknown);
    expect(restored.toJSON()).toEqual(scaler.toJSON());
    expect(restored.transform(test).data).toEqual(scaler.transform(test).data);
  });

  it('rejects a malformed saved state', () => {
    const state = StandardScaler.fit(matrix(2, ['a', 'b'], [1, 2, 3, 4])).toJSON();
    expect(() => StandardScaler.fromJSON({ ...state, scale: [1] })).toThrow(InvalidScalerStateError);
    expect(() => StandardScaler.fromJSON({ ...state, scale: [1, 0] })).toThrow(/'scale.1'/);
    expect(() => StandardScaler.fromJSON({ ...state, kind: 'minmax' })).toThrow(InvalidScalerStateError);
  });

  it('rejects an empty fit window and a column without a finite value, naming it', () => {
    expect(() => StandardScaler.fit(matrix(0, ['a'], []))).toThrow(EmptyFitWindowError);
    expect(() => StandardScaler.fit(matrix(2, ['a', 'funding'], [1, Number.NaN, 2, Number.NaN]))).toThrow(/column 'funding' has no finite value in the 2 rows/);
  });

  it('rejects rows whose columns differ from the fit window', () => {
    const scaler = StandardScaler.fit(matrix(2, ['a', 'b'], [1, 2, 3, 4]));
    expect(() => scaler.transform(matrix(1, ['b', 'a'], [1, 2]))).toThrow(ColumnMismatchError);
    expect(() => scaler.transform(matrix(1, ['b', 'a'], [1, 2]))).toThrow(/column 0 is 'b', the scaler was fitted on 'a'/);
    expect(() => scaler.transform(matrix(1, ['a'], [1]))).toThrow(/1 columns, the scaler was fitted on 2/);
  });
});
