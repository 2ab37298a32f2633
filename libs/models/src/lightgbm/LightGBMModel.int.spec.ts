/**
 * LightGBMModel against the real lib_lightgbm.so (infra/install-tools.sh): training in the worker,
 * early stopping, determinism, random forests, class weights, save/load, importance and errors.
 * Data sets are seeded (testing/syntheticClasses.ts), so every figure below is reproducible.
 */
import { readdirSync } from 'node:fs';
import { InvalidInputError } from '@ares/data';
import type { TrainingSet } from '../core/Model';
import { createRandomForest } from './createRandomForest';
import { LightGBMError, ModelStateError, TrainingCancelledError } from './errors';
import { LightGBMModel } from './LightGBMModel';
import type { LightGBMOptions } from './LightGBMOptions';
import { accuracy, multiLogloss, noiseClasses, plantedClasses, recall, selectRows } from './testing/syntheticClasses';

const PLANTED = [2, 7] as const;
const train = plantedClasses({ rows: 4000, informative: PLANTED, seed: 1 });
const valid = plantedClasses({ rows: 1500, informative: PLANTED, seed: 2 });
const test_ = plantedClasses({ rows: 3000, informative: PLANTED, seed: 3 });

/**
 * A fresh model per test, disposed whatever happens. One OpenMP thread unless a test needs more:
 * on a loaded 2-core machine, OpenMP's spinning barriers make 2 threads many times slower.
 */
async function withModel<T>(options: LightGBMOptions, fn: (model: LightGBMModel) => Promise<T>): Promise<T> {
  const model = await LightGBMModel.create({ numThreads: 1, ...options });
  try {
    return await fn(model);
  } finally {
    model.dispose();
  }
}

describe('learning', () => {
  test('learns a class planted in 2 of 10 features: held-out accuracy far above 1/3', async () => {
    await withModel({ numIterations: 200, learningRate: 0.1 }, async (model) => {
      const report = await model.fit(train, valid);
      const acc = accuracy(await model.predictProba(test_.x), test_.y);
      // The score x2 + x7 + 0.25·N(0,1) is thresholded at its tertiles; axis-aligned trees
      // approximate the diagonal boundaries well with 4000 rows.
      expect(acc).toBeGreaterThan(0.8);
      expect(report.metric).toBe('multi_logloss');
      expect(report.validHistory).toHaveLength(report.iterations);
    });
  });

  test('on pure-noise labels, held-out accuracy stays within chance ± 4 standard errors', async () => {
    const noisyTrain = noiseClasses(4000, 10, 11);
    const noisyTest = noiseClasses(3000, 10, 12);
    await withModel({ numIterations: 100, earlyStoppingRounds: 0 }, async (model) => {
      await model.fit(noisyTrain);
      const acc = accuracy(await model.predictProba(noisyTest.x), noisyTest.y);
      // Test labels are uniform on {0,1,2} and independent of the features and of the training
      // set, so each prediction is right with probability exactly 1/3 whatever the model does:
      // hits ~ Binomial(n, 1/3), standard error sqrt((1/3)(2/3)/n) = 0.0086 for n = 3000.
      const se = Math.sqrt((1 / 3) * (2 / 3) / noisyTest.y.length);
      expect(Math.abs(acc - 1 / 3)).toBeLessThan(4 * se);
    });
  });
});

describe('early stopping', () => {
  test('an overfitting setting stops early and keeps the round with the lowest validation logloss', async () => {
    // Pure-noise labels with big, fast trees: the validation logloss rises almost from round 1.
    const noisyTrain = noiseClasses(2000, 10, 21);
    const noisyValid = noiseClasses(1000, 10, 22);
    await withModel({ numIterations: 300, learningRate: 0.3, numLeaves: 63, minDataInLeaf: 2, earlyStoppingRounds: 10 }, async (model) => {
      const report = await model.fit(noisyTrain, noisyValid);
      expect(report.bestIteration).toBeLessThan(report.iterations);
      expect(report.iterations).toBe(report.bestIteration + 10);
      expect(report.iterations).toBeLessThan(300);
      const min = Math.min(...report.validHistory);
      expect(report.validHistory[report.bestIteration - 1]).toBe(min);
      // The kept model is the best round: its logloss on the validation rows, recomputed from
      // predictProba, is the minimum LightGBM reported during training.
      const kept = multiLogloss(await model.predictProba(noisyValid.x), noisyValid.y);
      expect(kept).toBeCloseTo(min, 12);
    });
  });

  test('a tiny learning rate keeps improving: every round is kept', async () => {
    await withModel({ numIterations: 40, learningRate: 0.001, earlyStoppingRounds: 5 }, async (model) => {
      const report = await model.fit(train, valid);
      expect(report.iterations).toBe(40);
      expect(report.bestIteration).toBe(40);
      expect(report.validHistory.every((v, i) => i === 0 || v < report.validHistory[i - 1]!)).toBe(true);
    });
  });
});

