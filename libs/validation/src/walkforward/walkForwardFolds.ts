import { z } from 'zod';
import { InsufficientRowsError, InvalidSplitOptionsError } from '../errors';
import { checkLabelTimes } from '../splits/labelTimes';

/**
 * Walk-forward folds (step 6): each fold trains on rows before its out-of-sample window and is
 * scored (traded) on that window; the windows follow each other and do not overlap.
 *
 * Conventions, written once:
 *
 * - **Out-of-sample windows** cover rows [start, n) in `folds` contiguous windows of `step` rows
 *   (the last window takes the remainder when `step` is not given: sized as numpy's array_split).
 * - **Training window** of fold k: `expanding` — every row before its window; `rolling` — the
 *   `window` rows before it.
 * - **Purge.** A training row whose label ends at or after the window's first bar time
 *   (t1[i] >= times[testStart]) is dropped: its outcome overlaps the outcomes being traded.
 * - **Embargo.** Rows after a window never train the fold that trades it, so the embargo of purged
 *   k-fold (rows after a test fold) has nothing to act on; `embargoBars` additionally drops the
 *   last training rows before the window (a gap against serial correlation of the features).
 * - Rows with NaN t1 (no label) are in no training set; they are traded when inside a window.
 */
export const WalkForwardOptionsSchema = z.strictObject({
  /** Number of out-of-sample windows. @default 5 */
  folds: z.number().int().min(1).max(50).default(5),
  /** `expanding` (all earlier rows) or `rolling` (the `window` rows before). @default expanding */
  mode: z.enum(['expanding', 'rolling']).default('expanding'),
  /** Rolling training window in rows (required with mode rolling). */
  window: z.number().int().min(1).optional(),
  /** Rows per out-of-sample window. @default (n − start) / folds */
  step: z.number().int().min(1).optional(),
  /** Row where the first out-of-sample window begins. */
  start: z.number().int().min(1),
  /** Extra rows dropped before each window. @default 0 */
  embargoBars: z.number().int().min(0).default(0),
});
export type WalkForwardOptions = z.input<typeof WalkForwardOptionsSchema>;

export interface WalkForwardFold {
  readonly fold: number;
  /** Training rows, ascending (purged). */
  readonly train: Int32Array;
  /** The out-of-sample window's rows, ascending and contiguous. */
  readonly test: Int32Array;
  /** Rows of the training window dropped by the purge or the embargo. */
  readonly purged: number;
}

/** Walk-forward folds over rows with label intervals [times[i], t1[i]]; see the conventions above. */
export function walkForwardFolds(times: Float64Array, t1: Float64Array, options: WalkForwardOptions): WalkForwardFold[] {
  checkLabelTimes('walkForwardFolds', times, t1);
  const parsed = WalkForwardOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidSplitOptionsError(`walkForwardFolds: option '${issue.path.join('.')}' = ${JSON.stringify((options as Record<string, unknown>)[String(issue.path[0])])}: ${issue.message}`);
  }
  const o = parsed.data;
  const n = times.length;
  if (o.mode === 'rolling' && o.window === undefined) throw new InvalidSplitOptionsError("walkForwardFolds: mode 'rolling' needs option 'window' (training rows)");
  if (o.mode === 'expanding' && o.window !== undefined) throw new InvalidSplitOptionsError("walkForwardFolds: option 'window' applies to mode 'rolling' only; mode is 'expanding'");
  if (o.start >= n) throw new InsufficientRowsError(`walkForwardFolds: start ${o.start} leaves no out-of-sample rows (${n} rows)`);
  const oos = n - o.start;
  const step = o.step;
  if (step !== undefined && step * o.folds > oos) {
    throw new InsufficientRowsError(`walkForwardFolds: ${o.folds} folds × step ${step} = ${o.folds * step} rows, but only ${oos} rows from start ${o.start}`);
  }
  if (oos < o.folds) throw new InsufficientRowsError(`walkForwardFolds: ${oos} out-of-sample rows for ${o.folds} folds`);
  const folds: WalkForwardFold[] = [];
  for (let k = 0; k < o.folds; k++) {
    const [from, to] = step !== undefined ? [o.start + k * step, o.start + (k + 1) * step] : arraySplit(o.start, oos, o.folds, k);
    const lo = o.mode === 'rolling' ? Math.max(0, from - o.window!) : 0;
    const hi = from - o.embargoBars;
    const first = times[from]!;
    const train: number[] = [];
    let purged = 0;
    for (let i = lo; i < from; i++) {
      if (Number.isNaN(t1[i]!)) continue;
      if (i >= hi || t1[i]! >= first) purged++;
      else train.push(i);
    }
    if (train.length === 0) throw new InsufficientRowsError(`walkForwardFolds: fold ${k} (window rows ${from}–${to - 1}) has no training row left after the purge`);
    folds.push({ fold: k, train: Int32Array.from(train), test: Int32Array.from({ length: to - from }, (_, j) => from + j), purged });
  }
  return folds;
}

/** numpy.array_split bounds of part k of `length` rows after `offset`: the first length % parts get one more. */
function arraySplit(offset: number, length: number, parts: number, k: number): [number, number] {
  const base = Math.floor(length / parts);
  const extra = length % parts;
  const from = offset + k * base + Math.min(k, extra);
  return [from, from + base + (k < extra ? 1 : 0)];
}
