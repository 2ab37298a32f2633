import { z } from 'zod';
import { atr } from '../core/rolling';
import { requireSameLength } from '../input';
import { parseParams, requireColumn, requireFinite } from './input';

/**
 * Triple-barrier labels (López de Prado, "Advances in Financial Machine Learning", ch. 3) with
 * ATR-scaled horizontal barriers, and fixed-horizon labels as the simple alternative.
 *
 * Conventions, written once:
 *
 * - **Entry** is the close of bar i: the decision is made when bar i closes.
 * - **Volatility** is ATR(atrPeriod) at bar i (TA-Lib's Wilder ATR over bars <= i only). Rows in
 *   the ATR warm-up (i < atrPeriod) are invalid; so are rows with ATR_i = 0 (no volatility scale:
 *   both barriers would sit on the entry).
 * - **Barriers** (a long-only, directional label): take-profit = entry + tpMult·ATR_i,
 *   stop-loss = entry − slMult·ATR_i, vertical = the close of bar i + holdingBars.
 * - **Touches** are checked on bars i+1 … i+holdingBars, in order, inclusively (high >= take-profit,
 *   low <= stop-loss). The first touching bar resolves the label.
 * - **Gaps**: when a bar opens at or beyond a barrier, it resolved at its open, so the realised
 *   return is open/entry − 1 (worse than the stop, better than the target), not the barrier level.
 *   Without an `open` column bars are taken to open where the previous one closed (no gaps, as on
 *   24/7 crypto venues), and every touch fills at the barrier level.
 * - **Both barriers in one bar** (high and low both touch, open between them): the order inside the
 *   bar is unknown, so the stop-loss wins (the conservative choice).
 * - **Vertical barrier**: if bar i + holdingBars closes with no touch, the label is 0 and ret is
 *   close[i+holdingBars]/entry − 1. With `zeroOnVertical: false` it is instead sign(ret) when
 *   |ret| > minReturn, else 0.
 * - **End of the series**: a row whose window runs past the last bar is invalid (label 0, t1 NaN,
 *   ret NaN) unless a barrier was touched on the bars that exist: that label is already known.
 * - **t1** is the closeTime of the resolving bar (epoch ms), always > closeTime[i]; cross-validation
 *   purges on it.
 */

