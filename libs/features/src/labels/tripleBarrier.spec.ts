import { generateSyntheticMarket, InvalidInputError } from '@ares/data';
import { thrown } from '@ares/data/testing';
import { atr } from '../core/rolling';
import { InvalidFeatureParamsError, MissingColumnError, NonFiniteInputError } from '../errors';
import { fixedHorizonLabels, TOUCH, tripleBarrierLabels, type LabelBars, type TripleBarrierLabels, type TripleBarrierParams } from './tripleBarrier';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
/** closeTime of bar k in the hand-made paths (Binance style: open + interval − 1 ms). */
const closeAt = (k: number) => T0 + (k + 1) * HOUR - 1;

type Ohlc = readonly [open: number, high: number, low: number, close: number];

/** Hourly bars from [open, high, low, close] rows starting 2024-01-01T00:00Z. */
function barsOf(rows: readonly Ohlc[]): Required<LabelBars> {
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  const openTime = Float64Array.from(rows, (_, i) => T0 + i * HOUR);
  return { openTime, closeTime: openTime.map((t) => t + HOUR - 1), open: col(0), high: col(1), low: col(2), close: col(3) };
}

/**
 * Three flat bars: true range 2 at bars 1 and 2 (high − low = 2, |high − prev close| = 1), so
 * ATR(2) at bar 2 = (2 + 2) / 2 = 2. With tpMult 1.5 and slMult 1, row 2 (entry = close 100) has
 * take-profit 100 + 1.5·2 = 103 and stop-loss 100 − 1·2 = 98.
 */
const WARMUP: readonly Ohlc[] = [
  [100, 101, 99, 100],
  [100, 101, 99, 100],
  [100, 101, 99, 100],
];
const PARAMS = { tpMult: 1.5, slMult: 1, atrPeriod: 2 } as const;

function row(out: TripleBarrierLabels, i: number) {
  return { label: out.label[i], t1: out.t1[i], ret: out.ret[i], touched: out.touched[i], valid: out.valid[i] };
}

function expectRow(out: TripleBarrierLabels, i: number, expected: { label: number; t1: number; ret: number; touched: number }): void {
  const r = row(out, i);
  expect({ ...r, ret: undefined }).toEqual({ ...expected, ret: undefined, valid: 1 });
  expect(r.ret).toBeCloseTo(expected.ret, 12);
}

function expectInvalid(out: TripleBarrierLabels, i: number): void {
  expect(row(out, i)).toEqual({ label: 0, t1: Number.NaN, ret: Number.NaN, touched: 0, valid: 0 });
}

