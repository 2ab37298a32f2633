import { earlyStoppingHoldout } from './earlyStoppingHoldout';

const HOUR = 3_600_000;

/** Hourly bars 0..n-1 whose labels end `horizon` bars later. */
function bars(n: number, horizon: number) {
  const times = Float64Array.from({ length: n }, (_, i) => i * HOUR);
  const t1 = Float64Array.from(times, (t) => t + horizon * HOUR);
  return { times, t1 };
}

describe('earlyStoppingHoldout', () => {
  it('holds out the latest share of the rows and purges the fit rows whose labels reach into it', () => {
    const { times, t1 } = bars(100, 3);
    const rows = Int32Array.from({ length: 100 }, (_, i) => i);
    const h = earlyStoppingHoldout(rows, { times, t1, validShare: 0.2, minRows: 10 })!;
    // Worked by hand: 20 held-out rows 80..99; rows 77, 78, 79 end at bars 80, 81, 82 (>= bar 80) and are purged.
    expect(Array.from(h.valid)).toEqual(Array.from({ length: 20 }, (_, i) => 80 + i));
    expect(Array.from(h.fit)).toEqual(Array.from({ length: 77 }, (_, i) => i));
  });

  it('works on the training rows of a purged fold (rows with a gap), looking at no other row', () => {
    const { times, t1 } = bars(200, 2);
    // Training rows of a middle test fold: 0..59 and 140..199.
    const rows = Int32Array.from([...Array.from({ length: 60 }, (_, i) => i), ...Array.from({ length: 60 }, (_, i) => 140 + i)]);
    const h = earlyStoppingHoldout(rows, { times, t1, validShare: 0.25, minRows: 10 })!;
    expect(Array.from(h.valid)).toEqual(Array.from({ length: 30 }, (_, i) => 170 + i));
    // Rows 168 and 169 end at bar 170 and 171: purged. Everything else is kept, and only given rows appear.
    expect(Array.from(h.fit)).toEqual([...Array.from({ length: 60 }, (_, i) => i), ...Array.from({ length: 28 }, (_, i) => 140 + i)]);
    for (const r of h.valid) expect(Math.max(...Array.from(h.fit, (f) => t1[f]!))).toBeLessThan(times[r]!);
  });

  it('gives up (undefined) when either side would be smaller than minRows', () => {
    const { times, t1 } = bars(60, 1);
    const rows = Int32Array.from({ length: 60 }, (_, i) => i);
    expect(earlyStoppingHoldout(rows, { times, t1, validShare: 0.2 })).toBeUndefined(); // 12 held out < 50
    expect(earlyStoppingHoldout(rows, { times, t1, validShare: 0.2, minRows: 12 })).toBeDefined();
    // Labels so long that every fit row overlaps the held-out period: nothing left to fit.
    const long = bars(60, 100);
    expect(earlyStoppingHoldout(rows, { ...long, validShare: 0.5, minRows: 5 })).toBeUndefined();
  });

  it('rejects rows out of time order and a share outside (0, 0.5], naming the value', () => {
    const { times, t1 } = bars(100, 1);
    expect(() => earlyStoppingHoldout(Int32Array.from([5, 4, 6]), { times, t1, minRows: 1 })).toThrow(/row 4 .* comes after row 5/);
    expect(() => earlyStoppingHoldout(Int32Array.from([1, 2]), { times, t1, validShare: 0.7 })).toThrow(/validShare = 0.7/);
  });
});
