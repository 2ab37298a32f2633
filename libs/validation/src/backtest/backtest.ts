import { checkBars, checkDecisions, checkFunding, compileBacktestOptions, type BacktestOptions, type BacktestSettings } from './options';
import { performanceMetrics, type PerformanceMetrics } from './metrics';

/**
 * A backtest of the governor's decisions under the triple-barrier exits of the run's labels
 * (libs/features/src/labels/tripleBarrier.ts), with fees, slippage and perpetual funding.
 *
 * Conventions, written once:
 *
 * - **Fills.** The decision at bar t is known at t's CLOSE and filled at bar t+1's OPEN, never on
 *   bar t itself. A decision on the last bar is not filled.
 * - **Signals.** BUY opens a long, SELL a short, when flat. HOLD opens nothing and does NOT close an
 *   open position. A same-direction signal while in a position is ignored (no pyramiding, no
 *   barrier reset). One position at a time. A signal is judged against the state at its close:
 *   after an exit during bar t or at its close, the decision at t may open the next position.
 * - **Barriers**, as the labels: E = the open of bar t+1 before slippage, ATR_t from the signal bar;
 *   take-profit E + side·tpMult·ATR_t, stop-loss E − side·slMult·ATR_t (shortBarriers 'label': a
 *   short swaps the two distances, as a long-only label's −1 reads). Touches are checked on bars
 *   t+1 … t+holdingBars in order: a bar that OPENS at or beyond a barrier exits at its open (a gap:
 *   worse than the stop, better than the target); else low/high at or beyond a barrier exits at the
 *   barrier level; a bar touching both exits at the stop-loss (the order inside a bar is unknown).
 *   No touch: exit at the close of bar t+holdingBars ('vertical').
 * - **Opposite signal** at bar j's close (position still open): exit at bar j+1's open and open the
 *   opposite position at that same open (a reversal; both fills pay costs). When bar j+1 also opens
 *   through a barrier, the exit is reported as that barrier (same price).
 * - **End of data**: a position still open after the last bar is closed at its close ('end_of_data').
 * - **Costs** per side: slippage moves the fill against the trader (buy at p·(1 + s), sell at
 *   p·(1 − s)); the fee is feeBps of the traded notional. Trade.entryPrice / exitPrice are these
 *   fill prices; the barrier levels come from the unslipped open.
 * - **Sizing**: 1×, a fixed quantity q = equity at entry / entry fill price, not rebalanced. With
 *   fee rate f, side σ, fills Ep and Xp, the trade's net return (on the equity at entry) is
 *   σ·(Xp/Ep − 1) − f·(1 + Xp/Ep) + funding; grossReturn = σ·(X/E − 1) on the unslipped prices;
 *   costs = grossReturn + funding − netReturn (slippage and both fees, > 0).
 * - **Funding**: each event with time in (entry fill time, exit fill time] moves −σ·rate × the
 *   notional at entry (a long pays a positive rate, a short receives it). Fill times: openTime of
 *   the bar for fills at the open, closeTime for touches inside a bar and closes. An event belongs
 *   to the last bar whose openTime is <= its time.
 * - **Per-bar returns** are mark-to-market on equity: the equity of an open trade at price P is
 *   1 − f + σ·(P/Ep − 1) + funding so far (in units of the equity at entry), marked at each close,
 *   and at the exit 1 + netReturn. So the entry bar returns from the entry fill to the close minus
 *   the entry fee, then close to close, and the exit bar from the previous close to the exit fill
 *   minus the exit fee. Compounding a trade's bars gives exactly 1 + netReturn; a reversal bar
 *   compounds the two trades' parts. A flat bar returns 0.
 * - **position[j]** is the side held at any moment of bar j, its open included (so a trade that exits
 *   at bar j's open still marks j; at a reversal j shows the new side). Trade.bars = exitBar −
 *   entryBar + 1 counts the same bars.
 */

