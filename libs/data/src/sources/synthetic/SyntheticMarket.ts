import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import {
  alignOpenTime,
  allocateCandles,
  allocateTradeFlow,
  intervalMs,
  IntervalSchema,
  SymbolSchema,
  type FundingRate,
  type MarketBatch,
  type OpenInterest,
} from '../../market/schema';
import { Rng } from '../../random/Rng';

/** Latent market states of the generator (not the product's five regime labels, which features derive). */
export const SYNTHETIC_STATES = ['UPTREND', 'DOWNTREND', 'RANGE', 'VOL_BURST'] as const;
export type SyntheticState = (typeof SYNTHETIC_STATES)[number];

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;

/** Bars between a change of the hidden order-flow pressure and its effect on the price drift. */
export const PRESSURE_LAG = 3;
/** Drift of a bar's log return at `edge: 1` while the lagged pressure is ±1, in units of the calm σ per bar. */
export const PRESSURE_DRIFT = 0.4;
/** Shift of the taker buy share at `edge: 1` while the pressure is ±1. */
export const PRESSURE_FLOW = 0.1;
/** Shift of the 8-hourly funding rate at `edge: 1` while the pressure is ±1 (1 bp). */
const PRESSURE_FUNDING = 0.0001;
/** Mean holding time of each pressure state, hours. */
export const PRESSURE_MEAN_HOURS = 24;

/**
 * Options of the synthetic market. The knobs that matter for honest research are `signal` and
 * `edge`: the market is a martingale (no bar's log return has a predictable mean) iff both are 0.
 */
export const SyntheticMarketOptionsSchema = z.object({
  symbol: SymbolSchema.default('BTCUSDT'),
  interval: IntervalSchema.default('1h'),
  /** First bar's open time, epoch ms (aligned down to the interval). @default 2024-01-01T00:00:00Z */
  start: z.number().int().nonnegative().default(Date.UTC(2024, 0, 1)),
  /** Number of bars. */
  bars: z.number().int().positive().max(50_000_000),
  /** @default 42 */
  seed: z.number().int().default(42),
  /**
   * How much learnable, regime-dependent signal the returns carry, in [0, 1].
   * - 0: trends, mean reversion and funding pressure are all switched off. With `edge: 0` too, the
   *   log return of every bar has conditional mean exactly 0 given the whole past (a martingale):
   *   direction is unpredictable, so any model that beats chance on it has leaked the future.
   * - 1: trends drift by 0.08 σ per bar, ranges mean-revert to their anchor at 3 % of the gap per bar.
   * Values between scale both linearly.
   * @default 0.5
   */
  signal: z.number().min(0).max(1).default(0.5),
  /**
   * Informed order flow that leads price, in [0, 1]. A hidden pressure q ∈ {−1, 0, +1} (a
   * semi-Markov chain with geometric holding, mean 24 h in each state; from 0 to ±1 with equal
   * probability, from ±1 back to 0, so q ≠ 0 half of the time) shows at once in the taker buy
   * share (+0.1·edge·q_t) and in funding (+1 bp·edge·q), and moves the price PRESSURE_LAG = 3 bars
   * later: bar t's log return gains a drift of 0.4·edge·σ·q_{t−3} (σ the calm per-bar volatility).
   * Taker-flow features (taker buy / volume over 1 and 20 bars) therefore predict the next bars'
   * returns, causally: nothing in bar t depends on a later bar.
   * - 0: no pressure in flow, funding or price; the market is bit-identical to the generator
   *   before this knob existed. The pressure has its own random stream, and the main stream makes
   *   the same draws whatever the edge, so states and noise are the same for every edge at a seed.
   * - 0.25: weak (an ideal trader nets Sharpe ≈ 3 after 15 bps per side, a simple flow rule ≈ 0).
   * - 0.5: clearly tradeable (ideal ≈ 8; a 20-bar taker-ratio rule ≈ 4 after costs).
   * - 1: strong (ideal ≈ 19). See `oracleStrategy` for the measurements.
   * With `signal` > 0, ranges mean-revert part of the pressure drift.
   * The hidden pressure is returned as `pressure`, whatever the edge.
   * @default 0
   */
  edge: z.number().min(0).max(1).default(0),
  /**
   * Volatility regimes (bursts at 3× σ) and jumps. With `signal: 0` and this false, log returns are
   * i.i.d. Gaussian: a pure random walk. @default true
   */
  volatilityRegimes: z.boolean().default(true),
  /** Annualised volatility of log returns outside bursts. @default 0.6 */
  annualVolatility: z.number().positive().default(0.6),
  /** Price of the first bar's open. @default 40000 */
  startPrice: z.number().positive().default(40_000),
  /** Mean base-asset volume per hour. @default 1000 */
  hourlyVolume: z.number().positive().default(1_000),
});
export type SyntheticMarketOptions = z.input<typeof SyntheticMarketOptionsSchema>;

