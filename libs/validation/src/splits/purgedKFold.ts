import { InsufficientRowsError, InvalidSplitOptionsError } from '../errors';
import { checkLabelTimes, showTime } from './labelTimes';
import { rejectUnknownOptions, requireFraction, requireInteger } from './options';
import type { Fold, IndexRange } from './types';

/**
 * Purged k-fold cross-validation with an embargo (López de Prado, "Advances in Financial Machine
 * Learning", 2018, ch. 7: §7.4 and snippets 7.1–7.3).
 *
 * Conventions, written once:
 *
 * - **Labels are intervals.** Row i's label starts at times[i] (its bar time) and ends at t1[i]
 *   (e.g. the triple-barrier resolution time); both ends inclusive. Rows with NaN t1 have no label
 *   and are left out of every set (train, test, purged, embargoed) of every fold.
 * - **Test folds** are contiguous and unshuffled, sized as numpy's `array_split` (the first n % k
 *   folds get one row more), over all n rows; a fold tests its labelled rows.
 * - **Purge.** A fold's test interval is [first test time, latest test t1]. Every other row whose
 *   label interval [times[i], t1[i]] intersects it (t1[i] >= first test time and times[i] <=
 *   latest test t1) is dropped from training: its outcome overlaps the outcomes being scored. This
 *   is conservative: a row that overlaps the fold's hull but no single test label is purged too.
 * - **Embargo.** After the purge, the next `k` rows (bars) after the test fold's label horizon —
 *   rows r … r+k−1, r being the first row after the fold whose time is past the latest test t1 —
 *   are dropped too: their features, built from bars inside the test period, still carry its
 *   information (serial correlation). As in the book this follows the test labels' end
 *   (`maxT1Idx + mbrg` in snippet 7.3), not the fold's last row, whose successors are purged
 *   anyway once labels span a bar or more; nothing is embargoed before a fold. k = floor(n·embargo)
 *   (the book's `int(n * pctEmbargo)`) or `embargoBars`.
 *
 * Training rows: every labelled row outside the fold that is neither purged nor embargoed.
 */

export interface PurgedKFoldOptions {
  /** Number of folds (integer >= 2, at most the number of rows). @default 5 */
  nSplits?: number;
  /** Embargo as a fraction of all rows, in [0, 1): k = floor(n·embargo) bars. Not with `embargoBars`. @default 0.01 */
  embargo?: number;
  /** Embargo as a number of bars (integer >= 0); replaces `embargo`. */
  embargoBars?: number;
}

/** A purged fold: `train` and `test` to use, and the rows kept out of training, each ascending. */
export interface PurgedFold extends Fold {
  /** Rows outside the fold whose label interval overlaps the fold's test interval. */
  readonly purged: Int32Array;
  /** The labelled rows among the k bars after the fold's label horizon (see the conventions). */
  readonly embargoed: Int32Array;
}

const WHAT = 'purgedKFold';
const KNOWN = ['nSplits', 'embargo', 'embargoBars'] as const;

/** Purged, embargoed k-fold splits of rows with label intervals [times[i], t1[i]]; see the conventions above. */
export function purgedKFold(times: Float64Array, t1: Float64Array, options: PurgedKFoldOptions = {}): PurgedFold[] {
  checkLabelTimes(WHAT, times, t1);
  const n = times.length;
  const { nSplits, embargoBars } = compileOptions(n, options);
  const bounds = foldBounds(n, nSplits);
  // Unlabelled folds first: a fold with nothing to test is the cause to report, not the empty
  // training set it leaves for the other folds.
  for (const [f, { start, end }] of bounds.entries()) {
    let labelled = false;
    for (let i = start; i < end && !labelled; i++) labelled = !Number.isNaN(t1[i]!);
    if (!labelled) throw new InsufficientRowsError(`${WHAT}: ${foldName(times, f, start, end)} has no labelled rows (every t1 is NaN)`);
  }
  return bounds.map(({ start, end }, f) => purgedFold(times, t1, f, start, end, embargoBars));
}

/** Contiguous folds sized as numpy's array_split: the first n % k folds get one row more. */
function foldBounds(n: number, nSplits: number): IndexRange[] {
  const bounds: IndexRange[] = [];
  let start = 0;
  for (let f = 0; f < nSplits; f++) {
    const end = start + Math.floor(n / nSplits) + (f < n % nSplits ? 1 : 0);
    bounds.push({ start, end });
    start = end;
  }
  return bounds;
}

function foldName(times: Float64Array, f: number, start: number, end: number): string {
  return `fold ${f} (rows ${start}..${end - 1}, from ${showTime(times[start]!)})`;
}

function purgedFold(times: Float64Array, t1: Float64Array, f: number, start: number, end: number, k: number): PurgedFold {
  const n = times.length;
  const test: number[] = [];
  let testEnd = -Infinity;
  for (let i = start; i < end; i++) {
    if (Number.isNaN(t1[i]!)) continue;
    test.push(i);
    if (t1[i]! > testEnd) testEnd = t1[i]!;
  }
  const testStart = times[test[0]!]!;

  let horizon = end; // first row after the fold that starts past the latest test label end
  while (horizon < n && times[horizon]! <= testEnd) horizon++;
  const embargoEnd = Math.min(n, horizon + k);

  const train: number[] = [];
  const purged: number[] = [];
  const embargoed: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i >= start && i < end) continue;
    if (Number.isNaN(t1[i]!)) continue;
    if (times[i]! <= testEnd && t1[i]! >= testStart) purged.push(i);
    else if (i >= horizon && i < embargoEnd) embargoed.push(i);
    else train.push(i);
  }
  if (train.length === 0) {
    throw new InsufficientRowsError(`${WHAT}: ${foldName(times, f, start, end)} leaves no training rows (${purged.length} purged, ${embargoed.length} embargoed)`);
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test), purged: Int32Array.from(purged), embargoed: Int32Array.from(embargoed) };
}

function compileOptions(n: number, options: PurgedKFoldOptions) {
  rejectUnknownOptions(WHAT, options, KNOWN);
  const nSplits = requireInteger(WHAT, 'nSplits', options.nSplits ?? 5, 2);
  if (nSplits > n) throw new InsufficientRowsError(`${WHAT}: nSplits ${nSplits} is greater than the number of rows n = ${n}`);
  if (options.embargo !== undefined && options.embargoBars !== undefined) {
    throw new InvalidSplitOptionsError(`${WHAT}: embargo ${options.embargo} and embargoBars ${options.embargoBars} are alternatives; give one`);
  }
  const embargoBars = options.embargoBars !== undefined
    ? requireInteger(WHAT, 'embargoBars', options.embargoBars, 0)
    : Math.floor(n * requireFraction(WHAT, 'embargo', options.embargo ?? 0.01, false));
  return { nSplits, embargoBars };
}
