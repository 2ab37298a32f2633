/**
 * XGBoostModel against the real libxgboost (infra/install-tools.sh). Training runs with nthread 1
 * unless a test says otherwise: fast and reproducible on a busy two-core CI box, where OpenMP
 * threads that spin-wait for each other slow XGBoost down by an order of magnitude.
 */
import { InvalidInputError } from '@ares/data';
import { rejection, thrown } from '@ares/data/testing';
import { argmaxRows, type TrainingSet } from '../core/Model';
import { ModelStateError, TrainingCancelledError, XGBoostError } from './errors';
import { accuracy, CONSTANT_COLUMN, imbalanced, mlogloss, noiseLabels, plantedSignal, recall, SIGNAL_COLUMNS } from './syntheticData';
import { XGBoostModel } from './XGBoostModel';
import type { XGBoostOptions } from './XGBoostOptions';

/** Creates a model, runs `fn`, disposes the model whatever happens. */
async function withModel<T>(options: XGBoostOptions, fn: (model: XGBoostModel) => Promise<T>): Promise<T> {
  const model = await XGBoostModel.create({ nthread: 1, ...options });
  try {
    return await fn(model);
  } finally {
    model.dispose();
  }
}

function bytesOf(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function topTwo(importance: Float64Array): number[] {
  return Array.from(importance.keys())
    .sort((a, b) => importance[b]! - importance[a]!)
    .slice(0, 2)
    .sort((a, b) => a - b);
}

describe('on a planted signal (class depends on columns 3 and 7 of 10, 10 % label noise; depth-3 trees)', () => {
  const train = plantedSignal({ rows: 4000, seed: 1 });
  const valid = plantedSignal({ rows: 1000, seed: 2 });
  const heldOut = plantedSignal({ rows: 2000, seed: 3 });
  let model: XGBoostModel;
  let report: Awaited<ReturnType<XGBoostModel['fit']>>;

  beforeAll(async () => {
    model = await XGBoostModel.create({ nEstimators: 200, learningRate: 0.1, maxDepth: 3, earlyStoppingRounds: 20, nthread: 1, seed: 1 });
    report = await model.fit(train, valid);
  });
  afterAll(() => model.dispose());

  test('held-out accuracy is above 0.8 (the Bayes rate is 0.93)', async () => {
    const acc = accuracy(argmaxRows(await model.predictProba(heldOut.x)), heldOut.y);
    expect(acc).toBeGreaterThan(0.8);
  });

  test('probabilities are rows × 3 and sum to 1', async () => {
    const proba = await model.predictProba(heldOut.x);
    expect(proba.length).toBe(heldOut.x.rows * 3);
    let worst = 0;
    for (let r = 0; r < heldOut.x.rows; r++) worst = Math.max(worst, Math.abs(proba[3 * r]! + proba[3 * r + 1]! + proba[3 * r + 2]! - 1));
    expect(worst).toBeLessThan(1e-6);
  });

  test('the report: mlogloss per round, the best round has the lowest', () => {
    expect(report.metric).toBe('mlogloss');
    expect(report.validHistory).toHaveLength(report.iterations);
    expect(report.validHistory[report.bestIteration]).toBe(Math.min(...report.validHistory));
  });

  test.each(['gain', 'split'] as const)('%s importance: one value per column, the planted columns on top, 0 for the constant column', (kind) => {
    const importance = model.featureImportance(kind);
    expect(importance).toHaveLength(train.x.cols);
    expect(topTwo(importance)).toEqual([...SIGNAL_COLUMNS]);
    expect(importance[CONSTANT_COLUMN]).toBe(0);
  });

  test('save → load → predictProba is bit-identical', async () => {
    const saved = model.save();
    expect(saved.type).toBe('xgboost');
    expect(saved.library).toEqual({ name: 'xgboost', version: '3.2.0' });
    expect(Object.keys(saved.files)).toEqual(['model.json']);
    expect(JSON.parse(Buffer.from(saved.files['model.json']!).toString('utf8')).learner.learner_model_param.num_class).toBe('3');
    // The state survives JSON (the bundle layer writes it as a manifest).
    const reloaded = await XGBoostModel.load({ ...saved, state: JSON.parse(JSON.stringify(saved.state)) });
    try {
      expect(reloaded.bestIteration).toBe(report.bestIteration);
      expect(saved.state).toMatchObject({ bestIteration: report.bestIteration, numClass: 3, columns: train.x.columns });
      expect(bytesOf(await reloaded.predictProba(heldOut.x)).equals(bytesOf(await model.predictProba(heldOut.x)))).toBe(true);
      expect(Array.from(reloaded.featureImportance('gain'))).toEqual(Array.from(model.featureImportance('gain')));
    } finally {
      reloaded.dispose();
    }
  });

  test('prediction rows with other columns are rejected by name', async () => {
    const x = { ...heldOut.x, columns: [...heldOut.x.columns].reverse() };
    const err = await rejection(model.predictProba(x));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toBe("prediction rows: column 0 is 'feature_9'; the model was trained with 'feature_0' there");
  });
});

test('on noise labels, held-out accuracy stays at chance: |accuracy − 1/3| < 0.05 on 3000 rows (σ ≈ 0.009)', async () => {
  const train = noiseLabels({ rows: 3000, seed: 21 });
  const valid = noiseLabels({ rows: 1000, seed: 22 });
  const heldOut = noiseLabels({ rows: 3000, seed: 23 });
  await withModel({ nEstimators: 300, learningRate: 0.1, earlyStoppingRounds: 20, seed: 3 }, async (model) => {
    const report = await model.fit(train, valid);
    const acc = accuracy(argmaxRows(await model.predictProba(heldOut.x)), heldOut.y);
    expect(Math.abs(acc - 1 / 3)).toBeLessThan(0.05);
    // Nothing to learn: the best validation loss is no better than predicting 1/3 each (ln 3) by more than noise.
    expect(Math.min(...report.validHistory)).toBeGreaterThan(Math.log(3) - 0.01);
  });
});

test('early stopping keeps the best round when deep trees overfit noisy labels', async () => {
  const train = plantedSignal({ rows: 1500, seed: 11, labelNoise: 0.4 });
  const valid = plantedSignal({ rows: 1500, seed: 12, labelNoise: 0.4 });
  await withModel({ nEstimators: 200, learningRate: 0.3, maxDepth: 8, earlyStoppingRounds: 10, seed: 3 }, async (model) => {
    const report = await model.fit(train, valid);
    expect(report.iterations).toBeLessThan(200);
    expect(report.bestIteration).toBeLessThan(report.iterations - 1);
    expect(report.iterations).toBe(report.bestIteration + 10 + 1);
    const best = report.validHistory[report.bestIteration]!;
    expect(best).toBe(Math.min(...report.validHistory));
    expect(model.bestIteration).toBe(report.bestIteration);
    // Predictions use rounds [0, best + 1): recomputing mlogloss from them gives the best round's
    // value (float32 probabilities: agreement to 1e-6), not the last round's (which is higher).
    const loss = mlogloss(await model.predictProba(valid.x), valid.y);
    expect(Math.abs(loss - best)).toBeLessThan(1e-6);
    expect(report.validHistory.at(-1)! - best).toBeGreaterThan(1e-3);
  });
});

test('without a validation set every round is kept', async () => {
  const train = plantedSignal({ rows: 500, seed: 5 });
  await withModel({ nEstimators: 7 }, async (model) => {
    expect(await model.fit(train)).toEqual({ bestIteration: 6, iterations: 7, validHistory: [], metric: 'mlogloss' });
  });
});

test('the same seed reproduces the model bit for bit (row and column subsampling, 2 threads); another seed does not', async () => {
  const train = plantedSignal({ rows: 2000, seed: 41 });
  const valid = plantedSignal({ rows: 500, seed: 42 });
  const options: XGBoostOptions = { nEstimators: 15, subsample: 0.7, colsampleBytree: 0.6, nthread: 2 };
  const run = (seed: number) =>
    withModel({ ...options, seed }, async (model) => {
      const report = await model.fit(train, valid);
      return { report, proba: await model.predictProba(valid.x), json: Buffer.from(model.save().files['model.json']!) };
    });
  const a = await run(7);
  const b = await run(7);
  const c = await run(8);
  expect(b.report).toEqual(a.report);
  expect(b.json.equals(a.json)).toBe(true);
  expect(bytesOf(b.proba).equals(bytesOf(a.proba))).toBe(true);
  expect(bytesOf(c.proba).equals(bytesOf(a.proba))).toBe(false);
});

test("class weights 'balanced' raise the recall of a minority class (8 % of rows)", async () => {
  const train = imbalanced({ rows: 4000, seed: 31, minority: 0.08 });
  const heldOut = imbalanced({ rows: 4000, seed: 33, minority: 0.08 });
  const minorityRecall = (classWeight: XGBoostOptions['classWeight']) =>
    withModel({ nEstimators: 100, learningRate: 0.1, maxDepth: 4, seed: 3, classWeight }, async (model) => {
      await model.fit(train);
      return recall(argmaxRows(await model.predictProba(heldOut.x)), heldOut.y, 0);
    });
  const plain = await minorityRecall(undefined);
  const balanced = await minorityRecall('balanced');
  // Seen: 0.42 unweighted, 0.65 balanced.
  expect(balanced).toBeGreaterThan(plain + 0.1);
});

test("an invalid XGBoost parameter surfaces XGBoost's own message and the call", async () => {
  const train = plantedSignal({ rows: 200, seed: 5 });
  await withModel({ nEstimators: 3, extraParams: { max_bin: 1 } }, async (model) => {
    const err = await rejection(model.fit(train));
    expect(err).toBeInstanceOf(XGBoostError);
    expect((err as XGBoostError).call).toBe('XGBoosterUpdateOneIter');
    expect(err.message).toMatch(/^XGBoosterUpdateOneIter failed: value 1 for Parameter max_bin should be greater equal to 2/);
    expect(err.message).not.toMatch(/Stack trace/);
  });
});

test('the main thread keeps ticking while fit runs, and progress arrives every round', async () => {
  const train = plantedSignal({ rows: 4000, seed: 51 });
  await withModel({ nEstimators: 150, learningRate: 0.1 }, async (model) => {
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 10);
    const rounds: number[] = [];
    const started = performance.now();
    try {
      await model.fit(train, undefined, { onProgress: (p) => rounds.push(p.iteration) });
    } finally {
      clearInterval(timer);
    }
    const ended = performance.now();
    const elapsed = ended - started;
    const stamps = [started, ...ticks, ended];
    const maxGap = Math.max(...stamps.slice(1).map((t, i) => t - stamps[i]!));
    expect(rounds).toEqual(Array.from({ length: 150 }, (_, i) => i));
    // Training on this thread would mean no tick at all until fit returns.
    expect(ticks.length).toBeGreaterThanOrEqual(10);
    expect(maxGap).toBeLessThan(elapsed / 2);
  });
});

