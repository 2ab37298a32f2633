import { z } from 'zod';
import { atr, ema, rollingStd, rollingSum, sma, trueRange } from '../core/rolling';
import { parseParams, requireColumns, type OhlcvColumns } from './input';
import { LevelTracker } from './LevelTracker';
import { LevelParamsSchema } from './supportResistance';

/**
 * Market regime per bar, from bars <= t only, as one of the product's five regime labels.
 *
 * Rules (defaults in brackets), each evaluated at the close of bar t:
 * - HIGH_IMPACT_CANDLE: a range shock, trueRange[t] > shockAtr [3] × ATR[t-1], or a volume shock,
 *   volume[t] - mean > volumeZ [4] × std, mean and sample std over the previous volumeWindow [50]
 *   bars (t excluded, so the shock does not dilute its own yardstick).
 * - SR_ZONE_ACTION: the close lies within zoneAtr [0.3] × ATR[t] of a support/resistance level with
 *   at least zoneMinTouches [3] pivots (levels from confirmed past pivots: supportResistance.ts).
 * - BULL_TREND / BEAR_TREND: trend score (EMA(fast [20]) - EMA(slow [50])) / ATR[t] >= trendAtr [0.75]
 *   and signed Kaufman efficiency (close[t] - close[t-n]) / sum |close[i] - close[i-1]| over
 *   n = efficiencyPeriod [20] bars >= minEfficiency [0.2]; BEAR mirrors both with signs flipped.
 *   Both must agree: the EMA spread says where the trend has been, the efficiency that the move is
 *   still orderly and in the same direction.
 * - SIDEWAYS_RANGE: none of the above.
 *
 * Comparisons are written without division, so degenerate windows stay defined: after a flat
 * stretch (ATR 0) any range is a shock, over a constant-volume window any higher volume is, and a
 * zero ATR means no trend. Defaults were chosen on daily S&P 500 2000-2020 (about 25 % bull, 6 %
 * bear, 10 % zone, 1 % shock) and on the synthetic market (see the spec's latent-state check).
 *
 * Precedence when several apply: HIGH_IMPACT_CANDLE > SR_ZONE_ACTION > BULL/BEAR_TREND >
 * SIDEWAYS_RANGE. A shock is rare and dominates the next bars' statistics wherever it happens; a
 * test of a level is a local event that trend followers and range traders both react to, so it
 * overrides the slower trend state.
 *
 * Warm-up: bars before `warmup` = max(atrPeriod + 1, slowPeriod - 1, efficiencyPeriod, volumeWindow)
 * get REGIME_WARMUP (255), which is not an index into `names`. S/R levels need time to gather
 * pivots too but their absence is a legitimate state, not a warm-up: early bars are simply rarely
 * SR_ZONE_ACTION.
 *
 * ```ts
 * const { regime, names, warmup } = classifyRegimes(market.candles, { fastPeriod: 20, slowPeriod: 50 });
 * names[regime[t]!]; // 'BULL_TREND', ... (check regime[t] !== REGIME_WARMUP first)
 * regimeShares(regime); // { BULL_TREND: 0.21, ... } over the bars past warm-up
 * ```
 */

export const REGIME_NAMES = ['BULL_TREND', 'BEAR_TREND', 'SIDEWAYS_RANGE', 'SR_ZONE_ACTION', 'HIGH_IMPACT_CANDLE'] as const;
export type RegimeName = (typeof REGIME_NAMES)[number];

/** Regime codes: indices into REGIME_NAMES. */
export const Regime = { BULL_TREND: 0, BEAR_TREND: 1, SIDEWAYS_RANGE: 2, SR_ZONE_ACTION: 3, HIGH_IMPACT_CANDLE: 4 } as const satisfies Record<RegimeName, number>;

/** Code of bars in warm-up (inputs not yet defined): not a regime, excluded from shares. */
export const REGIME_WARMUP = 255;

