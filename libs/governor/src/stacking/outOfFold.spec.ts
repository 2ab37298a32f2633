import { accuracy, argmaxRows, type FitReport, type Matrix, type Model, type TrainingSet } from '@ares/models';
import { StackingInputError } from './errors';
import { selectRows } from '@ares/models';
import { outOfFoldProbabilities, type BaseModelSpec, type ModelFactory } from './outOfFold';
import { contiguousKFold, makeData, range, signalLabel } from './testing';

/** A fake model whose single feature 'id' is the row index: records which rows it trained on and which it predicted. */
interface Log { trained: Set<number>; predicted: number[]; disposed: number; trainStats: { mean: number; std: number }[] }
function instrumentedFactory(log: Log[]): ModelFactory {
  return async () => {
    const entry: Log = { trained: new Set(), predicted: [], disposed: 0, trainStats: [] };
    log.push(entry);
    const model: Model = {
      type: 'fake',
      async fit(train: TrainingSet): Promise<FitReport> {
        for (let r = 0; r < train.x.rows; r++) entry.trained.add(train.x.data[r * train.x.cols]!);
        return { bestIteration: 0, iterations: 1, validHistory: [], metric: 'none' };
      },
      async predictProba(x: Matrix): Promise<Float64Array> {
        const out = new Float64Array(x.rows * 3);
        for (let r = 0; r < x.rows; r++) {
          const id = x.data[r * x.cols]!;
          entry.predicted.push(id);
          // p_down = 1 if this model trained on the row: any leak shows up as a nonzero first column.
          out.set(entry.trained.has(id) ? [1, 0, 0] : [0, 0.5, 0.5], r * 3);
        }
        return out;
      },
      featureImportance: () => new Float64Array(1),
      save: () => { throw new Error('not used'); },
      dispose: () => { entry.disposed++; },
    };
    return model;
  };
}
function idData(n: number): TrainingSet {
  return { x: { rows: n, cols: 1, data: Float32Array.from({ length: n }, (_, i) => i), columns: ['id'] }, y: Int32Array.from({ length: n }, (_, i) => i % 3) };
}

