/**
 * Acceptance tests of the governor system (`trainGovernorSystem`: per-regime stacked ensembles,
 * then the governor over their outputs), on the regime-dependent synthetic market of
 * regimeMarket.ts, with the pipeline's purged split (train 0.7 / valid 0.15 / test 0.15) and purged
 * outer and inner folds (3 each, embargo 0.01), built as governorActivities builds them.
 *
 * What they prove, and where the references come from:
 *
 * A. Regime-dependent signal: on the held-out test slice the governor's balanced accuracy beats
 *    every regime ensemble used alone on all test rows AND the best single base model (LightGBM,
 *    random forest, XGBoost trained on all training rows, scaler fitted on them, early-stopped on
 *    the validation rows) by ≥ MARGIN. Reference: the market's construction — regimes share
 *    features with opposite signs, so only a model that routes by regime can be right everywhere.
 * B. Zero signal: the governor's test balanced accuracy is 1/3 within CHANCE_TOL. Reference: the
 *    null distribution of balanced accuracy (closed form below).
 * C. Out-of-fold stacking of the governor: with zero-signal labels and MEMORISING base models, the
 *    ensemble outputs in the governor's training rows agree with the labels only at chance, while
 *    the same final ensembles predicting those rows in sample agree almost perfectly — so a system
 *    that fed in-sample outputs to the governor fails the first assertion. The governor stays at
 *    chance on the test slice. Reference: the leak test of the ensemble level
 *    (libs/governor/src/stacking/leak.spec.ts), lifted to the governor level.
 *
 * Standard errors (labels are drawn independently per row; under the null the predictions are
 * independent of the test labels). With n test rows, balanced classes (n/3 per class) and the
 * model predicting class c on a share π_c of rows, recall_c is a mean of n/3 Bernoulli(π_c), so
 * E[balanced accuracy] = Σ π_c / 3 = 1/3 and Var = Σ π_c(1 − π_c)/(n/3) / 9 ≤ (2/3)(3/n)/9 = 2/(9n).
 * For n ≈ 750: SE ≤ sqrt(2/(9·750)) ≈ 0.0172; CHANCE_TOL = 0.08 ≈ 4.6 SE. For an agreement rate p
 * over m rows, SE = sqrt(p(1 − p)/m); at p = 1/3 and m ≈ 3500, 0.008, so OOF_TOL = 0.04 is 5 SE.
 * A balanced accuracy near 0.6 on 750 rows has SE ≈ sqrt(0.24/250)/√3 ≈ 0.018, and the difference
 * of two on the same rows at most twice that (0.036); MARGIN = 0.05 asks the gap to clear that.
 */
import { REGIME_NAMES } from '@ares/features';
import { GOVERNOR_LABELS, trainGovernorSystem, type BaseModelSpec, type GovernorSystem, type GovernorSystemOptions } from '@ares/governor';
import { argmaxRows, balancedAccuracy, createModel, prepareTrainingFold, selectRows, type FitReport, type Matrix, type Model } from '@ares/models';
import { pipelineSplit, regimeMarket, type RegimeMarket } from './regimeMarket';

const ROWS = 5000;
const SEED = 7;
const MIN_ROWS = 200;
const MARGIN = 0.05;
const CHANCE = 1 / 3;
const CHANCE_TOL = 0.08;
const OOF_TOL = 0.04;

const LIGHTGBM = { numIterations: 40, numThreads: 1 };
const RANDOM_FOREST = { numIterations: 40, numThreads: 1 };
const XGBOOST = { nEstimators: 40, nthread: 1 };
const SMALL: BaseModelSpec[] = [
  { name: 'lightgbm', type: 'lightgbm', options: LIGHTGBM },
  { name: 'random_forest', type: 'random_forest', options: RANDOM_FOREST },
  { name: 'xgboost', type: 'xgboost', options: XGBOOST },
];
const META = { type: 'lightgbm', options: { numIterations: 100, numLeaves: 8, numThreads: 1 } };
const GOVERNOR = { numThreads: 1 };

// Memorisers: one row per leaf, many deep trees (in-sample accuracy ~1 on pure noise).
const MEMO: BaseModelSpec[] = [
  { name: 'memo_a', type: 'lightgbm', options: { numLeaves: 255, minDataInLeaf: 1, numIterations: 150, learningRate: 0.3, numThreads: 1, seed: 1 } },
  { name: 'memo_b', type: 'lightgbm', options: { numLeaves: 255, minDataInLeaf: 1, numIterations: 150, learningRate: 0.3, featureFraction: 0.8, numThreads: 1, seed: 2 } },
];

/**
 * The pipeline's defaults since fits early-stop (governorActivities' BASE_DEFAULTS): up to 100
 * rounds, each fit stopping 10 rounds (forest: 5) after its best on the latest 20 % of its own
 * training rows, purged by label end time.
 */
