import { accuracy, argmaxRows, createModel, ModelStateError, type Matrix, type Model } from '@ares/models';
import type { BaseModelSpec, ModelFactory, OofCheckpoint } from '../stacking/outOfFold';
import { selectRows } from '@ares/models';
import { contiguousKFold, makeData, range, signalLabel } from '../stacking/testing';
import { InsufficientRegimeRowsError } from './errors';
import { MIN_REGIME_ROWS, RegimeEnsemble } from './RegimeEnsemble';

jest.setTimeout(60_000);

const BASE: BaseModelSpec[] = [
  { name: 'lgbm', type: 'lightgbm', options: { numIterations: 40, numThreads: 1 } },
  { name: 'rf', type: 'random_forest', options: { numIterations: 30, numThreads: 1 } },
  { name: 'xgb', type: 'xgboost', options: { nEstimators: 40, nthread: 1 } },
];
const META = { type: 'lightgbm', options: { numIterations: 40, numLeaves: 8, numThreads: 1 } };

/** Wraps createModel, counting created and disposed models. */
function countingFactory(counts: { created: number; disposed: number }): ModelFactory {
  return async (type, options) => {
    const model: Model = await createModel(type, options);
    counts.created++;
    const dispose = model.dispose.bind(model);
    model.dispose = () => {
      counts.disposed++;
      dispose();
    };
    return model;
  };
}

describe('RegimeEnsemble', () => {
  const all = makeData(900, 6, 21, signalLabel);
  const train = selectRows(all, range(0, 600));
  const test = selectRows(all, range(600, 900));
  const folds = contiguousKFold(600, 4);
  const counts = { created: 0, disposed: 0 };
  let ensemble: RegimeEnsemble;

  beforeAll(async () => {
    ensemble = await RegimeEnsemble.train(train, folds, { regime: 'trend_up', baseModels: BASE, meta: META, seed: 7, createModel: countingFactory(counts) });
  });

  it('beats chance by far on held-out rows and is at least as good as the worst base model', async () => {
    const { proba, base } = await ensemble.predictDetailed(test.x);
    expect(proba.length).toBe(300 * 3);
    const ensAcc = accuracy(test.y, argmaxRows(proba));
    const baseAcc = Object.values(base).map((p) => accuracy(test.y, argmaxRows(p)));
    expect(Object.keys(base)).toEqual(['lgbm', 'rf', 'xgb']);
    expect(ensAcc).toBeGreaterThan(0.75);
    expect(ensAcc).toBeGreaterThanOrEqual(Math.min(...baseAcc));
    expect(await ensemble.predictProba(test.x)).toEqual(proba);
    const r = ensemble.report;
    expect(r).toMatchObject({ regime: 'trend_up', rows: 600, oofRows: 600, uncoveredRows: 0, folds: 4 });
    expect(r.classCounts.reduce((a, b) => a + b, 0)).toBe(600);
    for (const name of ['lgbm', 'rf', 'xgb']) expect(r.baseOofAccuracy[name]).toBeGreaterThan(0.6);
    expect(r.metaTrainAccuracy).toBeGreaterThan(0.6);
  });

  it('selects the training columns by name (extra and reordered columns are fine)', async () => {
    const cols = test.x.cols;
    const data = new Float32Array(test.x.rows * (cols + 1));
    for (let r = 0; r < test.x.rows; r++) {
      data[r * (cols + 1)] = 99;
      for (let c = 0; c < cols; c++) data[r * (cols + 1) + 1 + (cols - 1 - c)] = test.x.data[r * cols + c]!;
    }
    const x: Matrix = { rows: test.x.rows, cols: cols + 1, data, columns: ['extra', ...[...test.x.columns].reverse()] };
    expect(await ensemble.predictProba(x)).toEqual(await ensemble.predictProba(test.x));
  });

  it('save → JSON → load predicts bit-identically, and the loaded copy disposes cleanly', async () => {
    const saved = ensemble.save();
    const json = JSON.stringify(saved);
    const m = saved.manifest;
    expect(m.regime).toBe('trend_up');
    expect(m.baseModels.map((b) => [b.name, b.type])).toEqual([['lgbm', 'lightgbm'], ['rf', 'random_forest'], ['xgb', 'xgboost']]);
    expect(m.columns).toEqual(train.x.columns);
    expect(m.scaler).not.toBeNull();
    const loaded = await RegimeEnsemble.load(JSON.parse(json) as unknown);
    try {
      const a = await ensemble.predictDetailed(test.x);
      const b = await loaded.predictDetailed(test.x);
      expect(Buffer.from(b.proba.buffer).equals(Buffer.from(a.proba.buffer))).toBe(true);
      for (const name of Object.keys(a.base)) expect(Buffer.from(b.base[name]!.buffer).equals(Buffer.from(a.base[name]!.buffer))).toBe(true);
      expect(loaded.report).toEqual(ensemble.report);
    } finally {
      loaded.dispose();
    }
    await expect(loaded.predictProba(test.x)).rejects.toThrow(ModelStateError);
  });

  it('rejects a malformed saved ensemble naming the field', async () => {
    const saved = JSON.parse(JSON.stringify(ensemble.save())) as { manifest: { regime: unknown } };
    saved.manifest.regime = 42;
    await expect(RegimeEnsemble.load(saved)).rejects.toThrow(/'manifest.regime'/);
  });

  it('dispose frees every model (fold models during training, final ones on dispose); predict afterwards throws', async () => {
    // 4 folds × 3 base models, 1 meta-learner, 3 final base models.
    expect(counts.created).toBe(4 * 3 + 1 + 3);
    expect(counts.disposed).toBe(4 * 3);
    ensemble.dispose();
    ensemble.dispose();
    expect(counts.disposed).toBe(counts.created);
    await expect(ensemble.predictProba(test.x)).rejects.toThrow(ModelStateError);
    expect(() => ensemble.save()).toThrow(/trend_up.*after dispose/);
  });
});