describe('outOfFoldProbabilities — fold hygiene', () => {
  it('predicts every row with a model whose training rows exclude it, and disposes every model', async () => {
    const n = 100;
    const folds = contiguousKFold(n, 5);
    const log: Log[] = [];
    const specs: BaseModelSpec[] = [{ name: 'a', type: 'fake', options: {} }, { name: 'b', type: 'fake', options: {} }];
    const oof = await outOfFoldProbabilities(idData(n), folds, specs, { seed: 1, scale: false, createModel: instrumentedFactory(log) });
    expect(log).toHaveLength(folds.length * specs.length);
    for (const [j, entry] of log.entries()) {
      const fold = folds[Math.floor(j / specs.length)]!;
      expect([...entry.trained].sort((p, q) => p - q)).toEqual([...fold.train]);
      expect(entry.predicted).toEqual([...fold.test]);
      for (const id of entry.predicted) expect(entry.trained.has(id)).toBe(false);
      expect(entry.disposed).toBe(1);
    }
    for (const p of oof.probabilities) for (let i = 0; i < n; i++) expect([p[i * 3], p[i * 3 + 1], p[i * 3 + 2]]).toEqual([0, 0.5, 0.5]);
    expect(oof.uncovered).toHaveLength(0);
    expect([...oof.coverage].every((c) => c === 1)).toBe(true);
    expect(oof.foldOfRow[0]).toBe(0);
    expect(oof.foldOfRow[99]).toBe(4);
  });

  it('leaves rows in no test fold NaN and reports them', async () => {
    // Walk-forward-like folds: rows 0..39 are only ever trained on, never tested.
    const folds = [{ train: range(0, 40), test: range(40, 70) }, { train: range(0, 70), test: range(70, 100) }];
    const oof = await outOfFoldProbabilities(idData(100), folds, [{ name: 'a', type: 'fake', options: {} }], { seed: 1, scale: false, createModel: instrumentedFactory([]) });
    expect([...oof.uncovered]).toEqual([...range(0, 40)]);
    expect(oof.coverage.reduce((s, c) => s + c, 0)).toBe(60);
    const p = oof.probabilities[0]!;
    for (let i = 0; i < 40; i++) expect(Number.isNaN(p[i * 3])).toBe(true);
    for (let i = 40; i < 100; i++) expect(p[i * 3]).toBe(0);
    expect(oof.foldOfRow[10]).toBe(-1);
    expect(oof.foldOfRow[50]).toBe(0);
  });

  it("fits the scaler on each fold's training rows only", async () => {
    const n = 100;
    const folds = contiguousKFold(n, 4);
    const seen: { train: Float32Array; test: Float32Array }[] = [];
    const factory: ModelFactory = async () => {
      let train = new Float32Array(0);
      return {
        type: 'fake',
        fit: async (t: TrainingSet) => { train = t.x.data.slice(); return { bestIteration: 0, iterations: 1, validHistory: [], metric: 'none' }; },
        predictProba: async (x: Matrix) => { seen.push({ train, test: x.data.slice() }); return new Float64Array(x.rows * 3).fill(1 / 3); },
        featureImportance: () => new Float64Array(1),
        save: () => { throw new Error('not used'); },
        dispose: () => undefined,
      };
    };
    await outOfFoldProbabilities(idData(n), folds, [{ name: 'a', type: 'fake', options: {} }], { seed: 1, createModel: factory });
    seen.forEach(({ train, test }, f) => {
      const ids = [...folds[f]!.train];
      const mean = ids.reduce((s, v) => s + v, 0) / ids.length;
      const std = Math.sqrt(ids.reduce((s, v) => s + (v - mean) ** 2, 0) / ids.length);
      const trainMean = train.reduce((s, v) => s + v, 0) / train.length;
      expect(Math.abs(trainMean)).toBeLessThan(1e-5);
      [...folds[f]!.test].forEach((id, r) => expect(test[r]).toBeCloseTo((id - mean) / std, 4));
    });
  });

  it('rejects overlapping test folds, train/test overlap, out-of-range indices and duplicate names', async () => {
    const d = idData(10);
    const spec = [{ name: 'a', type: 'fake', options: {} }];
    const opts = { seed: 1, createModel: instrumentedFactory([]) };
    await expect(outOfFoldProbabilities(d, [{ train: range(0, 5), test: range(5, 10) }, { train: range(0, 4), test: range(4, 6) }], spec, opts)).rejects.toThrow(StackingInputError);
    await expect(outOfFoldProbabilities(d, [{ train: range(0, 6), test: range(5, 10) }], spec, opts)).rejects.toThrow(/both train and test/);
    await expect(outOfFoldProbabilities(d, [{ train: range(0, 5), test: range(5, 11) }], spec, opts)).rejects.toThrow(/outside/);
    await expect(outOfFoldProbabilities(d, [{ train: range(0, 5), test: range(5, 10) }], [...spec, ...spec], opts)).rejects.toThrow(/used twice/);
  });
});

describe('outOfFoldProbabilities — real models on a planted signal', () => {
  it('gives out-of-fold accuracy far above chance for lightgbm, xgboost and random_forest', async () => {
    const data = makeData(1200, 5, 11, signalLabel);
    const specs: BaseModelSpec[] = [
      { name: 'lgbm', type: 'lightgbm', options: { numIterations: 60, numThreads: 1, seed: 1 } },
      { name: 'xgb', type: 'xgboost', options: { nEstimators: 60, nthread: 1, seed: 1 } },
      { name: 'rf', type: 'random_forest', options: { numIterations: 40, numThreads: 1, seed: 1 } },
    ];
    const oof = await outOfFoldProbabilities(data, contiguousKFold(1200, 5), specs, { seed: 1 });
    expect(oof.uncovered).toHaveLength(0);
    for (const p of oof.probabilities) {
      // Labels are f0's tercile with 10% noise: the Bayes accuracy is ~0.93; chance is 1/3.
      expect(accuracy(data.y, argmaxRows(p))).toBeGreaterThan(0.8);
      for (let i = 0; i < 1200; i++) expect(p[i * 3]! + p[i * 3 + 1]! + p[i * 3 + 2]!).toBeCloseTo(1, 5);
    }
  }, 120_000);

  it('selectRows keeps labels and weights with their rows', () => {
    const d = { ...idData(5), weight: Float32Array.from([1, 2, 3, 4, 5]) };
    const s = selectRows(d, Int32Array.from([4, 1]));
    expect([...s.x.data]).toEqual([4, 1]);
    expect([...s.y]).toEqual([1, 1]);
    expect([...s.weight!]).toEqual([5, 2]);
  });
});
