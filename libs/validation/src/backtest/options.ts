import { z } from 'zod';
import { InvalidStatisticsInputError } from '../errors';
import type { BacktestBars } from './backtest';

/**
 * The backtest's options schema and input checks. Every message starts with "backtest" and names
 * the field, the row (with its open time where there is one) and the value.
 */

const float64 = z.custom<Float64Array>((v) => v instanceof Float64Array, { error: 'must be a Float64Array' });

export const BacktestOptionsSchema = z
  .strictObject({
    /** Take-profit distance in ATRs at the signal bar (> 0). */
    tpMult: z.number({ error: 'must be a finite number' }).gt(0, 'must be > 0'),
    /** Stop-loss distance in ATRs at the signal bar (> 0). */
    slMult: z.number({ error: 'must be a finite number' }).gt(0, 'must be > 0'),
    /**
     * Barriers of a short: `mirrored` (take-profit tpMult·ATR below, stop slMult·ATR above) or
     * `label` — the barriers of a long-only triple-barrier label, whose −1 means "down slMult·ATR
     * before up tpMult·ATR": a short predicted from it takes profit slMult·ATR below and stops
     * tpMult·ATR above. With tpMult = slMult both are the same. @default mirrored
     */
    shortBarriers: z.enum(['mirrored', 'label']).default('mirrored'),
    /** Vertical barrier: bars held after the signal bar (integer >= 1). */
    holdingBars: z.int({ error: 'must be an integer' }).min(1, 'must be >= 1'),
    /** ATR at every bar (same length as the bars): the volatility scale of the barriers. */
    atr: float64,
    /** Fee per side, in basis points of the traded notional (>= 0). @default 10 */
    feeBps: z.number({ error: 'must be a finite number' }).min(0, 'must be >= 0').default(10),
    /** Slippage per side, in basis points of the price: buys fill higher, sells lower (in [0, 10000)). @default 5 */
    slippageBps: z.number({ error: 'must be a finite number' }).min(0, 'must be >= 0').lt(10_000, 'must be < 10000 (a sell would fill at or below 0)').default(5),
    /** Perpetual funding events: epoch-ms times (sorted) and the rate of each event. */
    funding: z.strictObject({ time: float64, rate: float64 }).optional(),
    /** Periods in a year, for the annualised metrics (> 0), e.g. periodsPerYear(3_600_000) = 8760. */
    periodsPerYear: z.number({ error: 'must be a finite number' }).gt(0, 'must be > 0'),
  })
  .superRefine((o, ctx) => {
    if (o.funding && o.funding.time.length !== o.funding.rate.length) {
      ctx.addIssue({ code: 'custom', path: ['funding'], message: `funding.time has ${o.funding.time.length} events but funding.rate has ${o.funding.rate.length}` });
    }
  });
export type BacktestOptions = z.input<typeof BacktestOptionsSchema>;
/** Options after defaults. */
export type BacktestSettings = z.output<typeof BacktestOptionsSchema>;

/** Parses the options; on failure throws InvalidStatisticsInputError naming the field and its value. */
export function compileBacktestOptions(options: BacktestOptions): BacktestSettings {
  const parsed = BacktestOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') throw new InvalidStatisticsInputError(`backtest: unknown option ${issue.keys.map((k) => `'${k}'`).join(', ')}`);
  const field = issue.path.join('.');
  const value = issue.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), options);
  const got = value === undefined || typeof value === 'object' ? '' : ` (got ${String(value)})`;
  throw new InvalidStatisticsInputError(`backtest option '${field}': ${issue.message}${got}`);
}

const BAR_FIELDS = ['openTime', 'closeTime', 'open', 'high', 'low', 'close'] as const;