describe('tripleBarrierLabels: hand-computed paths (row 2: entry 100, ATR 2, TP 103, SL 98)', () => {
  test('take-profit first: the bar that reaches 103 resolves at the barrier level', () => {
    const out = tripleBarrierLabels(barsOf([
      ...WARMUP,
      [100, 101, 99.5, 100.5], // bar 3: 101 < 103, 99.5 > 98: no touch
      [100.5, 103.5, 100, 103], // bar 4: high 103.5 >= 103, low 100 > 98: take-profit
      [103, 104, 102, 103.5],
    ]), { ...PARAMS, holdingBars: 3 });
    // ret = 103 / 100 − 1 = 0.03; t1 = closeTime of bar 4
    expectRow(out, 2, { label: 1, t1: closeAt(4), ret: 0.03, touched: TOUCH.takeProfit });
  });

  test('stop-loss first: the bar that reaches 98 resolves at the barrier level', () => {
    const out = tripleBarrierLabels(barsOf([
      ...WARMUP,
      [100, 101, 99, 99.5], // bar 3: no touch
      [99.5, 100, 97.5, 98], // bar 4: low 97.5 <= 98: stop-loss
      [98, 104, 97, 103.5], // bar 5 would have touched the take-profit: too late
    ]), { ...PARAMS, holdingBars: 3 });
    // ret = 98 / 100 − 1 = −0.02
    expectRow(out, 2, { label: -1, t1: closeAt(4), ret: -0.02, touched: TOUCH.stopLoss });
  });

  const flat: readonly Ohlc[] = [
    ...WARMUP,
    [100, 101, 99, 100.5], // bar 3: no touch
    [100.5, 102, 99.5, 101], // bar 4 = i + holdingBars: no touch, closes at 101
  ];

  test('vertical barrier: no touch within holdingBars gives label 0 and the close-to-close return', () => {
    const out = tripleBarrierLabels(barsOf(flat), { ...PARAMS, holdingBars: 2 });
    // ret = 101 / 100 − 1 = 0.01, t1 = closeTime of bar 4 (the vertical barrier, the last bar: still valid)
    expectRow(out, 2, { label: 0, t1: closeAt(4), ret: 0.01, touched: TOUCH.vertical });
  });

  test('vertical barrier with zeroOnVertical false: sign of the return beyond minReturn', () => {
    const signed = tripleBarrierLabels(barsOf(flat), { ...PARAMS, holdingBars: 2, zeroOnVertical: false, minReturn: 0.005 });
    expectRow(signed, 2, { label: 1, t1: closeAt(4), ret: 0.01, touched: TOUCH.vertical }); // 0.01 > 0.005
    const small = tripleBarrierLabels(barsOf(flat), { ...PARAMS, holdingBars: 2, zeroOnVertical: false, minReturn: 0.02 });
    expectRow(small, 2, { label: 0, t1: closeAt(4), ret: 0.01, touched: TOUCH.vertical }); // 0.01 <= 0.02
  });

  test('a bar whose high and low touch both barriers: the stop-loss wins (order inside the bar unknown)', () => {
    const out = tripleBarrierLabels(barsOf([
      ...WARMUP,
      [100, 103.5, 97.5, 100], // bar 3: high 103.5 >= 103 and low 97.5 <= 98
      [100, 101, 99, 100],
    ]), { ...PARAMS, holdingBars: 2 });
    expectRow(out, 2, { label: -1, t1: closeAt(3), ret: -0.02, touched: TOUCH.stopLoss });
  });

  test('a gap through the take-profit realises the open, not the barrier level', () => {
    const path: Ohlc[] = [...WARMUP, [104, 105, 103.5, 104.5], [104.5, 105, 104, 104.5]]; // bar 3 opens at 104 >= 103
    const out = tripleBarrierLabels(barsOf(path), { ...PARAMS, holdingBars: 2 });
    // ret = 104 / 100 − 1 = 0.04 (the barrier level would say 0.03)
    expectRow(out, 2, { label: 1, t1: closeAt(3), ret: 0.04, touched: TOUCH.takeProfit });

    // Without an open column bars open where the previous closed: the touch fills at 103.
    const { open: _open, ...noOpen } = barsOf(path);
    expectRow(tripleBarrierLabels(noOpen, { ...PARAMS, holdingBars: 2 }), 2, { label: 1, t1: closeAt(3), ret: 0.03, touched: TOUCH.takeProfit });
  });

  test('a gap through the stop-loss realises the (worse) open', () => {
    const out = tripleBarrierLabels(barsOf([...WARMUP, [97, 97.5, 96, 96.5], [96.5, 97, 96, 96.5]]), { ...PARAMS, holdingBars: 2 });
    // ret = 97 / 100 − 1 = −0.03 (the barrier level would say −0.02)
    expectRow(out, 2, { label: -1, t1: closeAt(3), ret: -0.03, touched: TOUCH.stopLoss });
  });

  test('end of the series: a window past the last bar is invalid unless a barrier was already touched', () => {
    // holdingBars 3: row 2's window is bars 3..5 but only bar 3 exists.
    const untouched = tripleBarrierLabels(barsOf([...WARMUP, [100, 101, 99, 100.5]]), { ...PARAMS, holdingBars: 3 });
    expectInvalid(untouched, 2);
    expectInvalid(untouched, 3);

    const touched = tripleBarrierLabels(barsOf([...WARMUP, [100, 103.5, 99.5, 103]]), { ...PARAMS, holdingBars: 3 });
    expectRow(touched, 2, { label: 1, t1: closeAt(3), ret: 0.03, touched: TOUCH.takeProfit }); // known already
    expectInvalid(touched, 3); // ATR(2) = 2 + (4 − 2)/2 = 3, but no bar follows
  });

  test('rows in the ATR warm-up are invalid: ATR(2) starts at bar 2', () => {
    const out = tripleBarrierLabels(barsOf([...WARMUP, [100, 101, 99, 100], [100, 101, 99, 100]]), { ...PARAMS, holdingBars: 1 });
    expectInvalid(out, 0);
    expectInvalid(out, 1);
    // rows 2 and 3: bars 3 and 4 stay inside 98..103: vertical, ret 0
    expectRow(out, 2, { label: 0, t1: closeAt(3), ret: 0, touched: TOUCH.vertical });
    expectRow(out, 3, { label: 0, t1: closeAt(4), ret: 0, touched: TOUCH.vertical });
    expectInvalid(out, 4);
  });

  test('zero volatility (ATR 0): no barriers, the row is invalid', () => {
    const out = tripleBarrierLabels(barsOf(Array.from({ length: 6 }, () => [100, 100, 100, 100] as const)), { ...PARAMS, holdingBars: 1 });
    for (let i = 0; i < 6; i++) expectInvalid(out, i);
  });
});

