import { generateSyntheticMarket } from '@ares/data';
import { thrown } from '@ares/data/testing';
import { InvalidFeatureParamsError } from '../errors';
import { latticeValues, MAX_GRID_CANDIDATES, optimizeTargetParams, type OptimizeTargetOptions, type TargetCandidate } from './optimizeTargetParams';
import { TOUCH, tripleBarrierLabels, type LabelBars } from './tripleBarrier';

const market = generateSyntheticMarket({ bars: 4_000, seed: 5 }).candles;
const TRAIN_END = 2_999;

/** A 3 × 3 × 3 lattice: quick, and enough to exercise every statistic. */
const SMALL: OptimizeTargetOptions = {
  tpMult: { min: 1, max: 2, step: 0.5 },
  slMult: { min: 1, max: 1.5, step: 0.25 },
  holdingBars: { min: 4, max: 10, step: 3 },
};

const key = (c: TargetCandidate) => `${c.params.tpMult}/${c.params.slMult}/${c.params.holdingBars}`;

describe('optimizeTargetParams: the search space', () => {
  test('grid size is the product of the range sizes (defaults: 5 tp × 5 sl × 8 holding = 200)', () => {
    const { candidates } = optimizeTargetParams(market, { index: TRAIN_END });
    expect(candidates).toHaveLength(200);
    expect(new Set(candidates.map(key)).size).toBe(200);
    expect([...new Set(candidates.map((c) => c.params.tpMult))].sort()).toEqual([1, 1.5, 2, 2.5, 3]);
    expect([...new Set(candidates.map((c) => c.params.holdingBars))].sort((a, b) => a - b)).toEqual([6, 12, 18, 24, 30, 36, 42, 48]);
  });

  test('custom ranges: 3 × 3 × 3 = 27 distinct lattice points; a step that overshoots max stops below it', () => {
    expect(optimizeTargetParams(market, { index: TRAIN_END }, SMALL).candidates).toHaveLength(27);
    expect(latticeValues({ min: 1, max: 2, step: 0.3 })).toEqual([1, 1.3, 1.6, 1.9]);
    expect(latticeValues({ min: 0.1, max: 0.3, step: 0.1 })).toEqual([0.1, 0.2, 0.3]); // no float drift loses 0.3
  });

  test('random mode is seeded: same seed, same candidates; another seed, other candidates; all distinct lattice points', () => {
    const options: OptimizeTargetOptions = { mode: 'random', samples: 20, seed: 9 };
    const a = optimizeTargetParams(market, { index: TRAIN_END }, options);
    const b = optimizeTargetParams(market, { index: TRAIN_END }, options);
    const c = optimizeTargetParams(market, { index: TRAIN_END }, { ...options, seed: 10 });
    expect(b).toEqual(a);
    expect(a.candidates).toHaveLength(20);
    expect(new Set(a.candidates.map(key)).size).toBe(20);
    expect(new Set(c.candidates.map(key))).not.toEqual(new Set(a.candidates.map(key)));
    const grid = new Set(optimizeTargetParams(market, { index: TRAIN_END }).candidates.map(key));
    for (const k of a.candidates.map(key)) expect(grid.has(k)).toBe(true);
  });

  test('random mode with more samples than lattice points evaluates the whole lattice', () => {
    expect(optimizeTargetParams(market, { index: TRAIN_END }, { ...SMALL, mode: 'random', samples: 500 }).candidates).toHaveLength(27);
  });
});

