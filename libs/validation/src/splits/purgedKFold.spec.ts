/**
 * purgedKFold (AFML ch. 7): two hand-built cases whose purged and embargoed rows are listed fold
 * by fold with the reasoning, properties over random label intervals against an oracle written
 * straight from the definitions, and the input errors.
 */
import { Rng } from '@ares/data';
import { InsufficientRowsError, InvalidLabelTimesError, InvalidSplitOptionsError } from '../errors';
import { purgedKFold, type PurgedFold, type PurgedKFoldOptions } from './purgedKFold';

const seq = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const plain = (f: PurgedFold) => ({ test: Array.from(f.test), purged: Array.from(f.purged), embargoed: Array.from(f.embargoed), train: Array.from(f.train) });

describe('purgedKFold, hand-built', () => {
  test('20 bars, t1 = i + 3, 4 folds of 5, embargo 1 bar', () => {
    // Row i's label is [i, i + 3]. A fold testing rows s..e has test interval [s, e + 3].
    const times = Float64Array.from(seq(0, 20));
    const t1 = Float64Array.from(seq(0, 20), (i) => i + 3);
    const folds = purgedKFold(times, t1, { nSplits: 4, embargoBars: 1 }).map(plain);
    expect(folds).toEqual([
      // Fold 0 tests 0..4 → [0, 7]. Before: nothing. After: rows 5, 6, 7 start by time 7 → purged.
      // The label horizon ends at time 7, so the embargo is the next bar, row 8.
      { test: seq(0, 5), purged: [5, 6, 7], embargoed: [8], train: seq(9, 20) },
      // Fold 1 tests 5..9 → [5, 12]. Before: rows 2, 3, 4 end at 5, 6, 7 >= 5 → purged (rows 0, 1 end
      // at 3, 4 < 5 → kept). After: rows 10, 11, 12 start by 12 → purged. Embargo: row 13.
      { test: seq(5, 10), purged: [2, 3, 4, 10, 11, 12], embargoed: [13], train: [0, 1, ...seq(14, 20)] },
      // Fold 2 tests 10..14 → [10, 17]. Before: rows 7, 8, 9 (end 10, 11, 12). After: 15, 16, 17. Embargo: row 18.
      { test: seq(10, 15), purged: [7, 8, 9, 15, 16, 17], embargoed: [18], train: [...seq(0, 7), 19] },
      // Fold 3 tests 15..19 → [15, 22]. Before: rows 12, 13, 14 (end 15, 16, 17). Nothing after, no embargo.
      { test: seq(15, 20), purged: [12, 13, 14], embargoed: [], train: seq(0, 12) },
    ]);
  });

  test('a long label, unlabelled rows at the end, embargo 2 bars', () => {
    // As above, except row 1's label runs to time 11 (spans folds 0..2) and rows 18, 19 have no
    // label (t1 NaN: their window runs past the data), so they appear in no set.
    const times = Float64Array.from(seq(0, 20));
    const t1 = Float64Array.from(seq(0, 20), (i) => i + 3);
    t1[1] = 11;
    t1[18] = Number.NaN;
    t1[19] = Number.NaN;
    const folds = purgedKFold(times, t1, { nSplits: 4, embargoBars: 2 }).map(plain);
    expect(folds).toEqual([
      // Fold 0 tests 0..4; row 1 ends at 11 → test interval [0, 11]: rows 5..11 purged, embargo 12, 13.
      { test: seq(0, 5), purged: seq(5, 12), embargoed: [12, 13], train: [14, 15, 16, 17] },
      // Fold 1 tests 5..9 → [5, 12]. Before: row 1 (ends 11) and rows 2, 3, 4 (end 5, 6, 7). After:
      // rows 10, 11, 12. Embargo 13, 14.
      { test: seq(5, 10), purged: [1, 2, 3, 4, 10, 11, 12], embargoed: [13, 14], train: [0, 15, 16, 17] },
      // Fold 2 tests 10..14 → [10, 17]. Before: row 1 (ends 11 >= 10) and rows 7, 8, 9. After: 15, 16,
      // 17. Embargo bars 18, 19 hold no labels → none listed.
      { test: seq(10, 15), purged: [1, 7, 8, 9, 15, 16, 17], embargoed: [], train: [0, 2, 3, 4, 5, 6] },
      // Fold 3 covers rows 15..19 but tests only 15, 16, 17 → [15, 20]. Before: rows 12, 13, 14;
      // row 1 (ends 11) is kept.
      { test: [15, 16, 17], purged: [12, 13, 14], embargoed: [], train: seq(0, 12) },
    ]);
  });

  test('a label ending exactly at the first test time is purged (closed intervals); ties in times too', () => {
    // Rows 0..5 at times 0, 1, 2, 2, 3, 4; two folds: rows 0..2 and 3..5. Row 2 shares time 2 with
    // row 3, the first test row of fold 1, so it overlaps even with a zero-length label.
    const times = Float64Array.of(0, 1, 2, 2, 3, 4);
    const t1 = Float64Array.of(1, 2, 2, 3, 4, 4);
    const folds = purgedKFold(times, t1, { nSplits: 2, embargoBars: 0 }).map(plain);
    expect(folds[1]).toEqual({ test: [3, 4, 5], purged: [1, 2], embargoed: [], train: [0] });
    // Fold 0 tests [0, 2]: row 3 (time 2) overlaps; row 4 starts at 3 > 2.
    expect(folds[0]).toEqual({ test: [0, 1, 2], purged: [3], embargoed: [], train: [4, 5] });
  });

  test('the default embargo is 1% of the rows, rounded down: 3 bars of 300, none of 99', () => {
    const run = (n: number) => purgedKFold(Float64Array.from(seq(0, n)), Float64Array.from(seq(0, n)), { nSplits: 3 });
    expect(Array.from(run(300)[0]!.embargoed)).toEqual([100, 101, 102]);
    expect(run(99)[0]!.embargoed.length).toBe(0);
    expect(Array.from(purgedKFold(Float64Array.from(seq(0, 300)), Float64Array.from(seq(0, 300)), { nSplits: 3, embargo: 0.05 })[1]!.embargoed)).toEqual(seq(200, 215));
  });
});

