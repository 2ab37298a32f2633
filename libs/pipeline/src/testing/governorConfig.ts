import type { GovernorConfigInput } from '../contracts';

/** Steps 3–5 with small models and searches: a run of about half a minute, for wiring tests (not model quality). */
export const SMALL_GOVERNOR: GovernorConfigInput = {
  minRegimeRows: 150,
  coarseTrials: 2,
  finalTrials: 2,
  searchFolds: 2,
  baseModels: { lightgbm: { numIterations: 25 }, random_forest: { numIterations: 25 }, xgboost: { nEstimators: 25 } },
  meta: { numIterations: 30 },
  prune: { keepTop: 20 },
};

/** Steps 3–9 small enough for acceptance tests: SMALL_GOVERNOR with 2 outer/inner folds, 3 walk-forward folds, 500 Monte Carlo paths. */
export const VALIDATION_GOVERNOR: GovernorConfigInput = {
  ...SMALL_GOVERNOR,
  outerFolds: 2,
  innerFolds: 2,
  validation: { walkForward: { folds: 3 }, monteCarlo: { simulations: 500 } },
};
