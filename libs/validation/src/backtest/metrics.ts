import { InvalidStatisticsInputError } from '../errors';
import { moments, probabilisticSharpeRatio, sharpeStandardError } from '../stats/sharpe';
import type { Trade } from './backtest';

/**
 * Performance metrics of a per-period return series, in empyrical's conventions (Quantopian's
 * `empyrical.stats`) where it has one, with the trade statistics of a backtest.
 *
 * - **NaN returns are skipped** (empyrical's leading NaN row): every statistic, `periods` included,
 *   is over the non-NaN returns only. So `cagr` annualises over the non-NaN count, where empyrical's
 *   `annual_return` counts the NaN row in its years. ±Infinity is rejected.
 * - **Sharpe**: mean / std (ddof 1) · sqrt(periodsPerYear), risk-free 0. `sharpePerPeriod` is the
 *   same without the sqrt: the Sharpe that {@link sharpeStandardError} and the PSR take.
 * - **Sortino**: mean / downside deviation · sqrt(periodsPerYear), the downside deviation being
 *   sqrt(mean(min(r, 0)²)) over ALL periods (empyrical's `downside_risk`, required return 0);
 *   Infinity when no period loses.
 * - **Drawdown** on the compounded equity starting at 1 before the first period (so a first-period
 *   loss is a drawdown, as in empyrical's `max_drawdown`). `maxDrawdown` is a negative fraction
 *   (−0.10 for 10 %). `maxDrawdownDuration` is the LONGEST drawdown (not necessarily the deepest)
 *   in periods: from the peak to the first period whose equity is back at or above it, or to the
 *   last period when it never recovers.
 * - **Calmar** = cagr / |maxDrawdown|; NaN without a drawdown (empyrical's convention).
 * - **Sharpe standard error** (Mertens 2002, with the sample's skew and raw kurtosis) is annualised
 *   by sqrt(periodsPerYear); **psr** is the PSR of the per-period Sharpe against 0. Both NaN with
 *   fewer than 2 periods or a non-finite Sharpe (e.g. constant returns).
 * - **Trade statistics** (need `trades`; NaN without them): winRate = share of trades with a net
 *   return > 0; profitFactor = Σ positive / |Σ negative| net returns — Infinity with profits and no
 *   loss, NaN with no trade (or only zero-return trades); expectancy = mean net return;
 *   turnover = traded notional of both sides PER PERIOD (not annualised), in units of the equity at
 *   each trade's entry: a round trip adds 1 + exitPrice / entryPrice.
 * - **exposure** (needs `position`; NaN without it) = share of bars with a non-zero position.
 */

export interface PerformanceMetrics {
  /** Non-NaN returns counted. */
  readonly periods: number;
  /** Compounded: Π(1 + r) − 1. */
  readonly totalReturn: number;
  /** (1 + totalReturn)^(periodsPerYear / periods) − 1 (−1 when the equity is wiped out). */
  readonly cagr: number;
  /** std (ddof 1) · sqrt(periodsPerYear). */
  readonly annualVolatility: number;
  /** Annualised Sharpe ratio (risk-free 0). */
  readonly sharpe: number;
  readonly sharpePerPeriod: number;
  /** Annualised Sortino ratio (empyrical's downside deviation, required return 0). */
  readonly sortino: number;
  /** Deepest peak-to-trough fall of the equity, as a negative fraction (0 without a drawdown). */
  readonly maxDrawdown: number;
  /** Longest drawdown in periods, peak to recovery (or to the end when not recovered). */
  readonly maxDrawdownDuration: number;
  readonly calmar: number;
  /** Standard error of the annualised Sharpe (Mertens), sqrt(periodsPerYear) × the per-period one. */
  readonly sharpeStandardError: number;
  /** Probabilistic Sharpe Ratio of the per-period Sharpe against 0. */
  readonly psr: number;
  readonly tradeCount: number;
  readonly winRate: number;
  readonly profitFactor: number;
  /** Mean net return per trade. */
  readonly expectancy: number;
  /** Share of bars with a position. */
  readonly exposure: number;
  /** Traded notional (both sides) per period, in units of equity. */
  readonly turnover: number;
}

export interface PerformanceMetricsOptions {
  /** Periods in a year, e.g. 8760 for 1h bars on a 365-day crypto year ({@link periodsPerYear}). */
  readonly periodsPerYear: number;
  /** The backtest's trades, for the trade statistics. */
  readonly trades?: readonly Trade[];
  /** The position held during each bar (same length as the returns), for the exposure. */
  readonly position?: Int8Array;
}

const YEAR_MS = 365 * 86_400_000;

/** Bars in a 365-day year (crypto trades around the clock): 8760 for 1h bars (3_600_000 ms). */
export function periodsPerYear(intervalMs: number): number {
  if (!(Number.isFinite(intervalMs) && intervalMs > 0)) throw new InvalidStatisticsInputError(`periodsPerYear: intervalMs must be a finite number > 0, got ${intervalMs}`);
  return YEAR_MS / intervalMs;
}