describe('determinism and random forests', () => {
  const randomised: LightGBMOptions = { numIterations: 30, baggingFraction: 0.7, baggingFreq: 1, featureFraction: 0.6, seed: 5 };

  test('the same seed gives bit-identical probabilities; another seed does not', async () => {
    // Two threads: deterministic=true must also pin the order of the threads' histogram sums.
    const run = (seed: number) => withModel({ ...randomised, seed, numThreads: 2 }, async (m) => (await m.fit(train), m.predictProba(test_.x)));
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  test("random forest mode learns the planted signal and saves as 'random_forest'", async () => {
    const forest = await createRandomForest({ numIterations: 100, numThreads: 1 });
    try {
      expect(forest.type).toBe('random_forest');
      expect(forest.params).toMatchObject({ boosting: 'rf', bagging_fraction: '0.632', bagging_freq: '1' });
      await forest.fit(train);
      expect(accuracy(await forest.predictProba(test_.x), test_.y)).toBeGreaterThan(0.75);
      const restored = await LightGBMModel.load(forest.save());
      expect(restored.type).toBe('random_forest');
      restored.dispose();
    } finally {
      forest.dispose();
    }
  });

  test('random forest mode rejects bagging_fraction=1 with a message naming both fields', async () => {
    await expect(createRandomForest({ baggingFraction: 1 })).rejects.toThrow(/baggingFraction \(bagging_fraction\) must be < 1 and baggingFreq \(bagging_freq\) >= 1/);
    await expect(createRandomForest({ baggingFreq: 0 })).rejects.toThrow(InvalidInputError);
  });
});

test("class weights 'balanced' raise the recall of a rare class", async () => {
  // Keep 1 in 12 rows of class 2 (≈ 3 % of the set) and make the signal weak (noise 1.2), so that
  // an unweighted model seldom bets on class 2.
  const imbalanced = (set: TrainingSet) => selectRows(set, (r) => set.y[r] !== 2 || r % 12 === 0);
  const trainSet = imbalanced(plantedClasses({ rows: 8000, noise: 1.2, seed: 31 }));
  const testSet = imbalanced(plantedClasses({ rows: 12000, noise: 1.2, seed: 32 }));
  const recallOfRare = (options: LightGBMOptions) =>
    withModel({ numIterations: 80, learningRate: 0.05, ...options }, async (m) => (await m.fit(trainSet), recall(await m.predictProba(testSet.x), testSet.y, 2)));
  const [plain, balanced] = [await recallOfRare({}), await recallOfRare({ classWeight: 'balanced' })];
  expect(balanced).toBeGreaterThan(plain + 0.2);
});

test('save → load → predictProba is bit-identical (state survives JSON)', async () => {
  await withModel({ numIterations: 50, baggingFraction: 0.8, baggingFreq: 1 }, async (model) => {
    await model.fit(train, valid);
    const saved = model.save();
    expect(Object.keys(saved.files)).toEqual(['model.txt']);
    expect(saved.library).toEqual({ name: 'lightgbm', version: '4.6.0' });
    expect(saved.state).toMatchObject({ numClass: 3, columns: train.x.columns, params: { objective: 'multiclass' } });
    const restored = await LightGBMModel.load({ ...saved, state: JSON.parse(JSON.stringify(saved.state)) });
    try {
      const [a, b] = [await model.predictProba(test_.x), await restored.predictProba(test_.x)];
      expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
      expect(restored.save().state).toEqual(saved.state);
    } finally {
      restored.dispose();
    }
  });
});

test('predictProba over several chunks equals predictions on the halves (rows stay aligned)', async () => {
  const big = plantedClasses({ rows: 20000, seed: 41 });
  await withModel({ numIterations: 20 }, async (model) => {
    await model.fit(train);
    const whole = await model.predictProba(big.x);
    const half = (from: number, to: number) => ({ ...big.x, rows: to - from, data: big.x.data.subarray(from * 10, to * 10) });
    const parts = [await model.predictProba(half(0, 9000)), await model.predictProba(half(9000, 20000))];
    expect(whole).toEqual(Float64Array.from([...parts[0]!, ...parts[1]!]));
    for (let r = 0; r < 20000; r += 997) expect(whole[r * 3]! + whole[r * 3 + 1]! + whole[r * 3 + 2]!).toBeCloseTo(1, 12);
  });
});

test('importance: gain and split per column, the two planted features on top', async () => {
  await withModel({ numIterations: 100 }, async (model) => {
    await model.fit(train, valid);
    for (const kind of ['gain', 'split'] as const) {
      const imp = model.featureImportance(kind);
      expect(imp).toHaveLength(10);
      const top2 = [...imp.keys()].sort((a, b) => imp[b]! - imp[a]!).slice(0, 2);
      expect(top2.sort()).toEqual([...PLANTED]);
    }
  });
});

describe('errors and threading', () => {
  test("an invalid LightGBM parameter fails fit with LightGBM's own message and the call name", async () => {
    await withModel({ numIterations: 5, extraParams: { max_bin: 1 } }, async (model) => {
      const err = await model.fit(train).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LightGBMError);
      expect((err as LightGBMError).call).toBe('LGBM_DatasetCreateFromMat');
      expect((err as LightGBMError).message).toMatch(/^LGBM_DatasetCreateFromMat failed: Check failed: \(max_bin\) > \(1\)/);
    });
  });

  test("a corrupt model.txt fails load with LightGBM's message", async () => {
    await withModel({ numIterations: 5 }, async (model) => {
      await model.fit(train);
      const saved = model.save();
      const corrupt = { ...saved, files: { 'model.txt': new TextEncoder().encode('tree\nversion=v4\n') } };
      await expect(LightGBMModel.load(corrupt)).rejects.toThrow(/^LGBM_BoosterLoadModelFromString failed: Model file doesn't specify the number of classes/);
    });
  });

  test('the main thread keeps running during fit; progress arrives per round', async () => {
    const big = plantedClasses({ rows: 20000, cols: 20, seed: 51 });
    const bigValid = plantedClasses({ rows: 5000, cols: 20, seed: 52 });
    await withModel({ numIterations: 100, numLeaves: 63, earlyStoppingRounds: 0 }, async (model) => {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const progress: [number, number | undefined][] = [];
      const started = performance.now();
      const report = await model.fit(big, bigValid, { onProgress: (i, m) => progress.push([i, m]) }).finally(() => clearInterval(timer));
      const elapsed = performance.now() - started;
      // Were the native calls on the main thread, no tick could fire before fit returned.
      expect(elapsed).toBeGreaterThan(300);
      expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
      expect(progress.map(([i]) => i)).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
      expect(progress.map(([, m]) => m)).toEqual(report.validHistory);
    });
  });

  test('main-thread prediction leaves no idle OpenMP threads behind (they would slow later fits)', async () => {
    const threads = () => readdirSync('/proc/self/task').length;
    await withModel({ numIterations: 20, numThreads: 2 }, async (model) => {
      const before = threads();
      await model.fit(train); // the worker has exited when fit resolves; the model text is parsed here by an OpenMP team
      await model.predictProba(plantedClasses({ rows: 20000, seed: 53 }).x);
      expect(threads()).toBeLessThanOrEqual(before);
    });
  });

  test('an aborted fit rejects with TrainingCancelledError and leaves the model unfitted', async () => {
    await withModel({ numIterations: 1000, earlyStoppingRounds: 0 }, async (model) => {
      const abort = new AbortController();
      const fit = model.fit(train, valid, { signal: abort.signal, onProgress: (i) => i === 3 && abort.abort() });
      const err = await fit.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TrainingCancelledError);
      expect((err as TrainingCancelledError).iteration).toBeGreaterThanOrEqual(3);
      await expect(model.predictProba(test_.x)).rejects.toThrow(ModelStateError);
    });
  });

  test('bad input is named; use after dispose is a ModelStateError', async () => {
    const model = await LightGBMModel.create({ numIterations: 5 });
    await expect(model.predictProba(test_.x)).rejects.toThrow(/has not been fitted/);
    await expect(model.fit({ x: train.x, y: train.y.map((c, i) => (i === 17 ? 5 : c)) })).rejects.toThrow(/train.y at row 17 is 5/);
    await model.fit(train);
    await expect(model.predictProba({ ...test_.x, columns: test_.x.columns.map((c, i) => (i === 4 ? 'close' : c)) })).rejects.toThrow(
      /x column 4 is 'close'; the model was trained with 'f4' there/,
    );
    model.dispose();
    model.dispose();
    expect(() => model.featureImportance('gain')).toThrow(ModelStateError);
    await expect(model.fit(train)).rejects.toThrow(/has been disposed/);
  });
});