/** Expected durations of each latent state, in hours (the chain is a semi-Markov with geometric holding). */
const MEAN_DURATION_HOURS: Record<SyntheticState, number> = { UPTREND: 84, DOWNTREND: 84, RANGE: 120, VOL_BURST: 8 };
/** Probability of moving to each next state when leaving one. */
const NEXT_STATE: Record<SyntheticState, readonly number[]> = {
  UPTREND: [0, 0.3, 0.5, 0.2],
  DOWNTREND: [0.3, 0, 0.5, 0.2],
  RANGE: [0.4, 0.4, 0, 0.2],
  VOL_BURST: [0.35, 0.35, 0.3, 0],
};

/** Intraday volume cycle by UTC hour: busiest around 14:00, quietest around 02:00. */
const SEASONAL = Float64Array.from({ length: 24 }, (_, h) => 1 + 0.3 * Math.sin((2 * Math.PI * (h - 8)) / 24));

/** A generated market plus the latent states (kept for tests and for checking regime detectors). */
export interface SyntheticMarket extends MarketBatch {
  states: Uint8Array;
  /** Hidden order-flow pressure q_t ∈ {−1, 0, +1} of each bar (drawn even at `edge: 0`, where it has no effect). */
  pressure: Int8Array;
  /** Calm σ of one bar's log return (the unit of the pressure drift). */
  sigma: number;
  /** The `edge` the market was generated with. */
  edge: number;
}

/**
 * Generates a deterministic, seeded regime-switching market: candles with every Binance kline
 * field, taker flow, trade flow, funding rates (every 8 h) and open interest (every max(interval, 5 m)).
 */
export function generateSyntheticMarket(input: SyntheticMarketOptions): SyntheticMarket {
  const parsed = SyntheticMarketOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(`synthetic market option '${issue.path.join('.')}': ${issue.message}`);
  }
  const o = parsed.data;
  const step = intervalMs(o.interval);
  const n = o.bars;
  const rng = new Rng(o.seed);
  const sigma = o.annualVolatility * Math.sqrt(step / YEAR);
  const hoursPerBar = step / HOUR;
  const volumePerBar = o.hourlyVolume * hoursPerBar;

  const candles = allocateCandles(n);
  const flow = allocateTradeFlow(n);
  const states = new Uint8Array(n);
  const pressure = pressureChain(n, hoursPerBar, o.seed);
  const edge = o.edge;

  let state = 2; // RANGE
  let logPrice = Math.log(o.startPrice);
  let anchor = logPrice;
  const start = alignOpenTime(o.start, o.interval);

  for (let i = 0; i < n; i++) {
    state = nextState(state, hoursPerBar, rng);
    states[i] = state;
    const burst = o.volatilityRegimes && state === 3 ? 3 : 1;
    const s = sigma * burst;

    // Conditional mean of the bar's log return: only `signal` makes it non-zero.
    let mu = 0;
    if (state === 0) mu = 0.08 * o.signal * sigma;
    else if (state === 1) mu = -0.08 * o.signal * sigma;
    else if (state === 2) mu = -0.03 * o.signal * (logPrice - anchor);
    if (state !== 2) anchor = logPrice; // a range mean-reverts to where it began
    // Informed flow: the price follows the pressure PRESSURE_LAG bars late.
    if (edge > 0 && i >= PRESSURE_LAG) mu += edge * PRESSURE_DRIFT * sigma * pressure[i - PRESSURE_LAG]!;

    let r = mu + s * rng.normal();
    // Jumps: symmetric, zero mean, so they add no predictable direction.
    if (o.volatilityRegimes && rng.uniform() < 0.002 * hoursPerBar) r += 6 * sigma * rng.normal();

    const open = Math.exp(logPrice);
    logPrice += r;
    const close = Math.exp(logPrice);
    // High/low beyond the body: half-normal excursions scaled by the bar's σ.
    const high = Math.max(open, close) * Math.exp(0.5 * s * Math.abs(rng.normal()));
    const low = Math.min(open, close) * Math.exp(-0.5 * s * Math.abs(rng.normal()));

    // Volume: log-normal noise, more in bursts and on large moves, with an intraday cycle.
    const openTime = start + i * step;
    const seasonal = SEASONAL[Math.floor(openTime / HOUR) % 24]!;
    const volume = volumePerBar * seasonal * (burst === 3 ? 2.5 : 1) * (1 + Math.abs(r) / s) * Math.exp(0.3 * rng.normal() - 0.045);
    const typical = (open + high + low + close) / 4;
    // Taker buy share leans with the bar's own move (contemporaneous, not predictive) and, with
    // `edge`, with the current pressure (predictive: the price follows PRESSURE_LAG bars later).
    let share = 0.5 + 0.08 * Math.tanh(r / s) + 0.03 * rng.normal();
    if (edge > 0) share += edge * PRESSURE_FLOW * pressure[i]!;
    const buyShare = clamp(share, 0.05, 0.95);
    const trades = Math.max(1, Math.round((volume / 0.05) * Math.exp(0.2 * rng.normal())));
    const takerBuyBase = volume * buyShare;

    candles.openTime[i] = openTime;
    candles.open[i] = open;
    candles.high[i] = high;
    candles.low[i] = low;
    candles.close[i] = close;
    candles.volume[i] = volume;
    candles.closeTime[i] = openTime + step - 1;
    candles.quoteVolume[i] = volume * typical;
    candles.trades[i] = trades;
    candles.takerBuyBaseVolume[i] = takerBuyBase;
    candles.takerBuyQuoteVolume[i] = takerBuyBase * typical;

    flow.openTime[i] = openTime;
    flow.buyVolume[i] = takerBuyBase;
    flow.sellVolume[i] = volume - takerBuyBase;
    flow.buyTrades[i] = Math.round(trades * buyShare);
    flow.sellTrades[i] = trades - flow.buyTrades[i]!;
    flow.largeTradeVolume[i] = volume * clamp(0.15 + (burst === 3 ? 0.1 : 0) + 0.05 * rng.normal(), 0, 1);
  }

  return {
    symbol: o.symbol,
    interval: o.interval,
    candles,
    tradeFlow: flow,
    funding: fundingSeries(candles.openTime, candles.close, step, o.signal, rng, edge, pressure),
    openInterest: openInterestSeries(candles.openTime, candles.close, step, rng),
    states,
    pressure,
    sigma,
    edge,
  };
}