/** Checks the bars: Float64Array columns of one length, finite, positive and self-consistent prices, increasing times. Returns the length. */
export function checkBars(bars: BacktestBars): number {
  for (const f of BAR_FIELDS) {
    const c = (bars as unknown as Record<string, unknown>)[f];
    if (!(c instanceof Float64Array)) throw new InvalidStatisticsInputError(`backtest: bars.${f} must be a Float64Array, got ${c === undefined ? 'undefined' : (c as object).constructor?.name ?? typeof c}`);
  }
  const n = bars.openTime.length;
  for (const f of BAR_FIELDS) {
    if (bars[f].length !== n) throw new InvalidStatisticsInputError(`backtest: bars.${f} has ${bars[f].length} rows but bars.openTime has ${n}`);
  }
  const { openTime, closeTime, open, high, low, close } = bars;
  for (let i = 0; i < n; i++) {
    const t = openTime[i]!;
    if (!Number.isFinite(t)) throw new InvalidStatisticsInputError(`backtest: bars.openTime[${i}] is ${t}`);
    if (i > 0 && !(t > openTime[i - 1]!)) throw new InvalidStatisticsInputError(`backtest: bars.openTime[${i}] = ${t} is not after bars.openTime[${i - 1}] = ${openTime[i - 1]}`);
    const at = `row ${i} (openTime ${new Date(t).toISOString()})`;
    const ct = closeTime[i]!;
    if (!(ct >= t && (i + 1 === n || ct <= openTime[i + 1]!))) throw new InvalidStatisticsInputError(`backtest: bars.closeTime at ${at} is ${ct}: must be finite, >= its openTime and <= the next bar's openTime`);
    for (const f of ['open', 'high', 'low', 'close'] as const) {
      const p = bars[f][i]!;
      if (!(Number.isFinite(p) && p > 0)) throw new InvalidStatisticsInputError(`backtest: bars.${f} at ${at} is ${p}: prices must be finite and > 0`);
    }
    const lo = low[i]!;
    const hi = high[i]!;
    if (!(lo <= open[i]! && lo <= close[i]! && hi >= open[i]! && hi >= close[i]!)) {
      throw new InvalidStatisticsInputError(`backtest: bars at ${at} are inconsistent: low ${lo} and high ${hi} must bracket open ${open[i]} and close ${close[i]}`);
    }
  }
  return n;
}

/** Checks the decisions (one of −1, 0, 1 per bar) and the ATR at every BUY / SELL (finite and > 0: the barriers' scale). */
export function checkDecisions(decisions: Int8Array, atr: Float64Array, bars: BacktestBars, n: number): void {
  if (!(decisions instanceof Int8Array)) throw new InvalidStatisticsInputError(`backtest: decisions must be an Int8Array (−1 SELL, 0 HOLD, +1 BUY), got ${(decisions as object)?.constructor?.name ?? typeof decisions}`);
  if (decisions.length !== n) throw new InvalidStatisticsInputError(`backtest: decisions has ${decisions.length} rows but bars.openTime has ${n}`);
  if (atr.length !== n) throw new InvalidStatisticsInputError(`backtest: option 'atr' has ${atr.length} rows but bars.openTime has ${n}`);
  for (let i = 0; i < n; i++) {
    const d = decisions[i]!;
    if (d === 0) continue;
    const at = `row ${i} (openTime ${new Date(bars.openTime[i]!).toISOString()})`;
    if (d !== 1 && d !== -1) throw new InvalidStatisticsInputError(`backtest: decisions at ${at} is ${d}: must be −1 (SELL), 0 (HOLD) or 1 (BUY)`);
    const a = atr[i]!;
    if (!(Number.isFinite(a) && a > 0)) throw new InvalidStatisticsInputError(`backtest: atr at ${at} is ${a} under a ${d > 0 ? 'BUY' : 'SELL'}: barriers need a finite ATR > 0 (HOLD through the ATR warm-up)`);
  }
}

/** Checks the funding events: finite rates, finite and non-decreasing times. */
export function checkFunding(funding: { time: Float64Array; rate: Float64Array } | undefined): void {
  if (funding === undefined) return;
  const { time, rate } = funding;
  for (let i = 0; i < time.length; i++) {
    if (!Number.isFinite(time[i]!)) throw new InvalidStatisticsInputError(`backtest: funding.time[${i}] is ${time[i]}`);
    if (i > 0 && time[i]! < time[i - 1]!) throw new InvalidStatisticsInputError(`backtest: funding.time[${i}] = ${time[i]} is before funding.time[${i - 1}] = ${time[i - 1]} (events must be sorted)`);
    if (!Number.isFinite(rate[i]!)) throw new InvalidStatisticsInputError(`backtest: funding.rate[${i}] is ${rate[i]} (at ${new Date(time[i]!).toISOString()})`);
  }
}