function earlyStopping(market: RegimeMarket): Partial<GovernorSystemOptions> {
  return {
    baseModels: [
      { name: 'lightgbm', type: 'lightgbm', options: { numIterations: 100, earlyStoppingRounds: 10, numThreads: 1 } },
      { name: 'random_forest', type: 'random_forest', options: { numIterations: 100, earlyStoppingRounds: 5, numThreads: 1 } },
      { name: 'xgboost', type: 'xgboost', options: { nEstimators: 100, earlyStoppingRounds: 10, nthread: 1 } },
    ],
    meta: { type: 'lightgbm', options: { ...META.options, earlyStoppingRounds: 10 } },
    labelTimes: { times: market.times, t1: market.t1, validShare: 0.2 },
  };
}

const VARIANTS = [
  ['fixed rounds', () => ({})],
  ['early stopping inside every fit (the pipeline default)', earlyStopping],
] as const;

function systemOptions(market: RegimeMarket, extra: Partial<GovernorSystemOptions> = {}): GovernorSystemOptions {
  const { split, outerFolds, innerFolds } = pipelineSplit(market, { trainRatio: 0.7, valRatio: 0.15, outerFolds: 3, innerFolds: 3, embargo: 0.01 });
  return { regimeNames: REGIME_NAMES, split, outerFolds, innerFolds, seed: SEED, baseModels: SMALL, meta: META, governorOptions: GOVERNOR, minRows: MIN_ROWS, ...extra };
}

/** Trains the system, hands it to `fn`, and disposes every ensemble and the governor. */
async function withSystem<T>(market: RegimeMarket, options: GovernorSystemOptions, fn: (system: GovernorSystem) => Promise<T>): Promise<T> {
  const system = await trainGovernorSystem(market.data, market.regime, options);
  try {
    return await fn(system);
  } finally {
    for (const ensemble of Object.values(system.ensembles)) ensemble.dispose();
    system.governor.dispose();
  }
}

/** A base model on all training rows (scaler fitted on them), early-stopped on the validation rows where supported, scored on the test rows. */
async function baseModelTestScore(market: RegimeMarket, options: GovernorSystemOptions, type: string, modelOptions: Record<string, unknown>, earlyStop: boolean): Promise<number> {
  const { train, valid, test } = options.split;
  const fitRows = prepareTrainingFold(selectRows(market.data, train), selectRows(market.data, valid), { scale: true, seed: SEED });
  const testX = fitRows.scaler!.transform(selectRows(market.data, test).x);
  const model = await createModel(type, { ...modelOptions, seed: SEED });
  try {
    await model.fit(fitRows.train, earlyStop ? fitRows.valid : undefined);
    const predicted = argmaxRows(await model.predictProba(testX));
    return balancedAccuracy(Int32Array.from(test, (i) => market.data.y[i]!), predicted);
  } finally {
    model.dispose();
  }
}

const round = (v: number): number => Number(v.toFixed(3));