/** The metrics of `returns` (simple per-period returns; NaN rows skipped). */
export function performanceMetrics(returns: ArrayLike<number>, o: PerformanceMetricsOptions): PerformanceMetrics {
  if (!(typeof o.periodsPerYear === 'number' && Number.isFinite(o.periodsPerYear) && o.periodsPerYear > 0)) {
    throw new InvalidStatisticsInputError(`performanceMetrics: periodsPerYear must be a finite number > 0, got ${o.periodsPerYear}`);
  }
  if (o.position !== undefined && o.position.length !== returns.length) {
    throw new InvalidStatisticsInputError(`performanceMetrics: position has ${o.position.length} rows but returns has ${returns.length}`);
  }
  const r = finiteReturns(returns);
  return {
    ...returnMetrics(r, o.periodsPerYear),
    ...tradeMetrics(o.trades, r.length),
    exposure: o.position === undefined ? Number.NaN : exposure(o.position),
  };
}

function finiteReturns(returns: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < returns.length; i++) {
    const v = returns[i]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v)) throw new InvalidStatisticsInputError(`performanceMetrics: returns[${i}] is ${v} (NaN is skipped, ±Infinity is not)`);
    out.push(v);
  }
  return Float64Array.from(out);
}

type ReturnMetrics = Omit<PerformanceMetrics, 'tradeCount' | 'winRate' | 'profitFactor' | 'expectancy' | 'exposure' | 'turnover'>;

function returnMetrics(r: Float64Array, ppy: number): ReturnMetrics {
  const periods = r.length;
  const m = moments(r);
  const sharpePerPeriod = periods > 1 ? m.mean / m.std : Number.NaN;
  const { maxDrawdown, maxDrawdownDuration, finalEquity } = drawdown(r);
  const cagr = finalEquity <= 0 ? -1 : finalEquity ** (ppy / periods) - 1;
  const testable = periods >= 2 && Number.isFinite(sharpePerPeriod);
  const sample = { sharpe: sharpePerPeriod, periods, skew: m.skew, kurtosis: m.kurtosis };
  return {
    periods,
    totalReturn: finalEquity - 1,
    cagr,
    annualVolatility: m.std * Math.sqrt(ppy),
    sharpe: sharpePerPeriod * Math.sqrt(ppy),
    sharpePerPeriod,
    sortino: periods > 0 ? (m.mean / downsideDeviation(r)) * Math.sqrt(ppy) : Number.NaN,
    maxDrawdown,
    maxDrawdownDuration,
    calmar: maxDrawdown < 0 ? cagr / -maxDrawdown : Number.NaN,
    sharpeStandardError: testable ? sharpeStandardError(sample) * Math.sqrt(ppy) : Number.NaN,
    psr: testable ? probabilisticSharpeRatio(sample, 0) : Number.NaN,
  };
}

/** sqrt(mean(min(r, 0)²)) over all periods (empyrical's downside_risk with required return 0, per period). */
function downsideDeviation(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) if (r[i]! < 0) s += r[i]! * r[i]!;
  return Math.sqrt(s / r.length);
}

function drawdown(r: Float64Array): { maxDrawdown: number; maxDrawdownDuration: number; finalEquity: number } {
  let equity = 1;
  let peak = 1;
  let peakAt = 0; // index in the equity curve: 0 is the start, k the end of period k
  let underwater = false;
  let maxDrawdown = 0;
  let maxDrawdownDuration = 0;
  for (let k = 1; k <= r.length; k++) {
    equity *= 1 + r[k - 1]!;
    if (equity >= peak) {
      if (underwater) maxDrawdownDuration = Math.max(maxDrawdownDuration, k - peakAt);
      underwater = false;
      peak = equity;
      peakAt = k;
    } else {
      underwater = true;
      maxDrawdown = Math.min(maxDrawdown, equity / peak - 1);
    }
  }
  if (underwater) maxDrawdownDuration = Math.max(maxDrawdownDuration, r.length - peakAt);
  return { maxDrawdown, maxDrawdownDuration, finalEquity: equity };
}

function tradeMetrics(trades: readonly Trade[] | undefined, periods: number): Pick<PerformanceMetrics, 'tradeCount' | 'winRate' | 'profitFactor' | 'expectancy' | 'turnover'> {
  if (trades === undefined) return { tradeCount: Number.NaN, winRate: Number.NaN, profitFactor: Number.NaN, expectancy: Number.NaN, turnover: Number.NaN };
  let wins = 0;
  let profits = 0;
  let losses = 0;
  let notional = 0;
  for (const t of trades) {
    if (t.netReturn > 0) {
      wins++;
      profits += t.netReturn;
    } else losses -= t.netReturn;
    notional += 1 + t.exitPrice / t.entryPrice;
  }
  const n = trades.length;
  return {
    tradeCount: n,
    winRate: n > 0 ? wins / n : Number.NaN,
    profitFactor: n === 0 || (profits === 0 && losses === 0) ? Number.NaN : profits / losses,
    expectancy: n > 0 ? (profits - losses) / n : Number.NaN,
    turnover: periods > 0 ? notional / periods : Number.NaN,
  };
}

function exposure(position: Int8Array): number {
  let held = 0;
  for (let i = 0; i < position.length; i++) if (position[i] !== 0) held++;
  return position.length > 0 ? held / position.length : Number.NaN;
}
