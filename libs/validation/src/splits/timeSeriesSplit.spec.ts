/**
 * timeSeriesSplit against scikit-learn 1.7.2's TimeSeriesSplit (timeSeriesSplit.reference.py, run in
 * the tools venv) on a grid of (n, nSplits, maxTrainSize, testSize, gap): identical folds, and an
 * error exactly where sklearn raises one, for the same reason.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { toolPaths } from '@ares/data';
import { InsufficientRowsError, InvalidSplitOptionsError } from '../errors';
import { timeSeriesSplit, type TimeSeriesSplitOptions } from './timeSeriesSplit';

interface Case extends TimeSeriesSplitOptions {
  n: number;
}
type Result = { folds: [number[], number[]][] } | { error: string };

function sklearnReference(cases: Case[]): { sklearn: string; results: Result[] } {
  const out = execFileSync(toolPaths().python, [join(__dirname, 'timeSeriesSplit.reference.py')], { input: JSON.stringify({ cases }), maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
  return JSON.parse(out) as { sklearn: string; results: Result[] };
}

function grid(): Case[] {
  const cases: Case[] = [];
  const ns = [...Array.from({ length: 30 }, (_, i) => i + 1), 50, 101];
  for (const n of ns)
    for (const nSplits of [undefined, 2, 3, 4, 7, 10])
      for (const maxTrainSize of [undefined, 1, 2, 5, 17])
        for (const testSize of [undefined, 1, 2, 3, 7])
          for (const gap of [undefined, 1, 2, 5]) cases.push({ n, nSplits, maxTrainSize, testSize, gap });
  return cases;
}

describe('timeSeriesSplit vs sklearn.model_selection.TimeSeriesSplit', () => {
  const cases = grid();
  const ref = sklearnReference(cases);

  test(`agrees on all ${cases.length} (n, nSplits, maxTrainSize, testSize, gap) combinations`, () => {
    expect(ref.sklearn).toBe('1.7.2');
    const mismatches: string[] = [];
    let errors = 0;
    cases.forEach((c, k) => {
      const { n, ...options } = c;
      const expected = ref.results[k]!;
      let actual: Result;
      try {
        actual = { folds: timeSeriesSplit(n, options).map((f) => [Array.from(f.train), Array.from(f.test)] as [number[], number[]]) };
      } catch (e) {
        expect(e).toBeInstanceOf(InsufficientRowsError);
        actual = { error: (e as Error).message };
      }
      if ('error' in expected) {
        errors++;
        // Same condition: sklearn's "Cannot have number of folds…" / "Too many splits…".
        const reason = (m: string) => (/number of folds/i.test(m) ? 'folds' : /too many splits/i.test(m) ? 'splits' : m);
        if (!('error' in actual) || reason(actual.error) !== reason(expected.error)) mismatches.push(`${JSON.stringify(c)}: sklearn "${expected.error}", ours ${JSON.stringify(actual)}`);
      } else if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${JSON.stringify(c)}: sklearn ${JSON.stringify(expected)}, ours ${JSON.stringify(actual)}`);
      }
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The grid exercises both outcomes, not only one.
    expect(errors).toBeGreaterThan(1000);
    expect(cases.length - errors).toBeGreaterThan(1000);
  });
});

describe('timeSeriesSplit by hand', () => {
  const plain = (n: number, o?: TimeSeriesSplitOptions) => timeSeriesSplit(n, o).map((f) => [Array.from(f.train), Array.from(f.test)]);

  test('defaults: 5 splits, test size n // 6, expanding window (sklearn docs, 6 samples)', () => {
    expect(plain(6)).toEqual([[[0], [1]], [[0, 1], [2]], [[0, 1, 2], [3]], [[0, 1, 2, 3], [4]], [[0, 1, 2, 3, 4], [5]]]);
  });

  test('testSize 2 and gap 2 (sklearn docs, 12 samples): training stops 2 rows before each test fold', () => {
    expect(plain(12, { nSplits: 3, testSize: 2, gap: 2 })).toEqual([
      [[0, 1, 2, 3], [6, 7]],
      [[0, 1, 2, 3, 4, 5], [8, 9]],
      [[0, 1, 2, 3, 4, 5, 6, 7], [10, 11]],
    ]);
  });

  test('maxTrainSize slides the window; the first rows n − nSplits·testSize go to training only', () => {
    // n = 10, nSplits 3 → testSize 2, test folds start at 4, 6, 8.
    expect(plain(10, { nSplits: 3, maxTrainSize: 3 })).toEqual([
      [[1, 2, 3], [4, 5]],
      [[3, 4, 5], [6, 7]],
      [[5, 6, 7], [8, 9]],
    ]);
  });
});

describe('timeSeriesSplit errors', () => {
  test.each([
    [4, { nSplits: 4 }, InsufficientRowsError, /number of folds nSplits \+ 1 = 5 is greater than the number of rows n = 4/],
    [10, { nSplits: 3, testSize: 3, gap: 1 }, InsufficientRowsError, /too many splits: nSplits 3 × testSize 3 \+ gap 1 = 10 leaves no training rows out of n = 10/],
    [10, { nSplits: 1 }, InvalidSplitOptionsError, /nSplits 1 must be an integer >= 2/],
    [10, { nSplits: 2.5 }, InvalidSplitOptionsError, /nSplits 2.5 must be an integer >= 2/],
    // Stricter than sklearn, which accepts these and returns overlapping, empty or unlimited sets:
    [10, { gap: -1 }, InvalidSplitOptionsError, /gap -1 must be an integer >= 0/],
    [10, { testSize: 0 }, InvalidSplitOptionsError, /testSize 0 must be an integer >= 1/],
    [10, { maxTrainSize: 0 }, InvalidSplitOptionsError, /maxTrainSize 0 must be an integer >= 1/],
    [10, { maxTrainSize: Number.NaN }, InvalidSplitOptionsError, /maxTrainSize NaN must be an integer >= 1/],
    [10.5, {}, InvalidSplitOptionsError, /n 10.5 must be an integer >= 0/],
    [10, { n_splits: 3 }, InvalidSplitOptionsError, /unknown option 'n_splits'/],
  ])('n %p, %j → %p', (n, options, type, message) => {
    const run = () => timeSeriesSplit(n, options as TimeSeriesSplitOptions);
    expect(run).toThrow(type);
    expect(run).toThrow(message);
  });
});