export const RegimeParamsSchema = z
  .strictObject({
    /** ATR period (Wilder), the yardstick of every threshold. @default 14 */
    atrPeriod: z.number().int().min(1).default(14),
    /** Fast EMA period of the trend score. @default 20 */
    fastPeriod: z.number().int().min(1).default(20),
    /** Slow EMA period of the trend score; must exceed fastPeriod. @default 50 */
    slowPeriod: z.number().int().min(2).default(50),
    /** |EMA(fast) - EMA(slow)| / ATR at or above this is trending. @default 0.75 */
    trendAtr: z.number().positive().default(0.75),
    /** Bars of the Kaufman efficiency ratio. @default 20 */
    efficiencyPeriod: z.number().int().min(1).default(20),
    /** Signed efficiency at or beyond ±this is trending, in (0, 1]. @default 0.2 */
    minEfficiency: z.number().positive().max(1).default(0.2),
    /** True range above shockAtr × the previous bar's ATR is a range shock. @default 3 */
    shockAtr: z.number().positive().default(3),
    /** Bars (before t) of the volume mean and standard deviation. @default 50 */
    volumeWindow: z.number().int().min(2).default(50),
    /** Volume above mean + volumeZ × std is a volume shock. @default 4 */
    volumeZ: z.number().positive().default(4),
    /** A close within zoneAtr × ATR of a level is in its zone. @default 0.3 */
    zoneAtr: z.number().nonnegative().default(0.3),
    /** Levels need this many touches to make a zone; at least sr.minTouches. @default 3 */
    zoneMinTouches: z.number().int().min(1).default(3),
    /** Level building (pivotWidth 5, lookback 500, tolerance 0.3 ATR, minTouches 2). */
    sr: LevelParamsSchema.prefault({}),
  })
  .superRefine((p, ctx) => {
    if (p.fastPeriod >= p.slowPeriod) {
      ctx.addIssue({ code: 'custom', path: ['fastPeriod'], message: `'fastPeriod' (${p.fastPeriod}) must be less than 'slowPeriod' (${p.slowPeriod})` });
    }
    if (p.zoneMinTouches < p.sr.minTouches) {
      ctx.addIssue({
        code: 'custom',
        path: ['zoneMinTouches'],
        message: `'zoneMinTouches' (${p.zoneMinTouches}) must be at least 'sr.minTouches' (${p.sr.minTouches}): weaker levels are never built`,
      });
    }
  });
export type RegimeParams = z.input<typeof RegimeParamsSchema>;
export type ParsedRegimeParams = z.output<typeof RegimeParamsSchema>;

export interface RegimeClassification {
  /** One code per bar: an index into `names`, or REGIME_WARMUP. */
  readonly regime: Uint8Array;
  readonly names: typeof REGIME_NAMES;
  /** First bar with a regime; bars before it hold REGIME_WARMUP. */
  readonly warmup: number;
  /** The parameters used, defaults applied (for provenance in manifests). */
  readonly params: ParsedRegimeParams;
}

/** The rule outcomes of one bar, before precedence. `trend` is +1 (bull), -1 (bear) or 0. */
export interface RegimeSignals {
  readonly shock: boolean;
  readonly zone: boolean;
  readonly trend: -1 | 0 | 1;
}

/** Applies the precedence HIGH_IMPACT_CANDLE > SR_ZONE_ACTION > BULL/BEAR_TREND > SIDEWAYS_RANGE. */
export function resolveRegime(s: RegimeSignals): number {
  if (s.shock) return Regime.HIGH_IMPACT_CANDLE;
  if (s.zone) return Regime.SR_ZONE_ACTION;
  if (s.trend > 0) return Regime.BULL_TREND;
  if (s.trend < 0) return Regime.BEAR_TREND;
  return Regime.SIDEWAYS_RANGE;
}

const WHAT = 'classifyRegimes';

/** First bar at which every input of the rules is defined. */
export function regimeWarmup(p: ParsedRegimeParams): number {
  return Math.max(p.atrPeriod + 1, p.slowPeriod - 1, p.efficiencyPeriod, p.volumeWindow);
}

