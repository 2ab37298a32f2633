import { InsufficientRowsError, InvalidLabelTimesError, InvalidSplitOptionsError } from '../errors';
import { checkLabelTimes, showTime } from './labelTimes';
import { rejectUnknownOptions, requireFraction, requireInteger } from './options';
import { rangeIndices, type IndexRange } from './types';

/**
 * The classic trainer's train / validation / test split, chronological and unshuffled.
 *
 * Sizes follow the reference trainer (`int(n * train_ratio)` in Python): train = rows [0, a) with
 * a = floor(n·trainRatio), valid = rows [a, b) with b = a + floor(n·valRatio), test = rows [b, n).
 *
 * Purging (optional, with `times` and `t1`): a training row whose label ends at or after the first
 * time of the next non-empty segment (t1[i] >= times[a], or times[b] when there is no validation
 * segment) saw outcomes from that period, so it is dropped; likewise a validation row whose label
 * ends at or after the first test time (t1[i] >= times[b]). Rows with NaN t1 have no label and are
 * left out of every segment. The ranges stay positional; `rows` holds what to fit / score on.
 * No embargo here: it belongs to cross-validation (see purgedKFold).
 */

export interface ChronologicalSplitOptions {
  /** Fraction of rows for training, in (0, 1). @default 0.8 */
  trainRatio?: number;
  /** Fraction of rows for validation, in [0, 1); 0 means no validation segment. trainRatio + valRatio < 1. @default 0.1 */
  valRatio?: number;
  /** Label start time of each row (the bar time), sorted; given together with `t1`, enables purging. */
  times?: Float64Array;
  /** Label end time of each row (NaN: no label); given together with `times`, enables purging. */
  t1?: Float64Array;
}

export interface ChronologicalSplit {
  /** Rows [0, a). */
  readonly train: IndexRange;
  /** Rows [a, b); empty when valRatio is 0. */
  readonly valid: IndexRange;
  /** Rows [b, n). */
  readonly test: IndexRange;
  /** The rows to use: each range without its purged and unlabeled rows (the whole range without t1). */
  readonly rows: { readonly train: Int32Array; readonly valid: Int32Array; readonly test: Int32Array };
  /** Training and validation rows dropped because their label reaches into the next segment (ascending). */
  readonly purged: Int32Array;
  /** Rows with NaN t1, in no segment's `rows`. */
  readonly unlabeled: Int32Array;
}

const WHAT = 'chronologicalSplit';
const KNOWN = ['trainRatio', 'valRatio', 'times', 't1'] as const;

/** Splits `n` chronologically ordered rows into train / valid / test; see the conventions above. */
export function chronologicalSplit(n: number, options: ChronologicalSplitOptions = {}): ChronologicalSplit {
  const { trainRatio, valRatio, times, t1 } = compileOptions(n, options);
  const a = Math.floor(n * trainRatio);
  const b = a + Math.floor(n * valRatio);
  if (a === 0) throw new InsufficientRowsError(`${WHAT}: train segment is empty: trainRatio ${trainRatio} of ${n} rows gives 0 rows`);
  if (valRatio > 0 && b === a) throw new InsufficientRowsError(`${WHAT}: valid segment is empty: valRatio ${valRatio} of ${n} rows gives 0 rows`);
  if (b >= n) throw new InsufficientRowsError(`${WHAT}: test segment is empty: trainRatio ${trainRatio} + valRatio ${valRatio} of ${n} rows leaves 0 rows`);
  const train = { start: 0, end: a };
  const valid = { start: a, end: b };
  const test = { start: b, end: n };
  if (!times || !t1) {
    return { train, valid, test, rows: { train: rangeIndices(train), valid: rangeIndices(valid), test: rangeIndices(test) }, purged: new Int32Array(0), unlabeled: new Int32Array(0) };
  }
  const purged: number[] = [];
  const unlabeled: number[] = [];
  const keep = (range: IndexRange, purgeFrom: number | undefined): Int32Array => {
    const out: number[] = [];
    for (let i = range.start; i < range.end; i++) {
      if (Number.isNaN(t1[i]!)) unlabeled.push(i);
      else if (purgeFrom !== undefined && t1[i]! >= purgeFrom) purged.push(i);
      else out.push(i);
    }
    return Int32Array.from(out);
  };
  const rows = {
    train: keep(train, times[b > a ? a : b]),
    valid: keep(valid, times[b]),
    test: keep(test, undefined),
  };
  for (const name of ['train', 'valid', 'test'] as const) {
    const range = { train, valid, test }[name];
    if (range.end > range.start && rows[name].length === 0) {
      throw new InsufficientRowsError(
        `${WHAT}: ${name} segment is empty after purging: rows ${range.start}..${range.end - 1} (from ${showTime(times[range.start]!)}) are all purged or have NaN t1`,
      );
    }
  }
  return { train, valid, test, rows, purged: Int32Array.from(purged), unlabeled: Int32Array.from(unlabeled) };
}

function compileOptions(n: number, options: ChronologicalSplitOptions) {
  rejectUnknownOptions(WHAT, options, KNOWN);
  requireInteger(WHAT, 'n', n, 0);
  const trainRatio = requireFraction(WHAT, 'trainRatio', options.trainRatio ?? 0.8, true);
  const valRatio = requireFraction(WHAT, 'valRatio', options.valRatio ?? 0.1, false);
  if (!(trainRatio + valRatio < 1)) {
    throw new InvalidSplitOptionsError(`${WHAT}: trainRatio ${trainRatio} + valRatio ${valRatio} = ${trainRatio + valRatio} must be < 1 (no test rows left)`);
  }
  const { times, t1 } = options;
  if ((times === undefined) !== (t1 === undefined)) {
    throw new InvalidSplitOptionsError(`${WHAT}: times and t1 go together (purging needs both); got only ${times ? 'times' : 't1'}`);
  }
  if (times && t1) {
    if (times.length !== n) throw new InvalidLabelTimesError(`${WHAT}: times has ${times.length} rows but n is ${n}`);
    checkLabelTimes(WHAT, times, t1);
  }
  return { trainRatio, valRatio, times, t1 };
}