describe('tripleBarrierLabels on a synthetic market', () => {
  const bars = generateSyntheticMarket({ bars: 3_000, seed: 11 }).candles;
  const params: TripleBarrierParams = { tpMult: 2, slMult: 1.5, holdingBars: 24, atrPeriod: 14 };
  const out = tripleBarrierLabels(bars, params);
  const vol = atr(bars.high, bars.low, bars.close, 14);

  test('warm-up rows 0..13 are invalid, then every row whose window fits is valid', () => {
    for (let i = 0; i < 14; i++) expect(out.valid[i]).toBe(0);
    for (let i = 14; i + 24 < bars.length; i++) expect(out.valid[i]).toBe(1);
  });

  test('t1 lies in (closeTime[i], closeTime[i + holdingBars]]; label, touched and ret agree; barriers use ATR at bar i', () => {
    for (let i = 0; i < bars.length; i++) {
      if (out.valid[i] !== 1) continue;
      expect(out.t1[i]!).toBeGreaterThan(bars.closeTime[i]!);
      expect(out.t1[i]!).toBeLessThanOrEqual(bars.closeTime[Math.min(i + 24, bars.length - 1)]!);
      const t = out.touched[i]!;
      expect(out.label[i]).toBe(t === TOUCH.takeProfit ? 1 : t === TOUCH.stopLoss ? -1 : 0);
      // The generator opens each bar at the previous close, so no gaps: touches fill at the barrier.
      if (t === TOUCH.takeProfit) expect(out.ret[i]!).toBeCloseTo((2 * vol[i]!) / bars.close[i]!, 12);
      if (t === TOUCH.stopLoss) expect(out.ret[i]!).toBeCloseTo((-1.5 * vol[i]!) / bars.close[i]!, 12);
    }
  });

  test('no label reads past its own t1: labelling any prefix gives the same rows wherever they resolved inside it', () => {
    for (const cut of [100, 777, 1_500, 2_999]) {
      const prefix = tripleBarrierLabels(sliceBars(bars, cut), params);
      for (let i = 0; i < cut; i++) {
        if (out.valid[i] === 1 && out.t1[i]! <= bars.closeTime[cut - 1]!) expect(row(prefix, i)).toEqual(row(out, i));
        else expectInvalid(prefix, i);
      }
    }
  });

  test('bars after a row\'s t1 do not change it (replace them with garbage)', () => {
    const i = 500;
    const j = bars.closeTime.indexOf(out.t1[i]!);
    const damaged = { ...sliceBars(bars, bars.length), high: bars.high.slice(), low: bars.low.slice(), close: bars.close.slice() };
    for (let k = j + 1; k < bars.length; k++) {
      damaged.high[k] = 1e9;
      damaged.low[k] = 1;
      damaged.close[k] = 5;
    }
    expect(row(tripleBarrierLabels(damaged, params), i)).toEqual(row(out, i));
  });
});

function sliceBars(b: LabelBars, end: number): Required<LabelBars> {
  return {
    openTime: b.openTime.subarray(0, end), closeTime: b.closeTime.subarray(0, end), open: b.open!.subarray(0, end),
    high: b.high.subarray(0, end), low: b.low.subarray(0, end), close: b.close.subarray(0, end),
  };
}

describe('fixedHorizonLabels', () => {
  // closes 100, 101, 99, 102; horizon 2
  const bars = barsOf([[100, 100, 100, 100], [101, 101, 101, 101], [99, 99, 99, 99], [102, 102, 102, 102]]);

  test('sign of the horizon return beyond the threshold; t1 = closeTime of bar i + horizon', () => {
    const out = fixedHorizonLabels(bars, { horizon: 2, threshold: 0.005 });
    // row 0: 99 / 100 − 1 = −0.01 → −1; row 1: 102 / 101 − 1 = 0.0099 → +1; rows 2, 3: no bar i + 2
    expect(Array.from(out.label)).toEqual([-1, 1, 0, 0]);
    expect(Array.from(out.valid)).toEqual([1, 1, 0, 0]);
    expect(Array.from(out.t1)).toEqual([closeAt(2), closeAt(3), Number.NaN, Number.NaN]);
    expect(out.ret[0]).toBeCloseTo(-0.01, 12);
    expect(out.ret[1]).toBeCloseTo(1 / 101, 12);
    expect(out.ret[2]).toBeNaN();
  });

  test('returns within the threshold are 0', () => {
    const out = fixedHorizonLabels(bars, { horizon: 2, threshold: 0.015 }); // |−0.01| and 0.0099 <= 0.015
    expect(Array.from(out.label)).toEqual([0, 0, 0, 0]);
    expect(Array.from(out.valid)).toEqual([1, 1, 0, 0]);
  });

  test('horizon 1 with the default threshold 0: any move is labelled', () => {
    expect(Array.from(fixedHorizonLabels(bars, { horizon: 1 }).label)).toEqual([1, -1, 1, 0]);
  });

  test('bad parameters and input name the field', () => {
    const e = thrown(() => fixedHorizonLabels(bars, { horizon: 0 }));
    expect(e).toBeInstanceOf(InvalidFeatureParamsError);
    expect(e.message).toBe("fixed-horizon param 'horizon': must be >= 1 (got 0)");
    expect(thrown(() => fixedHorizonLabels(bars, { horizon: 1, threshold: -1 })).message).toMatch(/'threshold'.*>= 0.*-1/);
    const { close: _c, ...noClose } = bars;
    expect(thrown(() => fixedHorizonLabels(noClose as LabelBars, { horizon: 1 })).message).toBe("the labeler needs 'close' for horizon returns");
  });
});