describe('optimizeTargetParams: the objective', () => {
  const result = optimizeTargetParams(market, { index: TRAIN_END });

  test('each score is the documented formula: 1·balance + sharpe − 1·maxDrawdown (default weights)', () => {
    for (const c of result.candidates) expect(c.score).toBeCloseTo(c.balance + c.sharpe - c.maxDrawdown, 12);
    const weighted = optimizeTargetParams(market, { index: TRAIN_END }, { ...SMALL, balanceWeight: 0.5, ddWeight: 3 });
    for (const c of weighted.candidates) expect(c.score).toBeCloseTo(0.5 * c.balance + c.sharpe - 3 * c.maxDrawdown, 12);
  });

  test('best is the argmax of the score over the eligible candidates; the table is sorted eligible first, by score', () => {
    const eligible = result.candidates.filter((c) => c.eligible);
    expect(eligible.length).toBeGreaterThan(0);
    const argmax = eligible.reduce((a, c) => (c.score > a.score ? c : a));
    expect(result.best).toEqual(argmax.params);
    expect(result.candidates[0]!.params).toEqual(result.best);
    for (let k = 1; k < result.candidates.length; k++) {
      const [prev, cur] = [result.candidates[k - 1]!, result.candidates[k]!];
      if (prev.eligible === cur.eligible) expect(prev.score).toBeGreaterThanOrEqual(cur.score);
      else expect(prev.eligible).toBe(true);
    }
  });

  test('eligibility: rows >= minRows and every class share >= minClassShare (0.1)', () => {
    for (const c of result.candidates) {
      const smallest = Math.min(c.classShares.down, c.classShares.flat, c.classShares.up);
      expect(c.eligible).toBe(c.rows >= 30 && smallest >= 0.1);
      expect(c.classShares.down + c.classShares.flat + c.classShares.up).toBeCloseTo(1, 12);
    }
    expect(result.candidates.some((c) => !c.eligible)).toBe(true); // wide barriers, short holding: mostly 0
  });

  test('the statistics match an independent computation from tripleBarrierLabels on the training rows', () => {
    for (const c of [result.candidates[0]!, result.candidates[57]!, result.candidates[199]!]) {
      const labels = tripleBarrierLabels(market, { ...c.params, atrPeriod: 14 });
      const end = market.closeTime[TRAIN_END]!;
      const rows: { i: number; ret: number; label: number; touched: number; t1: number }[] = [];
      for (let i = 0; i < market.length; i++) {
        if (labels.valid[i] === 1 && labels.t1[i]! <= end) rows.push({ i, ret: labels.ret[i]!, label: labels.label[i]!, touched: labels.touched[i]!, t1: labels.t1[i]! });
      }
      const mean = rows.reduce((a, r) => a + r.ret, 0) / rows.length;
      const std = Math.sqrt(rows.reduce((a, r) => a + (r.ret - mean) ** 2, 0) / (rows.length - 1));
      // Non-overlapping path: take a row, then the next that enters at or after its t1.
      const path = [0];
      let free = -Infinity;
      for (const r of rows) if (market.closeTime[r.i]! >= free) { path.push(path.at(-1)! + r.ret); free = r.t1; }
      let peak = -Infinity;
      let dd = 0;
      for (const v of path) { peak = Math.max(peak, v); dd = Math.max(dd, peak - v); }
      const share = (l: number) => rows.filter((r) => r.label === l).length / rows.length;
      const shares = [share(-1), share(0), share(1)];
      const tp = rows.filter((r) => r.touched === TOUCH.takeProfit).length;
      const sl = rows.filter((r) => r.touched === TOUCH.stopLoss).length;

      expect(c.rows).toBe(rows.length);
      expect(c.sharpe).toBeCloseTo(mean / std, 10);
      expect(c.maxDrawdown).toBeCloseTo(dd, 10);
      expect(c.winRate).toBeCloseTo(tp / (tp + sl), 12);
      expect(c.classShares).toEqual({ down: shares[0], flat: shares[1], up: shares[2] });
      expect(c.balance).toBeCloseTo(-shares.reduce((a, s) => a + (s > 0 ? s * Math.log(s) : 0), 0) / Math.log(3), 12);
    }
  });

  test('no eligible candidate is an error naming minClassShare and the training window', () => {
    const e = thrown(() => optimizeTargetParams(market, { index: TRAIN_END }, { ...SMALL, minClassShare: 1 / 3 }));
    expect(e).toBeInstanceOf(InvalidFeatureParamsError);
    expect(e.message).toMatch(/no eligible candidate \(one needs at least minRows 30 labelled rows and every class share >= minClassShare 0.333.*training window: 3000 bars closing by 2024-05-04T23:59:59.999Z/);
  });
});

describe('optimizeTargetParams: only the training window', () => {
  const reference = optimizeTargetParams(market, { index: TRAIN_END }, SMALL);

  function damaged(fill: (k: number) => number): LabelBars {
    const copy = (c: Float64Array) => {
      const d = c.slice();
      for (let k = TRAIN_END + 1; k < d.length; k++) d[k] = fill(k);
      return d;
    };
    return { openTime: copy(market.openTime), closeTime: copy(market.closeTime), open: copy(market.open), high: copy(market.high), low: copy(market.low), close: copy(market.close) };
  }

  test('bars after trainEnd replaced with NaN or with garbage: the same result', () => {
    expect(optimizeTargetParams(damaged(() => Number.NaN), { index: TRAIN_END }, SMALL)).toEqual(reference);
    expect(optimizeTargetParams(damaged((k) => (k % 2 ? 1e9 : 1e-3)), { index: TRAIN_END }, SMALL)).toEqual(reference);
  });

  test('rows are exactly the full-series rows whose t1 is at or before the close of the trainEnd bar', () => {
    const end = market.closeTime[TRAIN_END]!;
    for (const c of reference.candidates) {
      const full = tripleBarrierLabels(market, { ...c.params, atrPeriod: 14 });
      let rows = 0;
      let straddling = 0;
      for (let i = 0; i <= TRAIN_END; i++) {
        if (full.valid[i] !== 1) continue;
        if (full.t1[i]! <= end) rows++;
        else straddling++;
      }
      expect(c.rows).toBe(rows);
      expect(straddling).toBeGreaterThan(0); // there were rows to exclude
    }
  });

  test('trainEnd by time: the bars closed by then (the close of bar 2999, or any time before bar 3000 closes)', () => {
    expect(optimizeTargetParams(market, { time: market.closeTime[TRAIN_END]! }, SMALL)).toEqual(reference);
    expect(optimizeTargetParams(market, { time: market.closeTime[TRAIN_END]! + 1_800_000 }, SMALL)).toEqual(reference);
    expect(reference.trainEnd).toEqual({ index: TRAIN_END, closeTime: market.closeTime[TRAIN_END] });
  });
});

describe('optimizeTargetParams: bad options', () => {
  const run = (options: unknown, trainEnd: unknown = { index: TRAIN_END }) => thrown(() => optimizeTargetParams(market, trainEnd as { index: number }, options as OptimizeTargetOptions));

  test.each<[string, unknown, string]>([
    ['min > max', { tpMult: { min: 3, max: 1 } }, "optimizeTargetParams option 'tpMult': min 3 > max 1"],
    ['min above the default max', { slMult: { min: 4 } }, "optimizeTargetParams option 'slMult': min 4 > max 3"],
    ['step 0', { slMult: { step: 0 } }, "optimizeTargetParams option 'slMult.step': must be > 0 (got 0)"],
    ['negative step', { tpMult: { step: -0.5 } }, "optimizeTargetParams option 'tpMult.step': must be > 0 (got -0.5)"],
    ['fractional holding step', { holdingBars: { step: 1.5 } }, "optimizeTargetParams option 'holdingBars.step': must be an integer (got 1.5)"],
    ['holding min 0', { holdingBars: { min: 0 } }, "optimizeTargetParams option 'holdingBars.min': must be > 0 (got 0)"],
    ['unknown mode', { mode: 'bayes' }, "optimizeTargetParams option 'mode': must be 'grid' or 'random' (got \"bayes\")"],
    ['a typo in a range', { tpMult: { mn: 1 } }, "optimizeTargetParams option: unknown field 'mn' in 'tpMult'"],
    ['minClassShare above 1/3', { minClassShare: 0.5 }, "optimizeTargetParams option 'minClassShare': must be <= 1/3 (three classes) (got 0.5)"],
  ])('%s: InvalidFeatureParamsError naming the field', (_name, options, message) => {
    const e = run(options);
    expect(e).toBeInstanceOf(InvalidFeatureParamsError);
    expect(e.message).toBe(message);
  });

  test('a grid larger than MAX_GRID_CANDIDATES names the three ranges', () => {
    expect(run({ tpMult: { step: 0.01 }, slMult: { step: 0.01 } }).message).toBe(
      `optimizeTargetParams: a grid of 323208 candidates (tpMult 201 × slMult 201 × holdingBars 8) exceeds ${MAX_GRID_CANDIDATES}; use mode 'random' or coarser steps`,
    );
  });

  test('trainEnd out of range or before the first close', () => {
    expect(run(SMALL, { index: 4_000 }).message).toBe('trainEnd.index must be an integer bar index in 0..3999; got 4000');
    expect(run(SMALL, { index: 1.5 }).message).toBe('trainEnd.index must be an integer bar index in 0..3999; got 1.5');
    expect(run(SMALL, { time: market.openTime[0]! }).message).toBe('trainEnd.time 2024-01-01T00:00:00.000Z is before the first bar closes (2024-01-01T00:59:59.999Z)');
    expect(run(SMALL, {}).message).toBe('trainEnd must be { index } or { time }; got {}');
  });
});
