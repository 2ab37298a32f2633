import { accuracy, argmaxRows, createModel, type FitReport, type Matrix, type Model, type TrainingSet } from '@ares/models';
import { StackingInputError } from './errors';
import { selectRows } from '@ares/models';
import { outOfFoldProbabilities, type BaseModelSpec, type ModelFactory, type OofCheckpoint } from './outOfFold';
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

describe('outOfFoldProbabilities — early stopping stays inside the training fold', () => {
  it('boosted models early-stop on the latest rows of fold.train (purged by t1), never on fold.test; the forest type too; other types fit every row', async () => {
    // 400 training rows a fold: 80 held out, above earlyStoppingHoldout's 50-row minimum.
    const n = 600;
    const folds = contiguousKFold(n, 3);
    const seen: { type: string; trained: number[]; valid: number[] }[] = [];
    const factory: ModelFactory = async (type) => ({
      type,
      async fit(train: TrainingSet, valid?: TrainingSet): Promise<FitReport> {
        const ids = (set?: TrainingSet) => (set === undefined ? [] : Array.from({ length: set.x.rows }, (_, r) => set.x.data[r * set.x.cols]!));
        seen.push({ type, trained: ids(train), valid: ids(valid) });
        return { bestIteration: 0, iterations: 1, validHistory: [], metric: 'none' };
      },
      predictProba: async (x: Matrix) => new Float64Array(x.rows * 3).fill(1 / 3),
      featureImportance: () => new Float64Array(1),
      save: () => { throw new Error('not used'); },
      dispose: () => undefined,
    });
    // Hourly bars whose labels resolve 3 bars later.
    const times = Float64Array.from({ length: n }, (_, i) => i * 3_600_000);
    const t1 = times.map((t) => t + 3 * 3_600_000);
    const specs: BaseModelSpec[] = ['lightgbm', 'xgboost', 'random_forest', 'lstm'].map((type) => ({ name: type, type, options: {} }));
    await outOfFoldProbabilities(idData(n), folds, specs, { seed: 1, scale: false, createModel: factory, labelTimes: { times, t1, validShare: 0.2 } });
    expect(seen).toHaveLength(folds.length * specs.length);
    for (const [j, fit] of seen.entries()) {
      const fold = folds[Math.floor(j / specs.length)]!;
      const train = new Set(fold.train);
      // Nothing the fit saw (to train or to stop on) is outside the fold's training rows.
      for (const id of [...fit.trained, ...fit.valid]) expect(train.has(id)).toBe(true);
      if (fit.type === 'lstm') {
        expect(fit.valid).toEqual([]);
        expect(fit.trained).toEqual([...fold.train]);
        continue;
      }
      // The held-out rows are the latest 20 % of fold.train; fit rows end before them, labels included.
      const latest = [...fold.train].slice(-Math.ceil(fold.train.length * 0.2));
      expect(fit.valid).toEqual(latest);
      for (const id of fit.trained) expect(t1[id]!).toBeLessThan(times[latest[0]!]!);
    }
  });
});

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

/** An in-memory checkpoint that records its loads and saves (saved arrays are copied, as a store would). */
function memoryCheckpoint(entries = new Map<string, Float64Array>()): OofCheckpoint & { entries: Map<string, Float64Array>; saves: string[] } {
  const saves: string[] = [];
  return {
    entries,
    saves,
    load: async (model, fold) => entries.get(`${model}/${fold}`)?.slice(),
    save: async (model, fold, proba) => {
      saves.push(`${model}/${fold}`);
      entries.set(`${model}/${fold}`, proba.slice());
    },
  };
}

/** Wraps the real createModel, counting fits. */
function countingFactory(counter: { fits: number }): ModelFactory {
  return async (type, options) => {
    const model = await createModel(type, options);
    const fit = model.fit.bind(model);
    model.fit = (...args) => {
      counter.fits++;
      return fit(...args);
    };
    return model;
  };
}

const bytes = (p: Float64Array): Buffer => Buffer.from(p.buffer, p.byteOffset, p.byteLength);