describe('bad input', () => {
  const bars = barsOf([...WARMUP, [100, 101, 99, 100.5], [100.5, 101, 99, 100], [100, 101, 99, 100]]);
  const params: TripleBarrierParams = { ...PARAMS, holdingBars: 2 };

  test('NaN/Inf in a price column: NonFiniteInputError with column, count and time range', () => {
    const close = bars.close.slice();
    close[1] = Number.NaN;
    close[4] = Number.POSITIVE_INFINITY;
    const e = thrown(() => tripleBarrierLabels({ ...bars, close }, params));
    expect(e).toBeInstanceOf(NonFiniteInputError);
    expect(e.message).toBe("column 'close' has 2 NaN/Inf values between 2024-01-01T01:00:00.000Z and 2024-01-01T04:00:00.000Z (rows 1..4)");

    const high = bars.high.slice();
    high[3] = Number.NEGATIVE_INFINITY;
    expect(thrown(() => tripleBarrierLabels({ ...bars, high }, params)).message).toBe("column 'high' has 1 NaN/Inf value between 2024-01-01T03:00:00.000Z and 2024-01-01T03:00:00.000Z (rows 3..3)");
  });

  test.each([
    ['high', 'for barrier touches'],
    ['low', 'for barrier touches'],
    ['close', 'for the entry price, the ATR and the vertical barrier'],
    ['closeTime', 'for label end times (t1)'],
  ])("missing '%s': MissingColumnError saying what it is for", (name, purpose) => {
    const partial: Record<string, unknown> = { ...bars };
    delete partial[name];
    const e = thrown(() => tripleBarrierLabels(partial as unknown as LabelBars, params));
    expect(e).toBeInstanceOf(MissingColumnError);
    expect(e.message).toBe(`the labeler needs '${name}' ${purpose}`);
  });

  test('columns of different lengths', () => {
    const e = thrown(() => tripleBarrierLabels({ ...bars, low: bars.low.subarray(0, 4) }, params));
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.message).toBe("column 'low' has 4 rows but 'close' has 6");
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['tpMult 0', { tpMult: 0 }, "triple-barrier param 'tpMult': must be > 0 (got 0)"],
    ['slMult negative', { slMult: -1 }, "triple-barrier param 'slMult': must be > 0 (got -1)"],
    ['slMult NaN', { slMult: Number.NaN }, "triple-barrier param 'slMult': must be a finite number (got NaN)"],
    ['holdingBars fractional', { holdingBars: 1.5 }, "triple-barrier param 'holdingBars': must be an integer (got 1.5)"],
    ['holdingBars 0', { holdingBars: 0 }, "triple-barrier param 'holdingBars': must be >= 1 (got 0)"],
    ['atrPeriod 1', { atrPeriod: 1 }, "triple-barrier param 'atrPeriod': must be >= 2 (got 1)"],
    ['a typo', { tpMul: 2 }, "triple-barrier param: unknown field 'tpMul'"],
    ['minReturn without zeroOnVertical false', { minReturn: 0.01 }, "triple-barrier param 'minReturn': has no effect while zeroOnVertical is true (set zeroOnVertical: false) (got 0.01)"],
  ])('%s: InvalidFeatureParamsError naming the field', (_name, patch, message) => {
    const e = thrown(() => tripleBarrierLabels(bars, { ...params, ...patch } as TripleBarrierParams));
    expect(e).toBeInstanceOf(InvalidFeatureParamsError);
    expect(e.message).toBe(message);
  });
});