/**
 * The hidden pressure chain, from its own random stream so that adding it left the main stream
 * (and so every market at `edge: 0`) untouched. Starts at 0; leaves each state with probability
 * 1 − exp(−hoursPerBar / 24) per bar; 0 goes to ±1 with equal probability, ±1 goes back to 0.
 */
function pressureChain(n: number, hoursPerBar: number, seed: number): Int8Array {
  const rng = new Rng(pressureSeed(seed));
  const leave = 1 - Math.exp(-hoursPerBar / PRESSURE_MEAN_HOURS);
  const out = new Int8Array(n);
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (rng.uniform() < leave) q = q !== 0 ? 0 : rng.uniform() < 0.5 ? 1 : -1;
    out[i] = q;
  }
  return out;
}

/**
 * Seed of the pressure stream. xoroshiro128+ seeded from nearby integers gives correlated first
 * draws, so the seed goes through murmur3's 32-bit finaliser first.
 */
function pressureSeed(seed: number): number {
  let h = (seed ^ 0x5eed) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function nextState(state: number, hoursPerBar: number, rng: Rng): number {
  const name = SYNTHETIC_STATES[state]!;
  const leave = 1 - Math.exp(-hoursPerBar / MEAN_DURATION_HOURS[name]);
  if (rng.uniform() >= leave) return state;
  const u = rng.uniform();
  const probs = NEXT_STATE[name];
  let acc = 0;
  for (let j = 0; j < probs.length; j++) {
    acc += probs[j]!;
    if (u < acc) return j;
  }
  return state;
}

/**
 * Funding every 8 h at 00:00/08:00/16:00 UTC: a base rate plus pressure from the trailing 8 h
 * return and, with `edge`, from the order-flow pressure of the bar the mark price closes.
 */
function fundingSeries(openTime: Float64Array, close: Float64Array, step: number, signal: number, rng: Rng, edge: number, pressure: Int8Array): FundingRate[] {
  const period = 8 * HOUR;
  const out: FundingRate[] = [];
  const n = openTime.length;
  if (n === 0) return out;
  let j = 0;
  for (let t = Math.ceil(openTime[0]! / period) * period; t <= openTime[n - 1]!; t += period) {
    while (j + 1 < n && openTime[j + 1]! <= t) j++;
    const back = Math.max(0, j - Math.round(period / step));
    const trailing = Math.log(close[j]! / close[back]!);
    let rate = 0.0001 + 0.05 * signal * trailing + 0.00005 * rng.normal();
    if (edge > 0) rate += edge * PRESSURE_FUNDING * pressure[j]!;
    out.push({ fundingTime: t, fundingRate: Math.round(rate * 1e8) / 1e8, markPrice: close[j]! });
  }
  return out;
}

/** Open interest per max(interval, 5 m): a log random walk in contracts, valued at the close. */
function openInterestSeries(openTime: Float64Array, close: Float64Array, step: number, rng: Rng): OpenInterest[] {
  const period = Math.max(step, 5 * 60_000);
  const out: OpenInterest[] = [];
  let logOi = Math.log(50_000);
  for (let i = 0; i < openTime.length; i++) {
    const t = openTime[i]! + step; // reported at the bar's close
    if (t % period !== 0) continue;
    logOi += 0.01 * Math.sqrt(period / HOUR) * rng.normal();
    const oi = Math.exp(logOi);
    out.push({ time: t, sumOpenInterest: oi, sumOpenInterestValue: oi * close[i]! });
  }
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
