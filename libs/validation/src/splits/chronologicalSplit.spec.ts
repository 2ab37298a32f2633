/**
 * chronologicalSplit: the classic trainer's sizes (Python `int(n * ratio)`), hand-checked ranges,
 * purging by label end time on a hand-built case, and errors that name the option and value.
 */
import { Rng } from '@ares/data';
import { InsufficientRowsError, InvalidLabelTimesError, InvalidSplitOptionsError } from '../errors';
import { chronologicalSplit, type ChronologicalSplitOptions } from './chronologicalSplit';

const ints = (a: Int32Array) => Array.from(a);
const seq = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe('chronologicalSplit ranges', () => {
  test('defaults 0.8 / 0.1: [0, 80), [80, 90), [90, 100)', () => {
    const s = chronologicalSplit(100);
    expect([s.train, s.valid, s.test]).toEqual([{ start: 0, end: 80 }, { start: 80, end: 90 }, { start: 90, end: 100 }]);
    expect(ints(s.rows.train)).toEqual(seq(0, 80));
    expect(ints(s.rows.test)).toEqual(seq(90, 100));
    expect(s.purged.length + s.unlabeled.length).toBe(0);
  });

  test('sizes round down as Python int() does: 10 rows at 0.7 / 0.2 → 7, 2, 1 (0.7·10 = 7.000000000000001)', () => {
    const s = chronologicalSplit(10, { trainRatio: 0.7, valRatio: 0.2 });
    expect([s.train.end, s.valid.end, s.test.end]).toEqual([7, 9, 10]);
  });

  test('valRatio 0: no validation segment, test follows train', () => {
    const s = chronologicalSplit(10, { trainRatio: 0.75, valRatio: 0 });
    expect([s.train, s.valid, s.test]).toEqual([{ start: 0, end: 7 }, { start: 7, end: 7 }, { start: 7, end: 10 }]);
    expect(s.rows.valid.length).toBe(0);
  });

  test('property: the three ranges tile [0, n) in order with the floor sizes, test never empty', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 2000; trial++) {
      const n = 10 + Math.floor(rng.uniform() * 5000);
      const trainRatio = 0.05 + rng.uniform() * 0.9;
      const valRatio = rng.uniform() < 0.2 ? 0 : rng.uniform() * (1 - trainRatio) * 0.99;
      let s;
      try {
        s = chronologicalSplit(n, { trainRatio, valRatio });
      } catch (e) {
        // Only a segment too small to hold one row may fail.
        expect(e).toBeInstanceOf(InsufficientRowsError);
        expect(Math.floor(n * trainRatio) === 0 || (valRatio > 0 && Math.floor(n * valRatio) === 0)).toBe(true);
        continue;
      }
      expect(s.train.start).toBe(0);
      expect(s.train.end).toBe(Math.floor(n * trainRatio));
      expect(s.valid.start).toBe(s.train.end);
      expect(s.valid.end - s.valid.start).toBe(Math.floor(n * valRatio));
      expect(s.test.start).toBe(s.valid.end);
      expect(s.test.end).toBe(n);
      expect(s.test.end - s.test.start).toBeGreaterThan(0);
    }
  });
});

