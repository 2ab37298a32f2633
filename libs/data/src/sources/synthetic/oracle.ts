import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { intervalMs } from '../../market/schema';
import { generateSyntheticMarket, PRESSURE_DRIFT, PRESSURE_LAG, PRESSURE_MEAN_HOURS, type SyntheticMarket, type SyntheticMarketOptions } from './SyntheticMarket';

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;

export const OracleOptionsSchema = z.object({
  /** Exchange fee per side, basis points of the traded notional. @default 10 */
  feeBps: z.number().nonnegative().default(10),
  /** Slippage per side, basis points. @default 5 */
  slippageBps: z.number().nonnegative().default(5),
  /** The oracle holds sign(q_{t−lag}) during bar t. @default PRESSURE_LAG (3), the generator's lag */
  lag: z.number().int().nonnegative().default(PRESSURE_LAG),
});
export type OracleOptions = z.input<typeof OracleOptionsSchema>;

export interface OracleResult {
  /** Position held during each bar: sign(q_{t−lag}), 0 for the first `lag` bars. */
  position: Int8Array;
  /** Per-bar simple return before costs: position · (close/open − 1). */
  grossReturns: Float64Array;
  /** Per-bar return after costs: gross − (fee + slippage) · |position change| at the bar's open. */
  netReturns: Float64Array;
  periodsPerYear: number;
  /** Annualised Sharpe, mean / sd (ddof 1) · √periodsPerYear; 0 when the sd is 0. */
  grossSharpe: number;
  netSharpe: number;
  /** Sides traded (sum of |position change|). */
  turnover: number;
  /**
   * Closed-form expectations per bar, exact in log returns when `signal` is 0 and the lag is the
   * generator's (to first order in simple returns otherwise; range mean reversion at `signal` > 0
   * gives some of the pressure drift back): gross = edge·PRESSURE_DRIFT·σ·P(q ≠ 0) with P(q ≠ 0) = ½ in the
   * stationary chain; cost = (fee + slippage)·P(the pressure changes in a bar), where every change
   * moves the position by one unit.
   */
  expected: { grossPerBar: number; costPerBar: number; netPerBar: number };
}

/**
 * The ideal trader of a synthetic market: it knows the hidden order-flow pressure and holds
 * sign(q_{t−lag}) through bar t. q_{t−3} is settled three bars before bar t opens, so this is
 * causal for such a trader; it is the ceiling of what a model reading the flow could earn.
 * Every position change pays fee + slippage per unit at the bar's open; the last position is
 * not closed out.
 *
 * Measured on 8,760 1h bars (one year), seed 42, other options at their defaults (signal 0.5,
 * volatility regimes), 10 + 5 bps per side; annualised Sharpe gross / net:
 *
 * | edge | gross | net   |
 * |------|-------|-------|
 * | 0    | −1.14 | −2.17 |
 * | 0.25 |  4.15 |  3.12 |
 * | 0.5  |  9.40 |  8.37 |
 * | 1    | 19.59 | 18.57 |
 *
 * (344 position changes in the year. At edge 0 the gross figure is noise: one year's Sharpe has a
 * standard error of about 1.)
 */
export function oracleStrategy(market: SyntheticMarket, options: OracleOptions = {}): OracleResult {
  const o = parseOptions(options);
  const c = market.candles;
  const n = c.length;
  const cost = (o.feeBps + o.slippageBps) / 10_000;
  const position = new Int8Array(n);
  const grossReturns = new Float64Array(n);
  const netReturns = new Float64Array(n);
  let previous = 0;
  let turnover = 0;
  for (let t = 0; t < n; t++) {
    const p = t >= o.lag ? Math.sign(market.pressure[t - o.lag]!) : 0;
    position[t] = p;
    const traded = Math.abs(p - previous);
    turnover += traded;
    grossReturns[t] = p * (c.close[t]! / c.open[t]! - 1);
    netReturns[t] = grossReturns[t]! - cost * traded;
    previous = p;
  }
  const step = intervalMs(market.interval);
  const periodsPerYear = YEAR / step;
  const grossPerBar = (o.lag === PRESSURE_LAG ? market.edge * PRESSURE_DRIFT * market.sigma : 0) * 0.5;
  const costPerBar = cost * (1 - Math.exp(-step / HOUR / PRESSURE_MEAN_HOURS));
  return {
    position,
    grossReturns,
    netReturns,
    periodsPerYear,
    grossSharpe: sharpe(grossReturns, periodsPerYear),
    netSharpe: sharpe(netReturns, periodsPerYear),
    turnover,
    expected: { grossPerBar, costPerBar, netPerBar: grossPerBar - costPerBar },
  };
}

/** Generates a synthetic market and evaluates the oracle on it. */
export function oracleSharpe(market: SyntheticMarketOptions, options: OracleOptions = {}): OracleResult {
  return oracleStrategy(generateSyntheticMarket(market), options);
}

/** Annualised Sharpe ratio: mean / sd (ddof 1) · √periodsPerYear; 0 for fewer than 2 returns or sd 0. */
export function sharpe(returns: Float64Array, periodsPerYear: number): number {
  const n = returns.length;
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += returns[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (returns[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  return sd === 0 ? 0 : (mean / sd) * Math.sqrt(periodsPerYear);
}

function parseOptions(options: OracleOptions): z.output<typeof OracleOptionsSchema> {
  const parsed = OracleOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(`oracle option '${issue.path.join('.')}': ${issue.message}`);
  }
  return parsed.data;
}
