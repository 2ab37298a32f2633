import { z } from 'zod';
import { atr, nans } from '../core/rolling';
import { optionalOpenTime, parseParams, requireColumns, type OhlcvColumns } from './input';
import { InvalidFeatureParamsError } from '../errors';
import { LevelTracker } from './LevelTracker';

/**
 * Support/resistance levels from past swing pivots, and per-bar distances to them.
 *
 * No look-ahead: a pivot at bar j enters the levels at bar j + pivotWidth (when the bars that make
 * it a pivot have closed), never earlier; levels at bar t use pivots confirmed at or before t whose
 * bar lies in the trailing `lookback`. See LevelTracker for the clustering.
 *
 * ```ts
 * const sr = supportResistance(market.candles, { pivotWidth: 5, lookback: 500 });
 * sr.supportDistance[t]; // (close - nearest support) / ATR, NaN when there is none below
 * ```
 */

/** The level-building fields, shared with the regime classifier's `sr` parameters. */
const levelFields = {
  /** Bars on each side of a swing pivot; a pivot is confirmed pivotWidth bars after it. @default 5 */
  pivotWidth: z.number().int().min(1).default(5),
  /** Trailing window (bars) whose confirmed pivots form the levels. @default 500 */
  lookback: z.number().int().min(3).default(500),
  /** Pivots within tolerance × ATR of a cluster's mean merge into it. @default 0.3 */
  tolerance: z.number().positive().default(0.3),
  /** Levels need at least this many pivots (touches). @default 2 */
  minTouches: z.number().int().min(1).default(2),
};

function checkLookback(p: { pivotWidth: number; lookback: number }, ctx: z.RefinementCtx): void {
  if (p.lookback <= 2 * p.pivotWidth) {
    ctx.addIssue({
      code: 'custom',
      path: ['lookback'],
      message: `'lookback' (${p.lookback}) must exceed 2 × 'pivotWidth' (${2 * p.pivotWidth}): the window must hold a whole pivot`,
    });
  }
}

/** Level parameters without their own ATR period (the regime classifier supplies its ATR). */
export const LevelParamsSchema = z.strictObject(levelFields).superRefine(checkLookback);
export type LevelParams = z.input<typeof LevelParamsSchema>;

export const SupportResistanceParamsSchema = z
  .strictObject({
    ...levelFields,
    /** ATR period (Wilder) for the tolerance and the distances. @default 14 */
    atrPeriod: z.number().int().min(1).default(14),
  })
  .superRefine(checkLookback);
export type SupportResistanceParams = z.input<typeof SupportResistanceParamsSchema>;
type ParsedSupportResistanceParams = z.output<typeof SupportResistanceParamsSchema>;

/** Per-bar support/resistance columns (input length each). */
export interface SupportResistance {
  /** (close - nearest level at or below close) / ATR, >= 0; NaN when no such level or ATR is undefined or 0. */
  readonly supportDistance: Float64Array;
  /** (nearest level above close - close) / ATR, > 0; NaN when no such level or ATR is undefined or 0. */
  readonly resistanceDistance: Float64Array;
  /** Touches of the nearest support level; 0 when there is none. */
  readonly supportTouches: Float64Array;
  /** Touches of the nearest resistance level; 0 when there is none. */
  readonly resistanceTouches: Float64Array;
  /** Price of the nearest support; NaN when there is none. */
  readonly supportPrice: Float64Array;
  /** Price of the nearest resistance; NaN when there is none. */
  readonly resistancePrice: Float64Array;
  /**
   * First bar at which a level can exist (ATR defined and one pivot confirmed: max(atrPeriod, 2·pivotWidth)).
   * Later bars may still have no level on one side; their distances are NaN.
   */
  readonly warmup: number;
}

/** A level as reported by `supportResistanceLevels`, with the open time of its last touch when known. */
export interface SupportResistanceLevel {
  readonly price: number;
  readonly touches: number;
  /** Bar of the most recent pivot in the level. */
  readonly lastTouch: number;
  /** openTime of that bar (epoch ms); undefined when the input has no openTime column. */
  readonly lastTouchTime: number | undefined;
}

const WHAT = 'supportResistance';

/** Distances from each bar's close to the nearest support and resistance levels, in ATR units. */
export function supportResistance(bars: OhlcvColumns, params: SupportResistanceParams = {}): SupportResistance {
  const p = parseParams(SupportResistanceParamsSchema, params, WHAT);
  const { high, low, close } = requireColumns(bars, ['high', 'low', 'close'], WHAT);
  const range = atr(high, low, close, p.atrPeriod);
  const tracker = new LevelTracker(high, low, range, p);
  const n = close.length;
  const out = {
    supportDistance: nans(n),
    resistanceDistance: nans(n),
    supportTouches: new Float64Array(n),
    resistanceTouches: new Float64Array(n),
    supportPrice: nans(n),
    resistancePrice: nans(n),
    warmup: Math.min(n, srWarmup(p)),
  };
  for (let t = 0; t < n; t++) {
    tracker.advance();
    if (tracker.levelCount === 0) continue;
    const c = close[t]!;
    const a = range[t]!;
    const perAtr = a > 0 ? 1 / a : Number.NaN;
    const below = tracker.floorLevel(c);
    if (below >= 0) {
      out.supportPrice[t] = tracker.levelPrice[below]!;
      out.supportTouches[t] = tracker.levelTouches[below]!;
      out.supportDistance[t] = (c - tracker.levelPrice[below]!) * perAtr;
    }
    if (below + 1 < tracker.levelCount) {
      out.resistancePrice[t] = tracker.levelPrice[below + 1]!;
      out.resistanceTouches[t] = tracker.levelTouches[below + 1]!;
      out.resistanceDistance[t] = (tracker.levelPrice[below + 1]! - c) * perAtr;
    }
  }
  return out;
}

/** The levels as they stand at the close of bar `at` (built from bars <= at only). */
export function supportResistanceLevels(bars: OhlcvColumns, params: SupportResistanceParams, at: number): SupportResistanceLevel[] {
  const p = parseParams(SupportResistanceParamsSchema, params, WHAT);
  const { high, low, close } = requireColumns(bars, ['high', 'low', 'close'], WHAT);
  if (!Number.isInteger(at) || at < 0 || at >= close.length) {
    throw new InvalidFeatureParamsError(`${WHAT}: bar 'at' (${at}) must be an integer in [0, ${close.length - 1}]`);
  }
  const tracker = new LevelTracker(high, low, atr(high, low, close, p.atrPeriod), p);
  while (tracker.nextBar <= at) tracker.advance();
  const openTime = optionalOpenTime(bars, close.length);
  return tracker.levels().map((l) => ({ ...l, lastTouchTime: openTime?.[l.lastTouch] }));
}

function srWarmup(p: ParsedSupportResistanceParams): number {
  return Math.max(p.atrPeriod, 2 * p.pivotWidth);
}

