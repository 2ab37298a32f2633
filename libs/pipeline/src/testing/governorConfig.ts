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

/** Steps 3–9 for wiring tests (kill -9, replay): SMALL_GOVERNOR with 2 outer/inner folds, 3 walk-forward folds, 500 Monte Carlo paths. */
export const SMALL_VALIDATION_GOVERNOR: GovernorConfigInput = {
  ...SMALL_GOVERNOR,
  outerFolds: 2,
  innerFolds: 2,
  validation: { walkForward: { folds: 3 }, monteCarlo: { simulations: 500 } },
};

/**
 * Steps 3–9 for the acceptance of model quality: the DEFAULT models and searches (the small ones
 * learn too little of a one-year market to be judged), 3 walk-forward folds, 500 Monte Carlo paths.
 */
export const VALIDATION_GOVERNOR: GovernorConfigInput = {
  validation: { walkForward: { folds: 3 }, monteCarlo: { simulations: 500 } },
};

/**
 * Target search for the synthetic market's `edge`: its informed-pressure states last about a day
 * (24 bars of 1h), so labels that look 24 bars ahead carry the planted drift. The default search
 * (6–48 bars) scores the labels alone, not what they trade, and picks 6 bars on this market: labels
 * of mostly the noise around the drift (measured: OOS Sharpe 2.05 with it, 11.4 with 24 bars).
 */
export const EDGE_TARGET_SEARCH: Record<string, unknown> = { holdingBars: { min: 24, max: 24, step: 1 } };
