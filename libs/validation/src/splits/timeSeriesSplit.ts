import { InsufficientRowsError } from '../errors';
import { rejectUnknownOptions, requireInteger } from './options';
import { rangeIndices, type Fold } from './types';

/**
 * Expanding- (or sliding-) window splits with exactly scikit-learn's `TimeSeriesSplit` semantics
 * (sklearn.model_selection, checked against 1.7.2):
 *
 * - test folds are the last nSplits·testSize rows, in consecutive blocks of testSize rows, where
 *   testSize defaults to floor(n / (nSplits + 1));
 * - the training rows of a fold are every row before (test start − gap), the last maxTrainSize of
 *   them when maxTrainSize is set;
 * - it fails as sklearn does when nSplits + 1 > n, or when n − gap − nSplits·testSize <= 0 (the
 *   first fold would have no training rows).
 *
 * Where sklearn accepts values that quietly misbehave, this throws instead: gap < 0 (training rows
 * inside the test fold), testSize < 1 (empty folds), maxTrainSize < 1 (sklearn reads 0 as "no
 * limit" and a negative value as an empty training set). Labels that span several bars need
 * `gap` >= the label horizon, or purgedKFold.
 */

export interface TimeSeriesSplitOptions {
  /** Number of folds (integer >= 2). @default 5 */
  nSplits?: number;
  /** Keep at most this many of the most recent training rows (integer >= 1); unset = all earlier rows. */
  maxTrainSize?: number;
  /** Rows per test fold (integer >= 1). @default floor(n / (nSplits + 1)) */
  testSize?: number;
  /** Rows left out between the end of training and the start of the test fold (integer >= 0). @default 0 */
  gap?: number;
}

const WHAT = 'timeSeriesSplit';
const KNOWN = ['nSplits', 'maxTrainSize', 'testSize', 'gap'] as const;

/** The folds of scikit-learn's TimeSeriesSplit over `n` rows; see the conventions above. */
export function timeSeriesSplit(n: number, options: TimeSeriesSplitOptions = {}): Fold[] {
  const { nSplits, maxTrainSize, testSize, gap } = compileOptions(n, options);
  const nFolds = nSplits + 1;
  if (nFolds > n) {
    throw new InsufficientRowsError(`${WHAT}: number of folds nSplits + 1 = ${nFolds} is greater than the number of rows n = ${n}`);
  }
  if (n - gap - testSize * nSplits <= 0) {
    throw new InsufficientRowsError(
      `${WHAT}: too many splits: nSplits ${nSplits} × testSize ${testSize} + gap ${gap} = ${nSplits * testSize + gap} leaves no training rows out of n = ${n}`,
    );
  }
  const folds: Fold[] = [];
  for (let testStart = n - nSplits * testSize; testStart < n; testStart += testSize) {
    const trainEnd = testStart - gap;
    const trainStart = maxTrainSize !== undefined && maxTrainSize < trainEnd ? trainEnd - maxTrainSize : 0;
    folds.push({ train: rangeIndices({ start: trainStart, end: trainEnd }), test: rangeIndices({ start: testStart, end: testStart + testSize }) });
  }
  return folds;
}

function compileOptions(n: number, options: TimeSeriesSplitOptions) {
  rejectUnknownOptions(WHAT, options, KNOWN);
  requireInteger(WHAT, 'n', n, 0);
  const nSplits = requireInteger(WHAT, 'nSplits', options.nSplits ?? 5, 2);
  const maxTrainSize = options.maxTrainSize === undefined ? undefined : requireInteger(WHAT, 'maxTrainSize', options.maxTrainSize, 1);
  const testSize = options.testSize === undefined ? Math.floor(n / (nSplits + 1)) : requireInteger(WHAT, 'testSize', options.testSize, 1);
  const gap = requireInteger(WHAT, 'gap', options.gap ?? 0, 0);
  return { nSplits, maxTrainSize, testSize, gap };
}
