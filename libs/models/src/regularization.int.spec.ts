/**
 * The regularization section reaches the native libraries (lib_lightgbm, libxgboost). Closed forms
 * behind the checks: a leaf's value is −sign(G)·max(|G| − α, 0) / (H + λ) for gradient and hessian
 * sums G, H. As λ (l2) grows, leaf values shrink to 0 and the raw scores to the init score (the log
 * class priors, from boost-from-average), so probabilities move towards the class priors; once α
 * (l1) exceeds every |G| (≤ rows for softmax, |p − y| ≤ 1 per row), every leaf is exactly 0.
 */
import type { TrainingSet } from './core/Model';
import { createModel } from './createModel';
import { applyRegularization, parseRegularization } from './regularization';
import { imbalanced } from './xgboost/syntheticData';

jest.setTimeout(120_000);

// Priors about 0.10 / 0.45 / 0.45 (a 10% minority class), so "towards the priors" is not "towards uniform".
const data = imbalanced({ rows: 1500, seed: 3, minority: 0.1 });
const priors = [0, 1, 2].map((c) => data.y.filter((y) => y === c).length / data.y.length);

const BASE: Record<string, Record<string, unknown>> = {
  lightgbm: { numIterations: 20, numThreads: 1, seed: 1 },
  random_forest: { numIterations: 20, numThreads: 1, seed: 1 },
  xgboost: { nEstimators: 20, nthread: 1, seed: 1 },
};

/** In-sample probabilities of `type` trained with the given tree penalties through applyRegularization. */
async function trainedProba(type: string, trees: { l1: number; l2: number }, set: TrainingSet = data): Promise<Float64Array> {
  const model = await createModel(type, applyRegularization(type, BASE[type]!, parseRegularization({ trees })));
  try {
    await model.fit(set);
    return await model.predictProba(set.x);
  } finally {
    model.dispose();
  }
}

/** Mean over rows of Σ_c |p_c − prior_c|. */
function distanceToPriors(proba: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < proba.length; i++) sum += Math.abs(proba[i]! - priors[i % 3]!);
  return sum / (proba.length / 3);
}

describe.each(['lightgbm', 'xgboost'])('%s receives the tree penalties', (type) => {
  test('a large l2 pulls the probabilities much closer to the class priors', async () => {
    const free = distanceToPriors(await trainedProba(type, { l1: 0, l2: 0 }));
    const shrunk = distanceToPriors(await trainedProba(type, { l1: 0, l2: 1000 }));
    // Unregularised, the planted signal moves rows far from the priors (measured ≈ 0.6–1.0).
    expect(free).toBeGreaterThan(0.5);
    expect(shrunk).toBeLessThan(0.5 * free);
  });

  test('an l1 above every |G| zeroes every leaf: each row gets the init-score probabilities, the class priors', async () => {
    const proba = await trainedProba(type, { l1: 1e6, l2: 0 });
    // float32 predictions in XGBoost; LightGBM computes in doubles.
    const tolerance = type === 'xgboost' ? 1e-5 : 1e-12;
    for (let r = 0; r < proba.length / 3; r++) for (let c = 0; c < 3; c++) expect(Math.abs(proba[r * 3 + c]! - priors[c]!)).toBeLessThan(tolerance);
  });
});

test('random_forest (LightGBM rf) receives them too: a large l2 pulls towards the priors', async () => {
  const free = distanceToPriors(await trainedProba('random_forest', { l1: 0, l2: 0 }));
  const shrunk = distanceToPriors(await trainedProba('random_forest', { l1: 0, l2: 1000 }));
  expect(free).toBeGreaterThan(0.5);
  expect(shrunk).toBeLessThan(0.5 * free);
});