describe('RegimeEnsemble — too few rows', () => {
  it(`throws InsufficientRegimeRowsError below MIN_REGIME_ROWS (${MIN_REGIME_ROWS}) naming the regime and counts`, async () => {
    const small = makeData(MIN_REGIME_ROWS - 1, 4, 3, signalLabel);
    const run = RegimeEnsemble.train(small, contiguousKFold(small.x.rows, 3), { regime: 'high_vol', baseModels: BASE, meta: META, seed: 1 });
    await expect(run).rejects.toThrow(InsufficientRegimeRowsError);
    await expect(run).rejects.toMatchObject({ regime: 'high_vol', rows: 299, required: 300, stage: 'train', retryable: false });
    await expect(run).rejects.toThrow(/regime 'high_vol' has 299 training rows; .* at least 300/);
  });

  it('throws at the meta stage when the folds cover too few rows', async () => {
    const data = makeData(320, 4, 5, signalLabel);
    const folds = [{ train: range(0, 260), test: range(260, 320) }];
    const counts = { created: 0, disposed: 0 };
    const run = RegimeEnsemble.train(data, folds, { regime: 'range', baseModels: BASE, meta: META, seed: 1, createModel: countingFactory(counts) });
    await expect(run).rejects.toMatchObject({ name: 'InsufficientRegimeRowsError', regime: 'range', rows: 60, required: 100, stage: 'meta' });
    expect(counts.disposed).toBe(counts.created);
  });
});

describe('RegimeEnsemble — checkpoint and progress', () => {
  const data = selectRows(makeData(600, 5, 31, signalLabel), range(0, 600));
  const folds = contiguousKFold(600, 3);

  it('passes the checkpoint to the out-of-fold stage: a resumed run refits only the meta-learner and final models, bit-identically', async () => {
    const entries = new Map<string, Float64Array>();
    const checkpoint: OofCheckpoint = {
      load: async (model, fold) => entries.get(`${model}/${fold}`)?.slice(),
      save: async (model, fold, proba) => void entries.set(`${model}/${fold}`, proba.slice()),
    };
    const first = { created: 0, disposed: 0 };
    const a = await RegimeEnsemble.train(data, folds, { regime: 'r', baseModels: BASE, meta: META, seed: 3, checkpoint, createModel: countingFactory(first) });
    expect(first.created).toBe(BASE.length * folds.length + 1 + BASE.length);
    expect(entries.size).toBe(BASE.length * folds.length);

    const second = { created: 0, disposed: 0 };
    const b = await RegimeEnsemble.train(data, folds, { regime: 'r', baseModels: BASE, meta: META, seed: 3, checkpoint, createModel: countingFactory(second) });
    try {
      expect(second.created).toBe(1 + BASE.length);
      expect(b.report).toEqual(a.report);
      const pa = await a.predictProba(data.x);
      const pb = await b.predictProba(data.x);
      expect(Buffer.from(pb.buffer, pb.byteOffset, pb.byteLength).equals(Buffer.from(pa.buffer, pa.byteOffset, pa.byteLength))).toBe(true);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('reports progress over out-of-fold steps + meta-learner + final base models, increasing to done === total', async () => {
    const calls: [number, number][] = [];
    const ens = await RegimeEnsemble.train(data, folds, { regime: 'r', baseModels: BASE, meta: META, seed: 3, onProgress: (done, total) => calls.push([done, total]) });
    ens.dispose();
    const total = BASE.length * folds.length + 1 + BASE.length;
    expect(calls).toEqual(Array.from({ length: total }, (_, i) => [i + 1, total]));
  });
});