describe('governor system acceptance (regime market, pipeline split and purged folds)', () => {
  it.each(VARIANTS)('A (%s): with a regime-dependent signal the governor beats every ensemble alone and the best single base model on the test slice', async (_, variant) => {
    const market = regimeMarket({ rows: ROWS, seed: 11, signal: 1 });
    const options = systemOptions(market, variant(market));
    const shares = REGIME_NAMES.map((name) => market.regime.filter((r) => r === name).length / ROWS);
    expect(Math.min(...shares)).toBeGreaterThan(0.12);

    const base = {
      lightgbm: await baseModelTestScore(market, options, 'lightgbm', LIGHTGBM, true),
      random_forest: await baseModelTestScore(market, options, 'random_forest', RANDOM_FOREST, false),
      xgboost: await baseModelTestScore(market, options, 'xgboost', XGBOOST, true),
    };
    await withSystem(market, options, async (system) => {
      // Every regime has enough rows for its own ensemble (none served by the pooled fallback).
      expect(Object.values(system.plan.sources)).toEqual([...REGIME_NAMES]);
      const governor = system.scores.governor.balancedAccuracy;
      const ensembles = Object.fromEntries(REGIME_NAMES.map((name) => [name, system.scores.ensembles[name]!]));
      console.log(
        [
          `governor acceptance A (test rows ${system.scores.governor.rows}; balanced accuracy)`,
          `  governor                        ${round(governor)}`,
          ...REGIME_NAMES.map((name) => `  ensemble ${name.padEnd(20)} all ${round(ensembles[name]!.all.balancedAccuracy)}  own regime ${round(ensembles[name]!.own!.balancedAccuracy)}`),
          ...Object.entries(base).map(([type, score]) => `  base ${type.padEnd(14)} (all rows)  ${round(score)}`),
        ].join('\n'),
      );
      for (const name of REGIME_NAMES) expect(governor).toBeGreaterThanOrEqual(ensembles[name]!.all.balancedAccuracy + MARGIN);
      expect(governor).toBeGreaterThanOrEqual(Math.max(...Object.values(base)) + MARGIN);
    });
  }, 240_000);

  it.each(VARIANTS)('B (%s): with zero signal the governor stays at chance on the test slice (balanced accuracy within 1/3 ± 0.08)', async (_, variant) => {
    const market = regimeMarket({ rows: ROWS, seed: 12, signal: 0 });
    await withSystem(market, systemOptions(market, variant(market)), async (system) => {
      console.log(`governor acceptance B: test balanced accuracy ${round(system.scores.governor.balancedAccuracy)} over ${system.scores.governor.rows} rows`);
      expect(system.scores.governor.rows).toBeGreaterThan(700);
      expect(Math.abs(system.scores.governor.balancedAccuracy - CHANCE)).toBeLessThan(CHANCE_TOL);
    });
  }, 240_000);

  it('C: the governor trains on out-of-fold ensemble outputs: memorising ensembles agree with noise labels in sample, not in its training rows', async () => {
    const market = regimeMarket({ rows: ROWS, seed: 13, signal: 0 });
    // The soft-vote meta-learner passes the memorisers' in-sample fit through to the ensemble's
    // output (a learned meta-learner trained on out-of-fold noise maps it to noise of its own).
    const options = systemOptions(market, { baseModels: MEMO, meta: { type: SOFT_VOTE, options: {} }, createModel: withSoftVote });
    await withSystem(market, options, async (system) => {
      const train = system.data.train;
      const x = selectRows(market.data, train.rows).x;
      const oof = { agree: 0, rows: 0 };
      const inSample = { agree: 0, rows: 0 };
      const baseInSample: Record<string, number> = {};
      for (const name of REGIME_NAMES) {
        const own = Array.from(train.rows.keys()).filter((r) => market.regime[train.rows[r]!] === name);
        const ownX = pickRows(x, own);
        const ensemble = system.ensembles[system.plan.sources[name]!]!;
        const detailed = await ensemble.predictDetailed(ownX);
        const oofPred = argmaxRows(train.ensembleProba[name]!);
        const inPred = argmaxRows(detailed.proba);
        own.forEach((r, j) => {
          oof.agree += GOVERNOR_LABELS[oofPred[r]!] === train.labels[r] ? 1 : 0;
          inSample.agree += GOVERNOR_LABELS[inPred[j]!] === train.labels[r] ? 1 : 0;
          for (const [b, p] of Object.entries(detailed.base)) baseInSample[b] = (baseInSample[b] ?? 0) + (GOVERNOR_LABELS[argmaxRows(p.subarray(j * 3, (j + 1) * 3))[0]!] === train.labels[r] ? 1 : 0);
        });
        oof.rows += own.length;
        inSample.rows += own.length;
      }
      const figures = {
        governorTrainRows: train.rows.length,
        oofOwnRegimeAgreement: round(oof.agree / oof.rows),
        inSampleOwnRegimeAgreement: round(inSample.agree / inSample.rows),
        ...Object.fromEntries(Object.entries(baseInSample).map(([b, n]) => [`inSample_${b}`, round(n / inSample.rows)])),
        governorTestBalancedAccuracy: round(system.scores.governor.balancedAccuracy),
        governorTestRows: system.scores.governor.rows,
      };
      console.log(`governor acceptance C: ${JSON.stringify(figures)}`);

      expect(train.rows.length).toBeGreaterThan(3000);
      // The base models really memorise (so in-sample outputs would look like the labels) ...
      for (const b of MEMO) expect(baseInSample[b.name]! / inSample.rows).toBeGreaterThan(0.98);
      expect(inSample.agree / inSample.rows).toBeGreaterThanOrEqual(0.9);
      // ... yet what the governor trained on agrees with the labels only at chance.
      expect(Math.abs(oof.agree / oof.rows - CHANCE)).toBeLessThan(OOF_TOL);
      expect(Math.abs(system.scores.governor.balancedAccuracy - CHANCE)).toBeLessThan(CHANCE_TOL);
    });
  }, 300_000);
});

/** Rows `rows` of x. */
function pickRows(x: Matrix, rows: readonly number[]): Matrix {
  const data = new Float32Array(rows.length * x.cols);
  rows.forEach((r, j) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), j * x.cols));
  return { rows: rows.length, cols: x.cols, data, columns: [...x.columns] };
}

const SOFT_VOTE = 'soft_vote';

/** Library models, plus 'soft_vote': a meta-learner that averages the base models' probabilities (fit learns nothing). */
async function withSoftVote(type: string, options: Record<string, unknown>): Promise<Model> {
  return type === SOFT_VOTE ? new SoftVote() : createModel(type, options);
}

/** Mean of the stacked base-model probabilities (columns `<base>_p_down/_p_flat/_p_up`, per base model in turn). */
class SoftVote implements Model {
  readonly type = SOFT_VOTE;

  fit(): Promise<FitReport> {
    return Promise.resolve({ bestIteration: 0, iterations: 0, validHistory: [], metric: 'none' });
  }

  predictProba(x: Matrix): Promise<Float64Array> {
    const models = x.cols / 3;
    const out = new Float64Array(x.rows * 3);
    for (let r = 0; r < x.rows; r++) for (let c = 0; c < x.cols; c++) out[r * 3 + (c % 3)]! += x.data[r * x.cols + c]! / models;
    return Promise.resolve(out);
  }

  featureImportance(): Float64Array {
    throw new Error('SoftVote has no feature importance');
  }

  save(): never {
    throw new Error('SoftVote is a test double and is not saved');
  }

  dispose(): void {}
}
