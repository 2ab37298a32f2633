import { Rng } from '@ares/data';
import { InvalidStatisticsInputError } from '../errors';
import { automaticBlockLength, MIN_BLOCK_LENGTH_OBSERVATIONS } from './blockLength';
import { fillIidIndices, fillStationaryIndices, shuffleInto } from './bootstrap';
import { requireAtLeast, requireInteger, requirePositive, requireSimpleReturns } from './checks';
import { type DistributionSummary, summarise, tailRisk, thinSorted } from './distribution';
import { pathStatistics, type PathStatistics } from './pathStatistics';

/** Options of `monteCarloRisk`. */
export interface MonteCarloRiskOptions {
  /** Number of simulated paths (and of trade reshuffles). @default 1000 */
  simulations?: number;
  /** Seed of every random choice; the same seed gives the same report. */
  seed: number;
  /** Resampling of the bars: i.i.d. or the stationary block bootstrap. @default 'stationary' */
  method?: 'iid' | 'stationary';
  /** Mean block length of the stationary bootstrap (>= 1). @default automaticBlockLength(returns): max(1, the Politis–White length), 1 for constant returns */
  blockLength?: number;
  /** Bars per year, to annualise the Sharpe ratio (e.g. 365 · 24 for hourly crypto bars). */
  periodsPerYear: number;
  /** Net returns of the trades, in order; when given, their reshuffles give a drawdown distribution. */
  trades?: Float64Array;
  /** Called with (done, total) simulations every 100 simulations and at the end. */
  onProgress?: (done: number, total: number) => void;
}

/** MonteCarloRiskOptions with the defaults applied and checked. */
export interface CompiledMonteCarloOptions {
  simulations: number;
  seed: number;
  method: 'iid' | 'stationary';
  blockLength: number;
  periodsPerYear: number;
  trades: Float64Array | undefined;
  onProgress: ((done: number, total: number) => void) | undefined;
}

/** Historical VaR / CVaR at 95 % and 99 %, as positive losses. */
export interface TailRiskLevels {
  p95: number;
  p99: number;
}

/** Max drawdowns of the trades in reshuffled order. */
export interface TradeReshuffleReport {
  trades: number;
  /** Max drawdown of the trades in their actual order. */
  observedMaxDrawdown: number;
  maxDrawdown: DistributionSummary;
  worstMaxDrawdown: number;
  /** Share of reshuffles whose max drawdown is at least the observed one (ties to 1e-12). */
  shareAtLeastObserved: number;
}

/** What `monteCarloRisk` returns: plain numbers and arrays, JSON-serialisable. */
export interface MonteCarloRiskReport {
  method: 'iid' | 'stationary';
  simulations: number;
  bars: number;
  seed: number;
  /** Mean block length used (1 for i.i.d.). */
  blockLength: number;
  periodsPerYear: number;
  /** The statistics of the returns as they happened. */
  observed: PathStatistics;
  /** Compounded total return per simulation. */
  totalReturn: DistributionSummary;
  /** Annualised Sharpe ratio per simulation. */
  sharpe: DistributionSummary;
  /** Max drawdown (fraction of the running peak) per simulation. */
  maxDrawdown: DistributionSummary;
  /** VaR of the simulated total return: −Q(1 − α). */
  valueAtRisk: TailRiskLevels;
  /** CVaR of the simulated total return: −mean of the totals at or below Q(1 − α). */
  conditionalValueAtRisk: TailRiskLevels;
  /** Historical VaR of one bar's return (the observed returns, not resampled). */
  perBarValueAtRisk: TailRiskLevels;
  /** Historical CVaR of one bar's return. */
  perBarConditionalValueAtRisk: TailRiskLevels;
  /** Share of simulations whose total return is below 0. */
  probabilityOfLoss: number;
  worstTotalReturn: number;
  worstMaxDrawdown: number;
  /** At most 1,000 ascending simulated values each, for histograms. */
  histogram: { totalReturn: number[]; sharpe: number[]; maxDrawdown: number[] };
  tradeReshuffles?: TradeReshuffleReport;
}

const HISTOGRAM_VALUES = 1000;
const PROGRESS_EVERY = 100;
/** Equal drawdowns of reordered trades differ in the last bits (the peak they divide by differs): ties within this count as equal. */
const DRAWDOWN_TIE = 1e-12;

/** Applies the defaults of MonteCarloRiskOptions and rejects bad or contradictory values. */
export function compileMonteCarloRiskOptions(returns: Float64Array, o: MonteCarloRiskOptions): CompiledMonteCarloOptions {
  const what = 'monteCarloRisk';
  const method = o.method ?? 'stationary';
  if (method !== 'iid' && method !== 'stationary') throw new InvalidStatisticsInputError(`${what}: method ${JSON.stringify(method)} must be 'iid' or 'stationary'`);
  if (method === 'iid' && o.blockLength !== undefined) throw new InvalidStatisticsInputError(`${what}: blockLength ${o.blockLength} contradicts method 'iid' (blocks of one bar); drop one of them`);
  const autoBlock = method === 'stationary' && o.blockLength === undefined;
  requireSimpleReturns(what, 'returns', returns, autoBlock ? MIN_BLOCK_LENGTH_OBSERVATIONS : 2);
  if (o.trades !== undefined) requireSimpleReturns(what, 'trades', o.trades, 1);
  return {
    simulations: requireInteger(what, 'simulations', o.simulations ?? 1000, 1),
    seed: requireInteger(what, 'seed', o.seed, Number.MIN_SAFE_INTEGER),
    method,
    blockLength: method === 'iid' ? 1 : autoBlock ? automaticBlockLength(returns) : requireAtLeast(what, 'blockLength', o.blockLength!, 1),
    periodsPerYear: requirePositive(what, 'periodsPerYear', o.periodsPerYear),
    trades: o.trades,
    onProgress: o.onProgress,
  };
}