/** Price bars the labelers read: epoch-ms times and prices, one Float64Array per column. `CandleColumns` fits. */
export interface LabelBars {
  readonly openTime: Float64Array;
  readonly closeTime: Float64Array;
  /** Optional: with it, gaps through a barrier fill at the open (see the conventions above). */
  readonly open?: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

/** How a triple-barrier row resolved (`touched`). */
export const TOUCH = { vertical: 0, takeProfit: 1, stopLoss: 2 } as const;

const positive = () => z.number({ error: 'must be a finite number' }).gt(0, 'must be > 0');

export const TripleBarrierParamsSchema = z
  .strictObject({
    /** Take-profit distance in ATRs (> 0). */
    tpMult: positive(),
    /** Stop-loss distance in ATRs (> 0). */
    slMult: positive(),
    /** Vertical barrier: bars after entry (integer >= 1). */
    holdingBars: z.int({ error: 'must be an integer' }).min(1, 'must be >= 1'),
    /** ATR period (integer >= 2). @default 14 */
    atrPeriod: z.int({ error: 'must be an integer' }).min(2, 'must be >= 2').default(14),
    /** Label 0 at the vertical barrier; false labels the sign of the return there. @default true */
    zeroOnVertical: z.boolean().default(true),
    /** With zeroOnVertical false: |ret| at the vertical barrier must exceed this for a ±1. @default 0 */
    minReturn: z.number().min(0, 'must be >= 0').optional(),
  })
  .superRefine((p, ctx) => {
    if (p.minReturn !== undefined && p.zeroOnVertical) {
      ctx.addIssue({ code: 'custom', path: ['minReturn'], message: 'has no effect while zeroOnVertical is true (set zeroOnVertical: false)' });
    }
  });
export type TripleBarrierParams = z.input<typeof TripleBarrierParamsSchema>;
/** Parameters after defaults. */
export type TripleBarrierSettings = z.output<typeof TripleBarrierParamsSchema>;

/** One row per bar. Invalid rows carry label 0, t1 NaN, ret NaN, touched 0. */
export interface TripleBarrierLabels {
  /** −1 stop-loss first, +1 take-profit first, 0 vertical barrier (or invalid). */
  readonly label: Int8Array;
  /** closeTime of the bar where the label resolved (epoch ms); NaN when invalid. */
  readonly t1: Float64Array;
  /** Return realised at resolution: barrier level (or gap open) / entry − 1, or vertical close / entry − 1. */
  readonly ret: Float64Array;
  /** TOUCH.vertical (0), TOUCH.takeProfit (1) or TOUCH.stopLoss (2). */
  readonly touched: Uint8Array;
  /** 1 when the label is known (past the ATR warm-up and resolved within the series). */
  readonly valid: Uint8Array;
}

/** Bars after the input checks: every column present, finite and of equal length. */
export interface CheckedBars {
  readonly length: number;
  readonly openTime: Float64Array;
  readonly closeTime: Float64Array;
  readonly open: Float64Array | undefined;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

/**
 * Triple-barrier labels of every bar.
 *
 * ```ts
 * const { label, t1, valid } = tripleBarrierLabels(candles, { tpMult: 2, slMult: 1, holdingBars: 24 });
 * ```
 */
export function tripleBarrierLabels(bars: LabelBars, params: TripleBarrierParams): TripleBarrierLabels {
  const p = parseParams(TripleBarrierParamsSchema, params, 'triple-barrier param');
  const b = checkBarrierBars(bars);
  return barrierOutcomes(b, atr(b.high, b.low, b.close, p.atrPeriod), p);
}

/** Checks the columns the triple-barrier labeler reads (exported for the parameter search). */
export function checkBarrierBars(bars: LabelBars): CheckedBars {
  const openTime = requireColumn(bars, 'openTime', 'to date the bars (and any bad input)');
  const closeTime = requireColumn(bars, 'closeTime', 'for label end times (t1)');
  const high = requireColumn(bars, 'high', 'for barrier touches');
  const low = requireColumn(bars, 'low', 'for barrier touches');
  const close = requireColumn(bars, 'close', 'for the entry price, the ATR and the vertical barrier');
  const open = bars.open === undefined ? undefined : requireColumn(bars, 'open', 'for gaps through a barrier');
  const columns: Record<string, Float64Array> = { close, openTime, closeTime, high, low };
  if (open) columns.open = open;
  const length = requireSameLength(columns);
  requireFinite('openTime', openTime, undefined);
  for (const [name, c] of Object.entries(columns)) if (c !== openTime) requireFinite(name, c, openTime);
  return { length, openTime, closeTime, open, high, low, close };
}

/**
 * Hot loops read no globals (Math, Number, NaN): inside jest's vm sandbox every global lookup goes
 * through the context's interceptors and costs ~100× a local one.
 */
const NO_OPEN = Number.NaN;

/** The labeling loop over checked bars and a precomputed volatility column (ATR at each bar). */
export function barrierOutcomes(b: CheckedBars, vol: Float64Array, p: TripleBarrierSettings): TripleBarrierLabels {
  const n = b.length;
  const label = new Int8Array(n);
  const t1 = new Float64Array(n).fill(Number.NaN);
  const ret = new Float64Array(n).fill(Number.NaN);
  const touched = new Uint8Array(n);
  const valid = new Uint8Array(n);
  const { close, high, low, open, closeTime } = b;
  const h = p.holdingBars;
  const minReturn = p.minReturn ?? 0;

  for (let i = 0; i < n; i++) {
    const a = vol[i]!;
    if (!(a > 0)) continue; // ATR warm-up (NaN) or zero volatility
    const entry = close[i]!;
    const up = entry + p.tpMult * a;
    const down = entry - p.slMult * a;
    const last = i + h < n ? i + h : n - 1;
    let j = i + 1;
    let exit = 0;
    let touch = 0;
    for (; j <= last; j++) {
      const o = open ? open[j]! : NO_OPEN; // NaN compares false: no gap without an open column
      if (o <= down) { exit = o; touch = TOUCH.stopLoss; break; }
      if (o >= up) { exit = o; touch = TOUCH.takeProfit; break; }
      if (low[j]! <= down) { exit = down; touch = TOUCH.stopLoss; break; } // before the high: stop-loss wins a two-sided bar
      if (high[j]! >= up) { exit = up; touch = TOUCH.takeProfit; break; }
    }
    if (touch !== 0) {
      label[i] = touch === TOUCH.takeProfit ? 1 : -1;
    } else {
      if (i + h >= n) continue; // window runs past the series with no touch: unknown
      j = i + h;
      exit = close[j]!;
      const r = exit / entry - 1;
      label[i] = p.zeroOnVertical || !(r > minReturn || r < -minReturn) ? 0 : r > 0 ? 1 : -1;
    }
    t1[i] = closeTime[j]!;
    ret[i] = exit / entry - 1;
    touched[i] = touch;
    valid[i] = 1;
  }
  return { label, t1, ret, touched, valid };
}

export const FixedHorizonParamsSchema = z.strictObject({
  /** Bars ahead (integer >= 1). */
  horizon: z.int({ error: 'must be an integer' }).min(1, 'must be >= 1'),
  /** |ret| must exceed this for a ±1 (>= 0). @default 0 */
  threshold: z.number({ error: 'must be a finite number' }).min(0, 'must be >= 0').default(0),
});
export type FixedHorizonParams = z.input<typeof FixedHorizonParamsSchema>;

/** Fixed-horizon labels: one row per bar; invalid rows (no bar i + horizon) carry label 0, t1 and ret NaN. */
export interface FixedHorizonLabels {
  /** sign(ret) when |ret| > threshold, else 0. */
  readonly label: Int8Array;
  /** closeTime of bar i + horizon. */
  readonly t1: Float64Array;
  /** close[i + horizon] / close[i] − 1. */
  readonly ret: Float64Array;
  readonly valid: Uint8Array;
}

/**
 * Fixed-horizon labels: entry at the close of bar i, exit at the close of bar i + horizon.
 *
 * ```ts
 * const { label, t1 } = fixedHorizonLabels(candles, { horizon: 12, threshold: 0.002 });
 * ```
 */
export function fixedHorizonLabels(bars: Pick<LabelBars, 'openTime' | 'closeTime' | 'close'>, params: FixedHorizonParams): FixedHorizonLabels {
  const p = parseParams(FixedHorizonParamsSchema, params, 'fixed-horizon param');
  const openTime = requireColumn(bars, 'openTime', 'to date the bars (and any bad input)');
  const closeTime = requireColumn(bars, 'closeTime', 'for label end times (t1)');
  const close = requireColumn(bars, 'close', 'for horizon returns');
  const n = requireSameLength({ close, openTime, closeTime });
  requireFinite('openTime', openTime, undefined);
  requireFinite('closeTime', closeTime, openTime);
  requireFinite('close', close, openTime);

  const label = new Int8Array(n);
  const t1 = new Float64Array(n).fill(Number.NaN);
  const ret = new Float64Array(n).fill(Number.NaN);
  const valid = new Uint8Array(n);
  for (let i = 0; i + p.horizon < n; i++) {
    const r = close[i + p.horizon]! / close[i]! - 1;
    label[i] = r > p.threshold ? 1 : r < -p.threshold ? -1 : 0;
    t1[i] = closeTime[i + p.horizon]!;
    ret[i] = r;
    valid[i] = 1;
  }
  return { label, t1, ret, valid };
}
