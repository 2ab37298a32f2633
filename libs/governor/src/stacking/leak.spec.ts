/**
 * THE leak test. Labels are pure noise, so nothing can beat chance out of sample. The base model
 * is a LightGBM able to memorise (128 leaves, 1 row per leaf, 300 rounds):
 *
 * - in-sample predictions (fit on all rows, predict the same rows) are near-perfect (> 0.9): a
 *   stack built on them looks like the labels, and a meta-learner trained on it learns to trust
 *   the base model (training accuracy > 0.9) — then collapses to chance on a later held-out block.
 * - out-of-fold predictions are at chance: |acc − 1/3| < 0.05 over 2400 rows (the chance standard
 *   error is sqrt(2/9 / 2400) ≈ 0.0096, so 0.05 is > 5σ), and a meta-learner trained on them sees
 *   no base-model signal in training (its training accuracy, < 0.55, is only what a 4-leaf booster
 *   can fit from noise features, far from the in-sample meta's > 0.9) and stays at chance on the held-out block
 *   (|acc − 1/3| < 0.07 over 600 rows, σ ≈ 0.019).
 *
 * If outOfFoldProbabilities ever returned in-sample predictions, the OOF accuracy would be > 0.9
 * and the first assertion on it fails.
 */
import { accuracy, argmaxRows, createModel, type Matrix, type TrainingSet } from '@ares/models';
import { stackFeatures } from './metaFeatures';
import { selectRows } from '@ares/models';
import { outOfFoldProbabilities, type BaseModelSpec } from './outOfFold';
import { contiguousKFold, makeData, noiseLabel, range } from './testing';

const N = 3000;
const DEV = 2400; // rows 0..2399: development (base models + meta-learner); 2400..2999: later held-out block
const CHANCE = 1 / 3;

const BASE: BaseModelSpec[] = [
  { name: 'memo_a', type: 'lightgbm', options: { numIterations: 300, numLeaves: 128, minDataInLeaf: 1, learningRate: 0.3, numThreads: 1, seed: 1 } },
  { name: 'memo_b', type: 'lightgbm', options: { numIterations: 300, numLeaves: 128, minDataInLeaf: 1, learningRate: 0.3, featureFraction: 0.8, numThreads: 1, seed: 2 } },
];
// A low-capacity meta-learner: it can only use the stack features, not memorise rows.
const META = { numIterations: 50, numLeaves: 4, minDataInLeaf: 50, learningRate: 0.1, numThreads: 1, seed: 1 };

async function fitPredict(type: string, options: Record<string, unknown>, train: TrainingSet, x: Matrix): Promise<Float64Array> {
  const model = await createModel(type, options);
  try {
    await model.fit(train);
    return await model.predictProba(x);
  } finally {
    model.dispose();
  }
}

const acc = (y: Int32Array, p: Float64Array): number => accuracy(y, argmaxRows(p));

describe('stacking on out-of-fold predictions (pure-noise labels)', () => {
  it('in-sample predictions memorise the noise; out-of-fold ones stay at chance, and so does the meta-learner trained on them', async () => {
    const data = makeData(N, 8, 2024, noiseLabel);
    const dev = selectRows(data, range(0, DEV));
    const hold = selectRows(data, range(DEV, N));
    const figures: Record<string, number> = {};

    // In-sample stack: each base model fit on all dev rows, predicting the same rows; and its held-out predictions.
    const inSample: Float64Array[] = [];
    const holdProba: Float64Array[] = [];
    for (const spec of BASE) {
      const model = await createModel(spec.type, spec.options);
      try {
        await model.fit(dev);
        inSample.push(await model.predictProba(dev.x));
        holdProba.push(await model.predictProba(hold.x));
      } finally {
        model.dispose();
      }
    }
    inSample.forEach((p, m) => (figures[`inSample_${BASE[m]!.name}`] = acc(dev.y, p)));
    holdProba.forEach((p, m) => (figures[`holdout_${BASE[m]!.name}`] = acc(hold.y, p)));

    // Out-of-fold stack on the same dev rows (contiguous 5-fold; scaler per fold).
    const oof = await outOfFoldProbabilities(dev, contiguousKFold(DEV, 5), BASE, { seed: 1 });
    expect(oof.uncovered).toHaveLength(0);
    oof.probabilities.forEach((p, m) => (figures[`oof_${BASE[m]!.name}`] = acc(dev.y, p)));

    // Meta-learners: one on the in-sample stack, one on the OOF stack; both scored on the held-out block's stack.
    const names = BASE.map((b) => b.name);
    const inStack = stackFeatures(inSample, names);
    const oofStack = stackFeatures(oof.probabilities, names);
    const holdStack = stackFeatures(holdProba, names);
    expect(oofStack.rows).toHaveLength(DEV);
    const metaIn = await fitPredict('lightgbm', META, { x: inStack.x, y: dev.y }, inStack.x);
    const metaInHold = await fitPredict('lightgbm', META, { x: inStack.x, y: dev.y }, holdStack.x);
    const metaOof = await fitPredict('lightgbm', META, { x: oofStack.x, y: dev.y }, oofStack.x);
    const metaOofHold = await fitPredict('lightgbm', META, { x: oofStack.x, y: dev.y }, holdStack.x);
    figures.metaInSample_train = acc(dev.y, metaIn);
    figures.metaInSample_holdout = acc(hold.y, metaInHold);
    figures.metaOof_train = acc(dev.y, metaOof);
    figures.metaOof_holdout = acc(hold.y, metaOofHold);
    console.log('leak test figures', JSON.stringify(figures, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(4)) : v)));

    // Memorisation happens in sample ...
    for (const name of names) expect(figures[`inSample_${name}`]).toBeGreaterThan(0.9);
    // ... and never reaches the out-of-fold predictions (this fails if in-sample predictions were used).
    for (const name of names) expect(Math.abs(figures[`oof_${name}`]! - CHANCE)).toBeLessThan(0.05);
    // Leak symptom: the meta-learner trained on the in-sample stack trusts the base models and
    // "learns" the noise (high training accuracy), which is worth nothing on the later block.
    expect(figures.metaInSample_train).toBeGreaterThan(0.9);
    expect(Math.abs(figures.metaInSample_holdout! - CHANCE)).toBeLessThan(0.07);
    // The OOF meta-learner sees no base-model signal (its small training edge is its own fit to noise)
    // and stays at chance on the later block.
    expect(figures.metaOof_train).toBeLessThan(0.55);
    expect(Math.abs(figures.metaOof_holdout! - CHANCE)).toBeLessThan(0.07);
  }, 300_000);
});
