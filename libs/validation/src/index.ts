/**
 * @ares/validation — how models are validated without look-ahead. Today: the splitters.
 * Chronological train / valid / test with optional purging, scikit-learn's TimeSeriesSplit, and
 * purged k-fold with an embargo (López de Prado, AFML ch. 7) over label intervals [times, t1].
 *
 * ```ts
 * import { chronologicalSplit, purgedKFold, timeSeriesSplit } from '@ares/validation';
 *
 * const { rows } = chronologicalSplit(n, { trainRatio: 0.8, valRatio: 0.1, times, t1 }); // rows.train: Int32Array
 * for (const { train, test } of timeSeriesSplit(n, { nSplits: 5, gap: 24 })) { fit(train); score(test); }
 * for (const { train, test, purged, embargoed } of purgedKFold(openTime, labels.t1, { nSplits: 5, embargo: 0.01 })) {
 *   fit(train); score(test); // purged / embargoed: rows kept out of training, for reporting
 * }
 * ```
 */
export { InsufficientRowsError, InvalidLabelTimesError, InvalidSplitOptionsError } from './errors';
export { chronologicalSplit, type ChronologicalSplit, type ChronologicalSplitOptions } from './splits/chronologicalSplit';
export { purgedKFold, type PurgedFold, type PurgedKFoldOptions } from './splits/purgedKFold';
export { timeSeriesSplit, type TimeSeriesSplitOptions } from './splits/timeSeriesSplit';
export { rangeIndices, type Fold, type IndexRange } from './splits/types';
export { DEFAULT_SEARCH_SPACES, ParamRangeSchema, parseSearchSpace, randomSearchPlan, type ParamRange, type SearchSpace } from './tuning/searchSpace';
export { narrowRanges, NarrowRangesOptionsSchema, pruneFeatures, PruneFeaturesOptionsSchema, type DroppedFeature, type NarrowRangesOptions, type PruneFeaturesOptions, type PruneResult, type Trial } from './pruning';
export { InvalidStatisticsInputError } from './errors';
export { walkForwardFolds, WalkForwardOptionsSchema, type WalkForwardFold, type WalkForwardOptions } from './walkforward/walkForwardFolds';
export { deflatedBenchmark, deflatedSharpeRatio, expectedMaxStandardNormal, moments, probabilisticSharpeRatio, sharpeStandardError, type SharpeSample } from './stats/sharpe';
export { ModelRegistry, RegistryConflictError, RegistryEventSchema, type RegistryEvent, type RegistryEventInput, type RegistryState } from './registry/ModelRegistry';
export { decidePromotion, PromotionRuleSchema, type ChampionComparison, type GateInputs, type GateResult, type PromotionDecision, type PromotionRule, type PromotionRuleInput } from './promotion/promotionRule';
export { backtest, BacktestOptionsSchema, compileBacktestOptions, performanceMetrics, periodsPerYear, type BacktestBars, type BacktestOptions, type BacktestResult, type BacktestSettings, type ExitReason, type PerformanceMetrics, type PerformanceMetricsOptions, type Trade } from './backtest';
export { automaticBlockLength, dieboldMariano, iidBootstrapIndices, MIN_BLOCK_LENGTH_OBSERVATIONS, monteCarloRisk, neweyWestVariance, optimalBlockLength, quantileSorted, sharpeDifferenceTest, stationaryBootstrapIndices, tailRisk, tradeReshuffle, type DieboldMarianoResult, type MonteCarloRiskOptions, type MonteCarloRiskReport, type OptimalBlockLength, type SharpeDifferenceResult } from './montecarlo';
export { probabilityOfBacktestOverfitting, type PboOptions, type PboResult, type ReturnMatrix } from './stats/cscv';
