import { Rng } from '@ares/data';
import type { TrainingSet } from '../core/Model';
import { ColumnMismatchError, InvalidPreprocessingOptionsError } from './errors';
import { prepareTrainingFold } from './prepareTrainingFold';
import { classCounts } from './trainingSet';

const COLUMNS = ['f1', 'f2', 'f3'];

/** Imbalanced rows; `shift` moves every feature so that validation rows sit far from training rows. */
function fold(rows: number, seed: number, shift: number, withWeights = true): TrainingSet {
  const rng = new Rng(seed);
  const y = Int32Array.from({ length: rows }, () => {
    const u = rng.uniform();
    return u < 0.15 ? 0 : u < 0.8 ? 1 : 2;
  });
  const data = new Float32Array(rows * COLUMNS.length);
  y.forEach((c, r) => data.set([shift + c + rng.normal(), shift * 3 + 10 * rng.normal(), shift - c + rng.normal() * 0.1], r * COLUMNS.length));
  const x = { rows, cols: COLUMNS.length, data, columns: COLUMNS };
  return withWeights ? { x, y, weight: Float32Array.from({ length: rows }, (_, r) => 1 + (r % 3)) } : { x, y };
}

function columnMean(set: TrainingSet, c: number): number {
  let s = 0;
  for (let r = 0; r < set.x.rows; r++) s += set.x.data[r * set.x.cols + c]!;
  return s / set.x.rows;
}

function columnStd(set: TrainingSet, c: number, mean: number): number {
  let s = 0;
  for (let r = 0; r < set.x.rows; r++) s += (set.x.data[r * set.x.cols + c]! - mean) ** 2;
  return Math.sqrt(s / set.x.rows);
}

describe('prepareTrainingFold', () => {
  const train = fold(300, 1, 0);
  // Validation rows from a shifted distribution: any statistic or neighbour taken from them shows.
  const valid = fold(120, 2, 50);

  it.each(['none', 'undersample', 'smote'] as const)('fits the scaler on the training rows only and scales validation rows with it (balance %s)', (balance) => {
    const out = prepareTrainingFold(train, valid, { scale: true, balance, seed: 3 });
    for (let c = 0; c < COLUMNS.length; c++) {
      const trainMean = columnMean(train, c);
      const pooledMean = (trainMean * train.x.rows + columnMean(valid, c) * valid.x.rows) / (train.x.rows + valid.x.rows);
      expect(out.scaler!.mean[c]).toBeCloseTo(trainMean, 9);
      expect(Math.abs(out.scaler!.mean[c]! - pooledMean)).toBeGreaterThan(1);
      expect(out.scaler!.scale[c]).toBeCloseTo(columnStd(train, c, trainMean), 6);
    }
    // Validation: same rows, same order, same labels and weights; each value scaled by the train statistics.
    expect(out.valid.x.rows).toBe(valid.x.rows);
    expect(out.valid.y).toEqual(valid.y);
    expect(out.valid.weight).toEqual(valid.weight);
    for (let r = 0; r < valid.x.rows; r++) {
      for (let c = 0; c < COLUMNS.length; c++) {
        const i = r * COLUMNS.length + c;
        const m = columnMean(train, c);
        expect(out.valid.x.data[i]).toBeCloseTo((valid.x.data[i]! - m) / columnStd(train, c, m), 4);
      }
    }
  });

  it('balances the training rows and never the validation rows', () => {
    const smoted = prepareTrainingFold(train, valid, { scale: true, balance: 'smote', seed: 3 });
    const majority = Math.max(...classCounts(train.y));
    expect(classCounts(smoted.train.y)).toEqual([majority, majority, majority]);
    expect(smoted.sampling.before).toEqual(classCounts(train.y));
    expect(classCounts(smoted.valid.y)).toEqual(classCounts(valid.y));
    const under = prepareTrainingFold(train, valid, { balance: 'undersample', seed: 3 });
    const minority = Math.min(...classCounts(train.y));
    expect(classCounts(under.train.y)).toEqual([minority, minority, minority]);
    expect(under.valid.x.rows).toBe(valid.x.rows);
  });

  it('builds SMOTE rows from training rows only: every synthetic row lies inside the training box', () => {
    // Validation rows sit ~50 training standard deviations away; one used as a neighbour would show.
    const out = prepareTrainingFold(train, valid, { scale: true, balance: 'smote', seed: 3 });
    const realRows = train.x.rows;
    for (let c = 0; c < COLUMNS.length; c++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let r = 0; r < realRows; r++) {
        const v = out.train.x.data[r * COLUMNS.length + c]!;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      for (let r = realRows; r < out.train.x.rows; r++) {
        const v = out.train.x.data[r * COLUMNS.length + c]!;
        expect(v).toBeGreaterThanOrEqual(lo - 1e-5);
        expect(v).toBeLessThanOrEqual(hi + 1e-5);
      }
    }
  });

  it('gives the same training rows whatever the validation rows are', () => {
    const a = prepareTrainingFold(train, valid, { scale: true, balance: 'smote', seed: 3 });
    const b = prepareTrainingFold(train, fold(40, 9, -20), { scale: true, balance: 'smote', seed: 3 });
    expect(b.train.x.data).toEqual(a.train.x.data);
    expect(b.train.y).toEqual(a.train.y);
    expect(b.scaler!.toJSON()).toEqual(a.scaler!.toJSON());
  });

  it('passes rows through unscaled when scale is false', () => {
    const out = prepareTrainingFold(train, valid, { scale: false, seed: 1 });
    expect(out.scaler).toBeNull();
    expect(out.train.x.data).toEqual(train.x.data);
    expect(out.valid.x.data).toEqual(valid.x.data);
    expect(out.sampling).toEqual({ method: 'none', seed: null, before: classCounts(train.y), after: classCounts(train.y), dropped: 0, synthetic: 0 });
  });

  it('does not modify its inputs', () => {
    const trainData = Float32Array.from(train.x.data);
    const validData = Float32Array.from(valid.x.data);
    prepareTrainingFold(train, valid, { balance: 'smote', seed: 1 });
    expect(train.x.data).toEqual(trainData);
    expect(valid.x.data).toEqual(validData);
  });

  it('rejects mismatched columns and invalid options, naming them', () => {
    const renamed = { ...valid, x: { ...valid.x, columns: ['f1', 'f3', 'f2'] } };
    expect(() => prepareTrainingFold(train, renamed, { seed: 1 })).toThrow(ColumnMismatchError);
    expect(() => prepareTrainingFold(train, renamed, { seed: 1 })).toThrow(/valid column 1 is 'f3', train has 'f2'/);
    expect(() => prepareTrainingFold(train, valid, { seed: 1, balance: 'adasyn' as 'smote' })).toThrow(InvalidPreprocessingOptionsError);
    expect(() => prepareTrainingFold(train, valid, { seed: 1, balance: 'adasyn' as 'smote' })).toThrow(/'balance'.*"adasyn"/);
  });
});