describe('outOfFoldProbabilities — checkpoint and progress', () => {
  it('resumes an aborted run from the checkpoint: bit-identical probabilities with fewer fits', async () => {
    const data = makeData(400, 4, 5, signalLabel);
    const folds = contiguousKFold(400, 4);
    const specs: BaseModelSpec[] = [
      { name: 'lgbm', type: 'lightgbm', options: { numIterations: 20, numThreads: 1, seed: 1 } },
      { name: 'xgb', type: 'xgboost', options: { nEstimators: 20, nthread: 1, seed: 1 } },
    ];
    const total = specs.length * folds.length;

    const fresh = { fits: 0 };
    const reference = await outOfFoldProbabilities(data, folds, specs, { seed: 3, createModel: countingFactory(fresh) });
    expect(fresh.fits).toBe(total);

    // Abort after 3 of 8 (model, fold) steps.
    const checkpoint = memoryCheckpoint();
    const controller = new AbortController();
    const aborted = { fits: 0 };
    await expect(outOfFoldProbabilities(data, folds, specs, {
      seed: 3, createModel: countingFactory(aborted), checkpoint, signal: controller.signal,
      onProgress: (done) => { if (done === 3) controller.abort(); },
    })).rejects.toThrow(/abort/i);
    expect(aborted.fits).toBe(3);
    expect(checkpoint.saves).toEqual(['lgbm/0', 'xgb/0', 'lgbm/1']);

    const resumed = { fits: 0 };
    const progress: number[] = [];
    const again = await outOfFoldProbabilities(data, folds, specs, { seed: 3, createModel: countingFactory(resumed), checkpoint, onProgress: (done, t) => { expect(t).toBe(total); progress.push(done); } });
    expect(resumed.fits).toBe(total - 3);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(checkpoint.entries.size).toBe(total);
    again.probabilities.forEach((p, m) => {
      expect(bytes(p).equals(bytes(reference.probabilities[m]!))).toBe(true);
      expect(p).toEqual(reference.probabilities[m]);
    });
    expect(again.names).toEqual(reference.names);
  }, 120_000);

  it('uses checkpointed probabilities exactly and fits only the (model, fold) steps it lacks', async () => {
    const n = 60;
    const folds = contiguousKFold(n, 3);
    const specs: BaseModelSpec[] = [{ name: 'a', type: 'fake', options: {} }, { name: 'b', type: 'fake', options: {} }];
    // Fold 1 fully checkpointed with values no fake model produces; fold 2 only for model 'b'.
    const marker = (seed: number, rows: number) => Float64Array.from({ length: rows * 3 }, (_, i) => seed + i / 1000);
    const checkpoint = memoryCheckpoint(new Map([
      ['a/1', marker(10, 20)], ['b/1', marker(20, 20)], ['b/2', marker(30, 20)],
    ]));
    const log: Log[] = [];
    const oof = await outOfFoldProbabilities(idData(n), folds, specs, { seed: 1, scale: false, createModel: instrumentedFactory(log), checkpoint });
    // Fits: fold 0 both models, fold 2 model 'a' only.
    expect(log).toHaveLength(3);
    expect(log.map((e) => [...e.predicted][0])).toEqual([0, 0, 40]);
    expect(checkpoint.saves).toEqual(['a/0', 'b/0', 'a/2']);
    const [pa, pb] = oof.probabilities as [Float64Array, Float64Array];
    expect(pa.subarray(20 * 3, 40 * 3)).toEqual(marker(10, 20));
    expect(pb.subarray(20 * 3, 40 * 3)).toEqual(marker(20, 20));
    expect(pb.subarray(40 * 3, 60 * 3)).toEqual(marker(30, 20));
    expect([...pa.subarray(40 * 3, 41 * 3)]).toEqual([0, 0.5, 0.5]);
  });

  it('rejects a checkpoint of the wrong length (or type), naming model and fold', async () => {
    const folds = contiguousKFold(30, 3);
    const specs: BaseModelSpec[] = [{ name: 'a', type: 'fake', options: {} }, { name: 'b', type: 'fake', options: {} }];
    const short = memoryCheckpoint(new Map([['b/1', new Float64Array(29)]]));
    await expect(outOfFoldProbabilities(idData(30), folds, specs, { seed: 1, scale: false, createModel: instrumentedFactory([]), checkpoint: short }))
      .rejects.toThrow("outOfFoldProbabilities: checkpoint of model 'b' fold 1 holds 29 values; expected 10 test rows × 3 = 30 values");
    const wrongType: OofCheckpoint = { load: async (m, f) => (m === 'a' && f === 2 ? (Array.from({ length: 30 }, () => 0) as unknown as Float64Array) : undefined), save: async () => undefined };
    await expect(outOfFoldProbabilities(idData(30), folds, specs, { seed: 1, scale: false, createModel: instrumentedFactory([]), checkpoint: wrongType }))
      .rejects.toThrow(/model 'a' fold 2 holds a value of type Array, not a Float64Array/);
  });

  it('reports progress once per (model, non-empty fold) step, increasing to done === total', async () => {
    const folds = [...contiguousKFold(40, 4), { train: range(0, 40), test: new Int32Array(0) }];
    const calls: [number, number][] = [];
    await outOfFoldProbabilities(idData(40), folds, [{ name: 'a', type: 'fake', options: {} }, { name: 'b', type: 'fake', options: {} }, { name: 'c', type: 'fake', options: {} }], {
      seed: 1, scale: false, createModel: instrumentedFactory([]), onProgress: (done, total) => calls.push([done, total]),
    });
    expect(calls).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, 12]));
  });
});
