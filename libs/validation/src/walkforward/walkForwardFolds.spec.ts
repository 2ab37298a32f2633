import { InsufficientRowsError, InvalidSplitOptionsError } from '../errors';
import { walkForwardFolds } from './walkForwardFolds';

const HOUR = 3_600_000;
/** n hourly rows whose labels end `h` bars later (the last h rows unlabelled). */
function rows(n: number, h: number) {
  const times = Float64Array.from({ length: n }, (_, i) => i * HOUR);
  const t1 = Float64Array.from({ length: n }, (_, i) => (i + h < n ? (i + h) * HOUR : Number.NaN));
  return { times, t1 };
}

test('expanding windows: contiguous out-of-sample windows sized as numpy.array_split, training purged by t1', () => {
  const { times, t1 } = rows(100, 3);
  const folds = walkForwardFolds(times, t1, { folds: 3, start: 70 });
  // np.array_split(range(70, 100), 3) → 70–79, 80–89, 90–99
  expect(folds.map((f) => [f.test[0], f.test.at(-1)])).toEqual([[70, 79], [80, 89], [90, 99]]);
  // Row i's label ends at i + 3: rows 67–69 end at or after the window's first bar (70) and are purged.
  expect(folds[0]!.train.at(-1)).toBe(66);
  expect(folds[0]!.train.length).toBe(67);
  expect(folds[0]!.purged).toBe(3);
  expect(folds[2]!.train.length).toBe(87);
  for (const f of folds) for (const i of f.train) expect(t1[i]!).toBeLessThan(times[f.test[0]!]!);
});

test('rolling windows keep the `window` rows before the window; step fixes the window size; embargo drops more', () => {
  const { times, t1 } = rows(100, 2);
  const folds = walkForwardFolds(times, t1, { folds: 2, start: 60, step: 15, mode: 'rolling', window: 30, embargoBars: 5 });
  expect(folds.map((f) => [f.test[0], f.test.length])).toEqual([[60, 15], [75, 15]]);
  // Window 30–59, the last 5 rows embargoed (55–59; they include the 2 purged ones): 30–54.
  expect([folds[0]!.train[0], folds[0]!.train.at(-1), folds[0]!.purged]).toEqual([30, 54, 5]);
  expect([folds[1]!.train[0], folds[1]!.train.at(-1)]).toEqual([45, 69]);
});

test('bad options name the option', () => {
  const { times, t1 } = rows(50, 2);
  expect(() => walkForwardFolds(times, t1, { folds: 2, start: 40, mode: 'rolling' })).toThrow(InvalidSplitOptionsError);
  expect(() => walkForwardFolds(times, t1, { folds: 2, start: 40, mode: 'rolling' })).toThrow(/needs option 'window'/);
  expect(() => walkForwardFolds(times, t1, { folds: 0, start: 40 })).toThrow(/option 'folds' = 0/);
  expect(() => walkForwardFolds(times, t1, { folds: 3, start: 40, step: 5 })).toThrow(InsufficientRowsError);
  expect(() => walkForwardFolds(times, t1, { folds: 2, start: 50 })).toThrow(/start 50 leaves no out-of-sample rows/);
});