/** Price bars: epoch-ms times and prices, one Float64Array per column. `CandleColumns` fits. */
export interface BacktestBars {
  readonly openTime: Float64Array;
  readonly closeTime: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

export type ExitReason = 'take_profit' | 'stop_loss' | 'vertical' | 'opposite_signal' | 'end_of_data';

export interface Trade {
  readonly side: 1 | -1;
  /** Bar whose close gave the signal. */
  readonly signalBar: number;
  /** signalBar + 1: filled at its open. */
  readonly entryBar: number;
  /** openTime of the entry bar (epoch ms). */
  readonly entryTime: number;
  /** Entry fill price, slippage included. */
  readonly entryPrice: number;
  readonly exitBar: number;
  /** Exit fill time: openTime of the exit bar for fills at the open, else its closeTime. */
  readonly exitTime: number;
  /** Exit fill price, slippage included. */
  readonly exitPrice: number;
  readonly exitReason: ExitReason;
  /** side·(exit/entry − 1) on the unslipped prices. */
  readonly grossReturn: number;
  /** Slippage and both fees, as a fraction of the equity at entry (> 0). */
  readonly costs: number;
  /** Funding received (> 0) or paid (< 0), as a fraction of the equity at entry. */
  readonly funding: number;
  /** grossReturn − costs + funding: the change of equity over the trade. */
  readonly netReturn: number;
  /** exitBar − entryBar + 1. */
  readonly bars: number;
}

export interface BacktestResult {
  /** Per-bar mark-to-market simple return on equity, one per bar. */
  readonly returns: Float64Array;
  /** Side held during each bar (see the conventions). */
  readonly position: Int8Array;
  readonly trades: Trade[];
  readonly metrics: PerformanceMetrics;
}

export type { BacktestOptions };

/**
 * Backtests `decisions` (−1 SELL, 0 HOLD, +1 BUY, one per bar, known at the bar's close).
 *
 * ```ts
 * const a = atr(bars.high, bars.low, bars.close, 14);
 * const { returns, trades, metrics } = backtest(bars, decisions, { tpMult: 2, slMult: 1, holdingBars: 24, atr: a, periodsPerYear: periodsPerYear(3_600_000) });
 * ```
 */
export function backtest(bars: BacktestBars, decisions: Int8Array, options: BacktestOptions): BacktestResult {
  const o = compileBacktestOptions(options);
  const n = checkBars(bars);
  checkDecisions(decisions, o.atr, bars, n);
  checkFunding(o.funding);
  const fund = fundingOf(bars, o);
  const trades = simulate(bars, decisions, o, fund);
  const { returns, position } = markToMarket(bars, trades, o, fund);
  return { returns, position, trades, metrics: performanceMetrics(returns, { periodsPerYear: o.periodsPerYear, trades, position }) };
}

interface OpenPosition {
  readonly side: 1 | -1;
  readonly signalBar: number;
  readonly entryBar: number;
  /** Unslipped entry (the open of the entry bar). */
  readonly entry: number;
  readonly takeProfit: number;
  readonly stopLoss: number;
  /** Bar of the vertical barrier: signalBar + holdingBars. */
  readonly lastBar: number;
}

interface Exit {
  readonly price: number;
  readonly reason: 'take_profit' | 'stop_loss';
}

/** The event loop: at each bar's open, gaps and pending orders; during the bar, touches; at its close, the vertical barrier and the decision. */
function simulate(bars: BacktestBars, decisions: Int8Array, o: BacktestSettings, fund: FundingEvents): Trade[] {
  const { open, high, low, close } = bars;
  const n = open.length;
  const trades: Trade[] = [];
  let pos: OpenPosition | undefined;
  let pending = 0; // side to open at this bar's open (a reversal when pos is the other side)
  for (let j = 0; j < n; j++) {
    if (pos !== undefined) {
      const gap = gapExit(pos, open[j]!);
      if (gap !== undefined || pending === -pos.side) {
        trades.push(closeTrade(pos, j, gap?.price ?? open[j]!, gap?.reason ?? 'opposite_signal', true, bars, o, fund));
        pos = undefined;
      }
    }
    if (pending !== 0 && pos === undefined) pos = openPosition(pending as 1 | -1, j, open[j]!, o);
    pending = 0;
    if (pos !== undefined) {
      const touch = touchExit(pos, high[j]!, low[j]!);
      if (touch !== undefined) {
        trades.push(closeTrade(pos, j, touch.price, touch.reason, false, bars, o, fund));
        pos = undefined;
      } else if (j === pos.lastBar) {
        trades.push(closeTrade(pos, j, close[j]!, 'vertical', false, bars, o, fund));
        pos = undefined;
      }
    }
    const d = decisions[j]!;
    if (d !== 0 && j + 1 < n && (pos === undefined || d === -pos.side)) pending = d;
  }
  if (pos !== undefined) trades.push(closeTrade(pos, n - 1, close[n - 1]!, 'end_of_data', false, bars, o, fund));
  return trades;
}

function openPosition(side: 1 | -1, bar: number, entry: number, o: BacktestSettings): OpenPosition {
  const a = o.atr[bar - 1]!;
  const [tp, sl] = side === -1 && o.shortBarriers === 'label' ? [o.slMult, o.tpMult] : [o.tpMult, o.slMult];
  return { side, signalBar: bar - 1, entryBar: bar, entry, takeProfit: entry + side * tp * a, stopLoss: entry - side * sl * a, lastBar: bar - 1 + o.holdingBars };
}

/** A bar opening at or beyond a barrier exits at its open. */
function gapExit(p: OpenPosition, o: number): Exit | undefined {
  if (p.side * (p.stopLoss - o) >= 0) return { price: o, reason: 'stop_loss' };
  if (p.side * (o - p.takeProfit) >= 0) return { price: o, reason: 'take_profit' };
  return undefined;
}

/** A touch inside the bar exits at the barrier; the stop-loss is checked first (it wins a two-sided bar). */
function touchExit(p: OpenPosition, high: number, low: number): Exit | undefined {
  const adverse = p.side > 0 ? low : high;
  const favourable = p.side > 0 ? high : low;
  if (p.side * (p.stopLoss - adverse) >= 0) return { price: p.stopLoss, reason: 'stop_loss' };
  if (p.side * (favourable - p.takeProfit) >= 0) return { price: p.takeProfit, reason: 'take_profit' };
  return undefined;
}

/** Funding events with the bar each belongs to (the last bar whose openTime is <= the event time). */
interface FundingEvents {
  readonly time: Float64Array;
  readonly rate: Float64Array;
  readonly bar: Int32Array;
}

function fundingOf(bars: BacktestBars, o: BacktestSettings): FundingEvents {
  const time = o.funding?.time ?? new Float64Array(0);
  const rate = o.funding?.rate ?? new Float64Array(0);
  const bar = new Int32Array(time.length);
  let j = -1;
  for (let e = 0; e < time.length; e++) {
    while (j + 1 < bars.openTime.length && bars.openTime[j + 1]! <= time[e]!) j++;
    bar[e] = j;
  }
  return { time, rate, bar };
}

/** Index of the first event with time > t. */
function firstEventAfter(f: FundingEvents, t: number): number {
  let lo = 0;
  let hi = f.time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (f.time[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function slipped(price: number, buy: boolean, o: BacktestSettings): number {
  const s = o.slippageBps / 10_000;
  return buy ? price * (1 + s) : price * (1 - s);
}

function closeTrade(p: OpenPosition, exitBar: number, exit: number, reason: ExitReason, atOpen: boolean, bars: BacktestBars, o: BacktestSettings, fund: FundingEvents): Trade {
  const f = o.feeBps / 10_000;
  const entryPrice = slipped(p.entry, p.side > 0, o);
  const exitPrice = slipped(exit, p.side < 0, o);
  const entryTime = bars.openTime[p.entryBar]!;
  const exitTime = atOpen ? bars.openTime[exitBar]! : bars.closeTime[exitBar]!;
  let funding = 0;
  for (let e = firstEventAfter(fund, entryTime); e < fund.time.length && fund.time[e]! <= exitTime; e++) funding -= p.side * fund.rate[e]!;
  const growth = exitPrice / entryPrice;
  const afterCosts = p.side * (growth - 1) - f * (1 + growth);
  const grossReturn = p.side * (exit / p.entry - 1);
  return {
    side: p.side,
    signalBar: p.signalBar,
    entryBar: p.entryBar,
    entryTime,
    entryPrice,
    exitBar,
    exitTime,
    exitPrice,
    exitReason: reason,
    grossReturn,
    costs: grossReturn - afterCosts,
    funding,
    netReturn: afterCosts + funding,
    bars: exitBar - p.entryBar + 1,
  };
}

/** Per-bar returns from the trades' equity marked at each close (see the conventions), and the position. */
function markToMarket(bars: BacktestBars, trades: readonly Trade[], o: BacktestSettings, fund: FundingEvents): { returns: Float64Array; position: Int8Array } {
  const n = bars.open.length;
  const f = o.feeBps / 10_000;
  const growth = new Float64Array(n).fill(1);
  const position = new Int8Array(n);
  for (const t of trades) {
    let e = firstEventAfter(fund, t.entryTime);
    let funding = 0;
    let before = 1;
    for (let k = t.entryBar; k <= t.exitBar; k++) {
      position[k] = t.side; // a later trade (a reversal) overwrites the shared bar
      let equity: number;
      if (k < t.exitBar) {
        for (; e < fund.time.length && fund.bar[e]! <= k; e++) funding -= t.side * fund.rate[e]!;
        equity = 1 - f + t.side * (bars.close[k]! / t.entryPrice - 1) + funding;
      } else {
        equity = 1 + t.netReturn;
      }
      growth[k]! *= equity / before;
      before = equity;
    }
  }
  const returns = new Float64Array(n);
  for (let k = 0; k < n; k++) returns[k] = growth[k]! - 1;
  return { returns, position };
}