/** Random bars (ties and irregular gaps, hourly epoch ms) with labels lasting 0..~20 bars, a few NaN. */
function randomLabels(rng: Rng) {
  const n = 20 + Math.floor(rng.uniform() * 400);
  const hour = 3_600_000;
  const times = new Float64Array(n);
  times[0] = 1_700_000_000_000;
  for (let i = 1; i < n; i++) times[i] = times[i - 1]! + (rng.uniform() < 0.1 ? 0 : hour * (1 + Math.floor(rng.uniform() * 3)));
  const mean = 1 + rng.uniform() * 6;
  const t1 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.exponential(mean));
    t1[i] = j >= n || rng.uniform() < 0.03 ? Number.NaN : times[j]! + (rng.uniform() < 0.5 ? 0 : hour / 2);
  }
  const options: PurgedKFoldOptions = { nSplits: 2 + Math.floor(rng.uniform() * 7) };
  if (rng.uniform() < 0.5) options.embargoBars = Math.floor(rng.uniform() * 6);
  else options.embargo = rng.uniform() * 0.05;
  return { n, times, t1, options };
}

/** Where each fold ends: n split as numpy.array_split does (the first n % k folds one row longer). */
function foldEnds(n: number, nSplits: number): number[] {
  const ends: number[] = [];
  for (let f = 0, end = 0; f < nSplits; f++) ends.push((end += Math.floor(n / nSplits) + (f < n % nSplits ? 1 : 0)));
  return ends;
}

/** What each fold must be, from the definitions in purgedKFold.ts, computed the slow way. */
function oracle(times: Float64Array, t1: Float64Array, nSplits: number, k: number) {
  const n = times.length;
  const labelled = (i: number) => !Number.isNaN(t1[i]!);
  const sizes = seq(0, nSplits).map((f) => Math.floor(n / nSplits) + (f < n % nSplits ? 1 : 0));
  let start = 0;
  return sizes.map((size) => {
    const end = start + size;
    const inFold = (i: number) => i >= start && i < end;
    const test = seq(start, end).filter(labelled);
    const lo = Math.min(...test.map((i) => times[i]!));
    const hi = Math.max(...test.map((i) => t1[i]!));
    const outside = seq(0, n).filter((i) => labelled(i) && !inFold(i));
    const purged = outside.filter((i) => times[i]! <= hi && t1[i]! >= lo);
    const after = seq(end, n).filter((i) => times[i]! > hi); // rows past the label horizon, in order
    const embargoBars = after.slice(0, k); // the next k bars, labelled or not
    const embargoed = embargoBars.filter(labelled);
    const train = outside.filter((i) => !purged.includes(i) && !embargoed.includes(i));
    start = end;
    return { test, purged, embargoed, train };
  });
}