function tailLevels(sorted: Float64Array): { valueAtRisk: TailRiskLevels; conditionalValueAtRisk: TailRiskLevels } {
  const t95 = tailRisk(sorted, 0.95);
  const t99 = tailRisk(sorted, 0.99);
  return { valueAtRisk: { p95: t95.valueAtRisk, p99: t99.valueAtRisk }, conditionalValueAtRisk: { p95: t95.conditionalValueAtRisk, p99: t99.conditionalValueAtRisk } };
}

function reshuffleTrades(trades: Float64Array, simulations: number, rng: Rng): TradeReshuffleReport {
  const perm = new Float64Array(trades.length);
  const drawdowns = new Float64Array(simulations);
  const observedMaxDrawdown = pathStatistics(trades, undefined, 1, 0).maxDrawdown;
  let atLeast = 0;
  for (let s = 0; s < simulations; s++) {
    drawdowns[s] = pathStatistics(shuffleInto(trades, perm, rng), undefined, 1, 0).maxDrawdown;
    if (drawdowns[s]! >= observedMaxDrawdown - DRAWDOWN_TIE) atLeast++;
  }
  drawdowns.sort();
  return { trades: trades.length, observedMaxDrawdown, maxDrawdown: summarise(drawdowns), worstMaxDrawdown: drawdowns[simulations - 1]!, shareAtLeastObserved: atLeast / simulations };
}

/**
 * Monte Carlo risk of out-of-sample per-bar SIMPLE returns: `simulations` paths resampled by the
 * stationary bootstrap (Politis & Romano 1994, mean block `blockLength`, by default Politis &
 * White's automatic length) or i.i.d., each compounded into a total return, an annualised Sharpe
 * ratio and a max drawdown (see pathStatistics). Tail risk is historical on the simulated total
 * returns: VaR_α = −Q(1 − α), CVaR_α = −mean{total ≤ Q(1 − α)} with Q numpy's linear quantile
 * (distribution.ts); the per-bar VaR / CVaR apply the same rule to the observed returns. The trade
 * reshuffles (when `trades` are given) permute the trades' net returns and report the max drawdowns
 * of the reordered paths. Random draws come from one Rng(seed): bars first, then trades.
 */
export function monteCarloRisk(returns: Float64Array, options: MonteCarloRiskOptions): MonteCarloRiskReport {
  const o = compileMonteCarloRiskOptions(returns, options);
  const n = returns.length;
  const rng = new Rng(o.seed);
  const sqrtPpy = Math.sqrt(o.periodsPerYear);
  const shift = observedMean(returns);
  const observed = pathStatistics(returns, undefined, sqrtPpy, shift);
  const resample = o.method === 'iid' ? (out: Int32Array) => fillIidIndices(out, rng) : (out: Int32Array) => fillStationaryIndices(out, o.blockLength, rng);
  const idx = new Int32Array(n);
  const totals = new Float64Array(o.simulations);
  const sharpes = new Float64Array(o.simulations);
  const drawdowns = new Float64Array(o.simulations);
  let losses = 0;
  for (let s = 0; s < o.simulations; s++) {
    const path = pathStatistics(returns, resample(idx), sqrtPpy, shift);
    totals[s] = path.totalReturn;
    sharpes[s] = path.sharpe;
    drawdowns[s] = path.maxDrawdown;
    if (path.totalReturn < 0) losses++;
    if (o.onProgress && ((s + 1) % PROGRESS_EVERY === 0 || s + 1 === o.simulations)) o.onProgress(s + 1, o.simulations);
  }
  totals.sort();
  sharpes.sort();
  drawdowns.sort();
  const perBar = tailLevels(Float64Array.from(returns).sort());
  return {
    method: o.method,
    simulations: o.simulations,
    bars: n,
    seed: o.seed,
    blockLength: o.blockLength,
    periodsPerYear: o.periodsPerYear,
    observed,
    totalReturn: summarise(totals),
    sharpe: summarise(sharpes),
    maxDrawdown: summarise(drawdowns),
    ...tailLevels(totals),
    perBarValueAtRisk: perBar.valueAtRisk,
    perBarConditionalValueAtRisk: perBar.conditionalValueAtRisk,
    probabilityOfLoss: losses / o.simulations,
    worstTotalReturn: totals[0]!,
    worstMaxDrawdown: drawdowns[o.simulations - 1]!,
    histogram: { totalReturn: thinSorted(totals, HISTOGRAM_VALUES), sharpe: thinSorted(sharpes, HISTOGRAM_VALUES), maxDrawdown: thinSorted(drawdowns, HISTOGRAM_VALUES) },
    ...(o.trades ? { tradeReshuffles: reshuffleTrades(o.trades, o.simulations, rng) } : {}),
  };
}

function observedMean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}