describe('chronologicalSplit purging', () => {
  // 20 bars at times 0..19; each label ends 2 bars later (t1 = i + 2), except row 3, whose label
  // runs to 13, and the last two rows, whose window runs past the data (t1 NaN, as the labeler emits).
  const times = Float64Array.from(seq(0, 20));
  const t1 = Float64Array.from(seq(0, 20), (i) => i + 2);
  t1[3] = 13;
  t1[18] = Number.NaN;
  t1[19] = Number.NaN;

  test('hand-built: 0.6 / 0.2 of 20 rows → train [0, 12), valid [12, 16), test [16, 20)', () => {
    const s = chronologicalSplit(20, { trainRatio: 0.6, valRatio: 0.2, times, t1 });
    expect([s.train, s.valid, s.test]).toEqual([{ start: 0, end: 12 }, { start: 12, end: 16 }, { start: 16, end: 20 }]);
    // Train vs the validation period (starts at time 12): t1 >= 12 → row 3 (t1 13), rows 10, 11 (t1 12, 13).
    // Valid vs the test period (starts at time 16): t1 >= 16 → rows 14, 15 (t1 16, 17).
    expect(ints(s.purged)).toEqual([3, 10, 11, 14, 15]);
    expect(ints(s.unlabeled)).toEqual([18, 19]);
    expect(ints(s.rows.train)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
    expect(ints(s.rows.valid)).toEqual([12, 13]);
    expect(ints(s.rows.test)).toEqual([16, 17]);
  });

  test('without a validation segment, training is purged against the first test time', () => {
    // 0.6 / 0 → test starts at row 12 (time 12): t1 >= 12 → rows 3, 10, 11.
    const s = chronologicalSplit(20, { trainRatio: 0.6, valRatio: 0, times, t1 });
    expect(ints(s.purged)).toEqual([3, 10, 11]);
    expect(ints(s.rows.test)).toEqual(seq(12, 18));
  });

  test('a label ending exactly at the next segment\'s first time is purged (closed intervals)', () => {
    const s = chronologicalSplit(4, { trainRatio: 0.5, valRatio: 0, times: Float64Array.of(0, 1, 2, 3), t1: Float64Array.of(1, 2, 3, 3) });
    expect(ints(s.purged)).toEqual([1]); // t1[1] = 2 = times[2]
  });

  test('property: no kept train / valid label reaches into a later segment', () => {
    const rng = new Rng(11);
    const problems: string[] = [];
    for (let trial = 0; trial < 300; trial++) {
      const n = 30 + Math.floor(rng.uniform() * 300);
      const tt = new Float64Array(n);
      for (let i = 1; i < n; i++) tt[i] = tt[i - 1]! + (rng.uniform() < 0.1 ? 0 : 1 + Math.floor(rng.uniform() * 3));
      const ee = Float64Array.from(tt, (_t, i) => (rng.uniform() < 0.05 ? Number.NaN : tt[Math.min(n - 1, i + Math.floor(rng.exponential(2)))]!));
      const s = chronologicalSplit(n, { trainRatio: 0.6, valRatio: 0.2, times: tt, t1: ee });
      const validStart = tt[s.valid.start]!;
      const testStart = tt[s.test.start]!;
      for (const i of s.rows.train) if (!(ee[i]! < validStart)) problems.push(`trial ${trial}: train row ${i} ends at ${ee[i]} >= ${validStart}`);
      for (const i of s.rows.valid) if (!(ee[i]! < testStart)) problems.push(`trial ${trial}: valid row ${i} ends at ${ee[i]} >= ${testStart}`);
      // Minimal: a purged row does reach into the next segment.
      for (const i of s.purged) if (!(ee[i]! >= (i < s.valid.start ? validStart : testStart))) problems.push(`trial ${trial}: row ${i} purged needlessly`);
      const all = [...s.rows.train, ...s.rows.valid, ...s.rows.test, ...s.purged, ...s.unlabeled].sort((a, b) => a - b);
      if (JSON.stringify(all) !== JSON.stringify(seq(0, n))) problems.push(`trial ${trial}: rows not covered exactly once`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });
});

describe('chronologicalSplit errors', () => {
  const t = Float64Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  test.each([
    ['trainRatio above 1', 10, { trainRatio: 1.2 }, InvalidSplitOptionsError, /trainRatio 1.2 must be in \(0, 1\)/],
    ['trainRatio 0', 10, { trainRatio: 0 }, InvalidSplitOptionsError, /trainRatio 0 must be in \(0, 1\)/],
    ['trainRatio NaN', 10, { trainRatio: Number.NaN }, InvalidSplitOptionsError, /trainRatio NaN must be in \(0, 1\)/],
    ['negative valRatio', 10, { valRatio: -0.1 }, InvalidSplitOptionsError, /valRatio -0.1 must be in \[0, 1\)/],
    ['valRatio 1', 10, { valRatio: 1 }, InvalidSplitOptionsError, /valRatio 1 must be in \[0, 1\)/],
    ['ratios summing to 1', 10, { trainRatio: 0.7, valRatio: 0.3 }, InvalidSplitOptionsError, /trainRatio 0.7 \+ valRatio 0.3 = 1 must be < 1/],
    ['empty train', 3, { trainRatio: 0.2 }, InsufficientRowsError, /train segment is empty: trainRatio 0.2 of 3 rows gives 0 rows/],
    ['empty valid', 5, {}, InsufficientRowsError, /valid segment is empty: valRatio 0.1 of 5 rows gives 0 rows/],
    ['negative n', -1, {}, InvalidSplitOptionsError, /n -1 must be an integer >= 0/],
    ['misspelt option', 10, { train_ratio: 0.5 }, InvalidSplitOptionsError, /unknown option 'train_ratio'/],
    ['times without t1', 10, { times: t }, InvalidSplitOptionsError, /times and t1 go together .* got only times/],
    ['times shorter than n', 10, { times: t.subarray(1), t1: t.subarray(1) }, InvalidLabelTimesError, /times has 9 rows but n is 10/],
    ['labels ending before they start', 10, { times: t, t1: t.map((x) => x - 1) }, InvalidLabelTimesError, /10 labels end before they start, first at row 0: t1 -1 < times 0/],
    ['unsorted times', 10, { times: t.map((x) => 9 - x), t1: t }, InvalidLabelTimesError, /times are not sorted: times\[1\] = 8 is before times\[0\] = 9/],
    ['every training label reaching into the test period', 10, { times: t, t1: t.map((x) => x + 100) }, InsufficientRowsError, /train segment is empty after purging: rows 0..7/],
  ])('%s', (_name, n, options, type, message) => {
    const run = () => chronologicalSplit(n, options as ChronologicalSplitOptions);
    expect(run).toThrow(type);
    expect(run).toThrow(message);
  });
});