test('aborting the signal cancels training between rounds', async () => {
  const train = plantedSignal({ rows: 2000, seed: 61 });
  await withModel({ nEstimators: 10_000 }, async (model) => {
    const abort = new AbortController();
    let seen = 0;
    const err = await rejection(
      model.fit(train, undefined, {
        signal: abort.signal,
        onProgress: () => {
          if (++seen === 3) abort.abort(new Error('activity cancelled'));
        },
      }),
    );
    expect(err).toBeInstanceOf(TrainingCancelledError);
    expect(err.message).toMatch(/cancelled after \d+ of 10000 rounds/);
    expect((err.cause as Error).message).toBe('activity cancelled');
    expect(seen).toBeLessThan(100);
    // The model was never trained.
    expect(thrown(() => model.save())).toBeInstanceOf(ModelStateError);
  });
});

test('dispose() during fit cancels it; a disposed model refuses every call', async () => {
  const model = await XGBoostModel.create({ nEstimators: 10_000, nthread: 1 });
  const train: TrainingSet = plantedSignal({ rows: 1000, seed: 71 });
  const fitting = model.fit(train, undefined, { onProgress: () => model.dispose() });
  expect(await rejection(fitting)).toBeInstanceOf(TrainingCancelledError);
  expect((await rejection(model.predictProba(train.x))).message).toBe('XGBoostModel.predictProba() called after dispose()');
  expect(() => model.dispose()).not.toThrow();
});

test('predict before fit is a ModelStateError', async () => {
  await withModel({}, async (model) => {
    const err = await rejection(model.predictProba(plantedSignal({ rows: 2, seed: 1 }).x));
    expect(err).toBeInstanceOf(ModelStateError);
    expect(err.message).toBe('XGBoostModel.predictProba() called before fit() or load()');
  });
});

test('load rejects another model type and an inconsistent state by name', async () => {
  const files = { 'model.json': new Uint8Array() };
  const library = { name: 'xgboost', version: '3.2.0' };
  expect((await rejection(XGBoostModel.load({ type: 'lightgbm', library, files, state: {} }))).message).toBe(
    "saved model type is 'lightgbm'; XGBoostModel.load needs 'xgboost'",
  );
  expect((await rejection(XGBoostModel.load({ type: 'xgboost', library, files, state: { params: {}, numClass: 3, columns: ['a'] } }))).message).toMatch(
    /^saved XGBoost model: state\.bestIteration: /,
  );
});
