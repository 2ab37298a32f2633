/**
 * The backtest of governor decisions (next-open fills, triple-barrier exits, fees, slippage and
 * funding) and the performance metrics of a per-period return series.
 *
 * ```ts
 * import { atr } from '@ares/features';
 * import { backtest, performanceMetrics, periodsPerYear } from '@ares/validation';
 *
 * const { returns, trades, metrics } = backtest(bars, decisions, { tpMult: 2, slMult: 1, holdingBars: 24, atr: atr(bars.high, bars.low, bars.close, 14), periodsPerYear: periodsPerYear(3_600_000) });
 * console.log(metrics.sharpe, metrics.psr, metrics.maxDrawdown, trades.length);
 * ```
 */
export { backtest, type BacktestBars, type BacktestOptions, type BacktestResult, type ExitReason, type Trade } from './backtest';
export { performanceMetrics, periodsPerYear, type PerformanceMetrics, type PerformanceMetricsOptions } from './metrics';
export { BacktestOptionsSchema, compileBacktestOptions, type BacktestSettings } from './options';
