/**
 * Monte Carlo risk of out-of-sample returns and bootstrap tests of a challenger against a champion.
 *
 * ```ts
 * const risk = monteCarloRisk(oosReturns, { seed: 7, periodsPerYear: 365 * 24, trades }); // stationary bootstrap, automatic block
 * risk.valueAtRisk.p95; risk.maxDrawdown.p95; risk.probabilityOfLoss; risk.tradeReshuffles?.maxDrawdown.p95;
 * const { pValue } = sharpeDifferenceTest(challenger, champion, { seed: 7 }); // H0: Sharpe(challenger) <= Sharpe(champion)
 * ```
 */
export { automaticBlockLength, MIN_BLOCK_LENGTH_OBSERVATIONS, optimalBlockLength, type OptimalBlockLength } from './blockLength';
export { iidBootstrapIndices, stationaryBootstrapIndices, tradeReshuffle } from './bootstrap';
export { dieboldMariano, neweyWestVariance, type DieboldMarianoOptions, type DieboldMarianoResult } from './dieboldMariano';
export { quantileSorted, SUMMARY_PERCENTS, tailRisk, type DistributionSummary, type TailRisk } from './distribution';
export { monteCarloRisk, type MonteCarloRiskOptions, type MonteCarloRiskReport, type TailRiskLevels, type TradeReshuffleReport } from './monteCarlo';
export { type PathStatistics } from './pathStatistics';
export { sharpeDifferenceTest, type SharpeDifferenceOptions, type SharpeDifferenceResult } from './sharpeDifference';
export { studentTCdf } from './studentT';