/** Classifies each bar (see the module comment for rules, thresholds and precedence). */
export function classifyRegimes(bars: OhlcvColumns, params: RegimeParams = {}): RegimeClassification {
  const p = parseParams(RegimeParamsSchema, params, WHAT);
  const { high, low, close, volume } = requireColumns(bars, ['high', 'low', 'close', 'volume'], WHAT);
  const n = close.length;
  const tr = trueRange(high, low, close);
  const range = atr(high, low, close, p.atrPeriod);
  const trendScore = emaSpread(close, range, p);
  const efficiency = signedEfficiency(close, p.efficiencyPeriod);
  const volMean = sma(volume, p.volumeWindow);
  const volStd = rollingStd(volume, p.volumeWindow, 1);
  const tracker = new LevelTracker(high, low, range, p.sr);

  const warmup = Math.min(n, regimeWarmup(p));
  const regime = new Uint8Array(n).fill(REGIME_WARMUP);
  for (let t = 0; t < n; t++) {
    tracker.advance(); // every bar, warm-up included: pivots confirmed early still count later
    if (t < warmup) continue;
    const shock = tr[t]! > p.shockAtr * range[t - 1]! || volume[t]! - volMean[t - 1]! > p.volumeZ * volStd[t - 1]!;
    const zone = !shock && inZone(tracker, close[t]!, p.zoneAtr * range[t]!, p.zoneMinTouches);
    const s = trendScore[t]!;
    const e = efficiency[t]!;
    const trend = s >= p.trendAtr && e >= p.minEfficiency ? 1 : s <= -p.trendAtr && e <= -p.minEfficiency ? -1 : 0;
    regime[t] = resolveRegime({ shock, zone, trend });
  }
  return { regime, names: REGIME_NAMES, warmup, params: p };
}

/** True when a level with >= minTouches lies within `halfWidth` of `price`. */
function inZone(tracker: LevelTracker, price: number, halfWidth: number, minTouches: number): boolean {
  for (let i = tracker.floorLevel(price + halfWidth); i >= 0 && tracker.levelPrice[i]! >= price - halfWidth; i--) {
    if (tracker.levelTouches[i]! >= minTouches) return true;
  }
  return false;
}

/** (EMA(fast) - EMA(slow)) / ATR; 0 where ATR is 0 (a flat market has no trend). */
function emaSpread(close: Float64Array, range: Float64Array, p: ParsedRegimeParams): Float64Array {
  const fast = ema(close, p.fastPeriod);
  const slow = ema(close, p.slowPeriod);
  const out = new Float64Array(close.length);
  for (let t = 0; t < close.length; t++) out[t] = range[t] === 0 ? 0 : (fast[t]! - slow[t]!) / range[t]!;
  return out;
}

/** Kaufman's efficiency ratio with the sign of the net move: (close[t] - close[t-n]) / path length, in [-1, 1]; 0 on a flat path. */
function signedEfficiency(close: Float64Array, n: number): Float64Array {
  const step = new Float64Array(close.length).fill(Number.NaN);
  for (let t = 1; t < close.length; t++) step[t] = Math.abs(close[t]! - close[t - 1]!);
  const path = rollingSum(step, n); // first defined at t = n: the n steps from close[0] to close[n]
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let t = n; t < close.length; t++) out[t] = path[t]! > 0 ? (close[t]! - close[t - n]!) / path[t]! : 0;
  return out;
}

/**
 * Share of each regime among the bars past warm-up (codes other than REGIME_WARMUP); all 0 when
 * there are none. Shares sum to 1 otherwise.
 */
export function regimeShares(regime: Uint8Array): Record<RegimeName, number> {
  const counts = new Float64Array(REGIME_NAMES.length);
  let total = 0;
  for (let i = 0; i < regime.length; i++) {
    const c = regime[i]!;
    if (c >= REGIME_NAMES.length) continue;
    counts[c]!++;
    total++;
  }
  const out = {} as Record<RegimeName, number>;
  REGIME_NAMES.forEach((name, i) => (out[name] = total === 0 ? 0 : counts[i]! / total));
  return out;
}