describe('purgedKFold properties over random label intervals', () => {
  const rng = new Rng(20240601);
  const trials = Array.from({ length: 300 }, () => randomLabels(rng));

  test('equals the oracle, and no kept training label overlaps any test label', () => {
    let ran = 0;
    const problems: string[] = [];
    for (const [trial, { n, times, t1, options }] of trials.entries()) {
      const k = options.embargoBars ?? Math.floor(n * options.embargo!);
      const expected = oracle(times, t1, options.nSplits!, k);
      let folds: PurgedFold[];
      try {
        folds = purgedKFold(times, t1, options);
      } catch (e) {
        // Only legitimate when some fold has no test rows or nothing left to train on.
        expect(e).toBeInstanceOf(InsufficientRowsError);
        expect(expected.some((f) => f.test.length === 0 || f.train.length === 0)).toBe(true);
        continue;
      }
      ran++;
      if (JSON.stringify(folds.map(plain)) !== JSON.stringify(expected)) problems.push(`trial ${trial}: differs from the oracle`);
      for (const [f, fold] of folds.entries()) {
        const test = new Set(fold.test);
        // train ∩ test = ∅, and train / test / purged / embargoed / unlabelled cover every row once.
        const all = [...fold.train, ...fold.test, ...fold.purged, ...fold.embargoed, ...seq(0, n).filter((i) => Number.isNaN(t1[i]!))].sort((a, b) => a - b);
        if (JSON.stringify(all) !== JSON.stringify(seq(0, n))) problems.push(`trial ${trial} fold ${f}: sets do not partition the rows`);
        for (const i of fold.train) {
          if (test.has(i)) problems.push(`trial ${trial} fold ${f}: row ${i} in train and test`);
          for (const j of fold.test) {
            if (times[i]! <= t1[j]! && t1[i]! >= times[j]!) problems.push(`trial ${trial} fold ${f}: train row ${i} overlaps test row ${j}`);
          }
        }
        // Embargo: exactly the labelled rows among the next k bars after the fold's label horizon.
        const hi = Math.max(...Array.from(fold.test, (j) => t1[j]!));
        const end = foldEnds(n, options.nSplits!)[f]!; // positional: a fold may end in unlabelled rows
        let horizon = end;
        while (horizon < n && times[horizon]! <= hi) horizon++;
        const want = seq(horizon, Math.min(n, horizon + k)).filter((i) => !Number.isNaN(t1[i]!));
        if (JSON.stringify(Array.from(fold.embargoed)) !== JSON.stringify(want)) problems.push(`trial ${trial} fold ${f}: embargo ${Array.from(fold.embargoed)} != ${want}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(ran).toBeGreaterThan(250);
  });

  test('test folds are contiguous, unshuffled and together test every labelled row once', () => {
    for (const { n, times, t1, options } of trials.slice(0, 100)) {
      let folds: PurgedFold[];
      try {
        folds = purgedKFold(times, t1, options);
      } catch {
        continue;
      }
      const tested = folds.flatMap((f) => Array.from(f.test));
      expect(tested).toEqual(seq(0, n).filter((i) => !Number.isNaN(t1[i]!)));
    }
  });
});

describe('purgedKFold errors', () => {
  const times = Float64Array.from(seq(0, 10));
  const t1 = Float64Array.from(seq(0, 10), (i) => i + 1);
  test.each([
    ['lengths differ', times, t1.subarray(1), {}, InvalidLabelTimesError, /t1 has 9 rows but times has 10/],
    ['unsorted times', Float64Array.of(0, 2, 1, 3), Float64Array.of(1, 2, 3, 4), { nSplits: 2 }, InvalidLabelTimesError, /times are not sorted: times\[2\] = 1 is before times\[1\] = 2/],
    ['NaN time', Float64Array.of(0, Number.NaN, 2, 3), Float64Array.of(1, 2, 3, 4), { nSplits: 2 }, InvalidLabelTimesError, /times\[1\] is NaN/],
    ['label ending before it starts', times, t1.map((e, i) => (i === 4 ? 3 : e)), {}, InvalidLabelTimesError, /1 label ends before it starts, first at row 4: t1 3 < times 4/],
    ['infinite t1', times, t1.map((e, i) => (i === 2 ? Infinity : e)), {}, InvalidLabelTimesError, /t1\[2\] is Infinity/],
    ['epoch-ms times are shown as dates', Float64Array.of(1.7e12, 1.7e12 - 1), Float64Array.of(1.7e12, 1.7e12), { nSplits: 2 }, InvalidLabelTimesError, /1699999999999 \(2023-11-14T22:13:19.999Z\) is before/],
    ['nSplits 1', times, t1, { nSplits: 1 }, InvalidSplitOptionsError, /nSplits 1 must be an integer >= 2/],
    ['more folds than rows', times, t1, { nSplits: 11 }, InsufficientRowsError, /nSplits 11 is greater than the number of rows n = 10/],
    ['embargo 1', times, t1, { embargo: 1 }, InvalidSplitOptionsError, /embargo 1 must be in \[0, 1\)/],
    ['negative embargo', times, t1, { embargo: -0.01 }, InvalidSplitOptionsError, /embargo -0.01 must be in \[0, 1\)/],
    ['fractional embargoBars', times, t1, { embargoBars: 1.5 }, InvalidSplitOptionsError, /embargoBars 1.5 must be an integer >= 0/],
    ['both embargo options', times, t1, { embargo: 0.02, embargoBars: 3 }, InvalidSplitOptionsError, /embargo 0.02 and embargoBars 3 are alternatives/],
    ['misspelt option', times, t1, { pctEmbargo: 0.01 }, InvalidSplitOptionsError, /unknown option 'pctEmbargo'/],
    ['a fold with no labels', times, t1.map((e, i) => (i >= 5 ? Number.NaN : e)), { nSplits: 2 }, InsufficientRowsError, /fold 1 \(rows 5..9, from 5\) has no labelled rows/],
    ['labels spanning everything', times, t1.map(() => 100), { nSplits: 2 }, InsufficientRowsError, /fold 0 \(rows 0..4, from 0\) leaves no training rows \(5 purged, 0 embargoed\)/],
  ])('%s', (_name, tt, ee, options, type, message) => {
    const run = () => purgedKFold(tt, ee, options as PurgedKFoldOptions);
    expect(run).toThrow(type);
    expect(run).toThrow(message);
  });
});
