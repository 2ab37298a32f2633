import { generateSyntheticMarket } from '@ares/data';
import { thrown } from '@ares/data/testing';
import { atr } from '@ares/features';
import { InvalidStatisticsInputError } from '../errors';
import { backtest, type BacktestBars, type BacktestOptions, type BacktestResult } from './backtest';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** Hourly bars from [open, high, low, close] rows; closeTime = openTime + 1h − 1 ms (Binance's). */
function hourly(rows: readonly (readonly [number, number, number, number])[]): BacktestBars {
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  const openTime = Float64Array.from(rows, (_, i) => T0 + i * H);
  return { openTime, closeTime: openTime.map((t) => t + H - 1), open: col(0), high: col(1), low: col(2), close: col(3) };
}

/** Π(1 + returns[from..to]) − 1. */
function compounded(r: Float64Array, from: number, to: number): number {
  let g = 1;
  for (let k = from; k <= to; k++) g *= 1 + r[k]!;
  return g - 1;
}

test("shortBarriers 'label': a short takes profit slMult·ATR below and stops tpMult·ATR above, as a long-only label's −1 reads", () => {
  // tpMult 2, slMult 1, ATR 1: a SELL at bar 0 is filled at 100 (no costs). The price then falls to 98.9.
  const bars = hourly([
    [100.0, 100.2, 99.9, 100.0],
    [100.0, 100.3, 99.6, 99.8],
    [99.8, 99.9, 98.9, 99.0], // low 98.9: at or below 99 (label barriers: profit 1 ATR below), not 98 (mirrored: 2 ATR below)
    [99.0, 99.5, 98.8, 99.2],
  ]);
  const o: BacktestOptions = { tpMult: 2, slMult: 1, holdingBars: 3, atr: Float64Array.from([1, 1, 1, 1]), feeBps: 0, slippageBps: 0, periodsPerYear: 8760 };
  const decisions = Int8Array.from([-1, 0, 0, 0]);
  const label = backtest(bars, decisions, { ...o, shortBarriers: 'label' }).trades[0]!;
  expect([label.exitReason, label.exitBar, label.exitPrice]).toEqual(['take_profit', 2, 99]);
  const mirrored = backtest(bars, decisions, o).trades[0]!;
  expect([mirrored.exitReason, mirrored.exitBar, mirrored.exitPrice]).toEqual(['vertical', 3, 99.2]); // bar 0 + holdingBars 3
});

describe('backtest: a hand-computed run with fees, slippage and a gap', () => {
  // tpMult 2, slMult 1, holdingBars 3, fee f = 10 bps, slippage s = 5 bps per side.
  // ATR is 1 at the signal bars and 9 at the entry bars (1, 3, 5, 8): barriers scaled by the entry
  // bar's ATR would never be touched, so every exit below also proves the signal bar's ATR is used.
  const bars = hourly([
    /*  0 */ [100.0, 100.3, 99.8, 100.0], //  BUY
    /*  1 */ [100.0, 100.5, 99.5, 100.2], //  long at 100 (tp 102, sl 99)
    /*  2 */ [100.2, 102.5, 100.1, 102.3], // high ≥ 102: take-profit. SELL
    /*  3 */ [102.4, 102.8, 102.0, 102.6], // short at 102.4 (tp 100.4, sl 103.4)
    /*  4 */ [104.0, 104.5, 103.5, 104.2], // opens at 104 ≥ 103.4: stop gapped through, fills at the open. BUY
    /*  5 */ [104.2, 104.9, 103.6, 104.5], // long at 104.2 (tp 106.2, sl 103.2). BUY again: ignored
    /*  6 */ [104.5, 106.5, 103.0, 105.0], // low ≤ 103.2 and high ≥ 106.2: the stop-loss wins. SELL
    /*  7 */ [105.0, 105.5, 104.6, 104.8], // short at 105 (tp 103, sl 106). BUY: opposite signal
    /*  8 */ [104.7, 105.2, 104.3, 105.0], // short out and long in at 104.7 (tp 106.7, sl 103.7, vertical at bar 10)
    /*  9 */ [105.0, 105.6, 104.6, 105.3],
    /* 10 */ [105.3, 105.9, 104.9, 105.5], // no touch: vertical exit at the close 105.5
    /* 11 */ [105.5, 105.8, 105.2, 105.6], // SELL on the last bar: never filled
  ]);
  const decisions = Int8Array.from([1, 0, -1, 0, 1, 1, -1, 1, 0, 0, 0, -1]);
  const atrs = Float64Array.from([1, 9, 1, 9, 1, 9, 1, 1, 9, 1, 1, 1]);
  const options: BacktestOptions = { tpMult: 2, slMult: 1, holdingBars: 3, atr: atrs, feeBps: 10, slippageBps: 5, periodsPerYear: 8760 };
  const f = 0.001;
  const buy = (p: number) => p * 1.0005;
  const sell = (p: number) => p * 0.9995;
  /** Net return of a round trip at fills ep, xp (backtest.ts): side·(xp/ep − 1) − f·(1 + xp/ep). */
  const net = (side: number, ep: number, xp: number) => side * (xp / ep - 1) - f * (1 + xp / ep);
  /** Equity of an open trade marked at price p, in entry equities: 1 − f + side·(p/ep − 1). */
  const mark = (side: number, ep: number, p: number) => 1 - f + side * (p / ep - 1);

  // Trade 1, long: Ep = 100·1.0005 = 100.05; take-profit at 102, Xp = 102·0.9995 = 101.949.
  //   gross = 102/100 − 1 = 0.02; net = 101.949/100.05 − 1 − 0.001·(1 + 101.949/100.05) = 0.0169615292...
  const ep1 = buy(100), xp1 = sell(102), net1 = net(1, ep1, xp1), w1 = mark(1, ep1, 100.2);
  // Trade 2, short: Ep = 102.4·0.9995 = 102.3488; stop 103.4 gapped: fills at the open 104, Xp = 104·1.0005 = 104.052.
  //   gross = −(104/102.4 − 1) = −0.015625; net = −(104.052/102.3488 − 1) − 0.001·(1 + 104.052/102.3488) = −0.0186577742...
  const ep2 = sell(102.4), xp2 = buy(104), net2 = net(-1, ep2, xp2), w3 = mark(-1, ep2, 102.6);
  // Trade 3, long: Ep = 104.2·1.0005 = 104.2521; both barriers in bar 6: the stop 103.2, Xp = 103.2·0.9995 = 103.1484.
  const ep3 = buy(104.2), xp3 = sell(103.2), net3 = net(1, ep3, xp3), w5 = mark(1, ep3, 104.5);
  // Trade 4, short: Ep = 105·0.9995 = 104.9475; BUY at bar 7's close: out at bar 8's open, Xp = 104.7·1.0005 = 104.75235.
  const ep4 = sell(105), xp4 = buy(104.7), net4 = net(-1, ep4, xp4), w7 = mark(-1, ep4, 104.8);
  // Trade 5, long (the reversal): Ep = 104.7·1.0005 = 104.75235; vertical at bar 10's close, Xp = 105.5·0.9995 = 105.44725.
  const ep5 = buy(104.7), xp5 = sell(105.5), net5 = net(1, ep5, xp5), w8 = mark(1, ep5, 105), w9 = mark(1, ep5, 105.3);
  let run: BacktestResult;
  beforeAll(() => {
    run = backtest(bars, decisions, options);
  });

  test('trades: bars, fills, reasons and returns', () => {
    const t = run.trades;
    expect(t.map((x) => [x.side, x.signalBar, x.entryBar, x.exitBar, x.exitReason, x.bars])).toEqual([
      [1, 0, 1, 2, 'take_profit', 2],
      [-1, 2, 3, 4, 'stop_loss', 2],
      [1, 4, 5, 6, 'stop_loss', 2],
      [-1, 6, 7, 8, 'opposite_signal', 2],
      [1, 7, 8, 10, 'vertical', 3],
    ]);
    const fills = [[ep1, xp1], [ep2, xp2], [ep3, xp3], [ep4, xp4], [ep5, xp5]];
    const nets = [net1, net2, net3, net4, net5];
    const gross = [102 / 100 - 1, -(104 / 102.4 - 1), 103.2 / 104.2 - 1, -(104.7 / 105 - 1), 105.5 / 104.7 - 1];
    t.forEach((x, i) => {
      expect(x.entryPrice).toBeCloseTo(fills[i]![0]!, 12);
      expect(x.exitPrice).toBeCloseTo(fills[i]![1]!, 12);
      expect(x.netReturn).toBeCloseTo(nets[i]!, 12);
      expect(x.grossReturn).toBeCloseTo(gross[i]!, 12);
      expect(x.costs).toBeCloseTo(gross[i]! - nets[i]!, 12);
      expect(x.costs).toBeGreaterThan(0);
      expect(x.funding).toBe(0);
    });
    expect(ep1).toBeCloseTo(100.05, 12);
    expect(xp2).toBeCloseTo(104.052, 12); // worse than the stop level 103.4·1.0005
    expect(net1).toBeCloseTo(0.016961529235382532, 12); // python3: the same arithmetic
    expect(net2).toBeCloseTo(-0.018657774199599565, 12);
    // Fill times: at the open for the entries, the gap and the reversal; closeTime for touches and the vertical.
    expect(t.map((x) => [x.entryTime, x.exitTime])).toEqual([
      [T0 + H, T0 + 3 * H - 1],
      [T0 + 3 * H, T0 + 4 * H],
      [T0 + 5 * H, T0 + 7 * H - 1],
      [T0 + 7 * H, T0 + 8 * H],
      [T0 + 8 * H, T0 + 11 * H - 1],
    ]);
  });

  test('per-bar mark-to-market returns and positions', () => {
    const expected = [
      0,
      w1 - 1, // entry fill 100.05 → close 100.2, minus the entry fee
      (1 + net1) / w1 - 1, // close 100.2 → exit fill 101.949, minus the exit fee
      w3 - 1,
      (1 + net2) / w3 - 1, // close 102.6 → the gap fill at 104.052
      w5 - 1,
      (1 + net3) / w5 - 1,
      w7 - 1,
      ((1 + net4) / w7) * w8 - 1, // the reversal bar compounds the short's exit and the long's entry
      w9 / w8 - 1,
      (1 + net5) / w9 - 1,
      0, // flat: the last bar's SELL is not filled
    ];
    expected.forEach((e, k) => expect(run.returns[k]).toBeCloseTo(e, 12));
    expect(run.returns[1]).toBeCloseTo(100.2 / 100.05 - 1 - 0.001, 12);
    expect(Array.from(run.position)).toEqual([0, 1, 1, -1, -1, 1, 1, -1, 1, 1, 1, 0]);
  });

  test("compounding a trade's bars gives 1 + its net return (to 1e-12)", () => {
    for (const t of run.trades.slice(0, 3)) expect(Math.abs(compounded(run.returns, t.entryBar, t.exitBar) - t.netReturn)).toBeLessThan(1e-12);
    // Trades 4 and 5 share the reversal bar 8.
    expect(Math.abs(compounded(run.returns, 7, 10) - ((1 + net4) * (1 + net5) - 1))).toBeLessThan(1e-12);
    const all = run.trades.reduce((g, t) => g * (1 + t.netReturn), 1) - 1;
    expect(Math.abs(run.metrics.totalReturn - all)).toBeLessThan(1e-12);
    expect(run.metrics.tradeCount).toBe(5);
    expect(run.metrics.exposure).toBe(10 / 12);
  });

  test('without costs the returns are the price moves: a 10 bps fee and 5 bps slippage cost each round trip 2·(f + s) and a bit', () => {
    const free = backtest(bars, decisions, { ...options, feeBps: 0, slippageBps: 0 });
    free.trades.forEach((t, i) => {
      expect(t.costs).toBeCloseTo(0, 15);
      expect(t.netReturn).toBeCloseTo(run.trades[i]!.grossReturn, 15);
      expect(run.trades[i]!.costs).toBeGreaterThan(2 * (0.001 + 0.0005) * 0.99);
    });
  });
});

describe('backtest: end of data and the last bar', () => {
  const bars = hourly([
    [100, 100.2, 99.8, 100],
    [100, 100.2, 99.8, 100.1],
    [100.1, 100.3, 99.9, 100.2],
    [100.2, 100.4, 100.0, 100.3],
  ]);
  const options: BacktestOptions = { tpMult: 2, slMult: 2, holdingBars: 10, atr: new Float64Array(4).fill(1), feeBps: 0, slippageBps: 0, periodsPerYear: 8760 };

  test('a position open after the last bar closes at its close; an opposite signal on the last bar is not filled', () => {
    const { trades, position } = backtest(bars, Int8Array.from([1, 0, 0, -1]), options);
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ side: 1, entryBar: 1, exitBar: 3, exitReason: 'end_of_data', exitPrice: 100.3, exitTime: T0 + 4 * H - 1 });
    expect(trades[0]!.netReturn).toBeCloseTo(100.3 / 100 - 1, 15);
    expect(Array.from(position)).toEqual([0, 1, 1, 1]);
  });

  test('HOLD does not close a position', () => {
    const { trades } = backtest(bars, Int8Array.from([-1, 0, 0, 0]), options);
    expect(trades.map((t) => [t.side, t.exitReason])).toEqual([[-1, 'end_of_data']]);
  });
});

describe('backtest: never filled on the signal bar (look-ahead guard)', () => {
  // A zero-signal, constant-volatility synthetic market is a Gaussian random walk (@ares/data's
  // generator, `signal: 0, volatilityRegimes: false`): nothing known at bar t's close predicts bar
  // t+1. Decisions peeking at bar t's own move must earn nothing under the next-open rule; the
  // same decisions shifted one bar into the future must look spectacular. A fill on the signal bar
  // (a one-bar shift in the engine) would turn the first into the second.
  const m = generateSyntheticMarket({ bars: 6000, seed: 19, signal: 0, volatilityRegimes: false });
  const c = m.candles;
  const bars: BacktestBars = { openTime: c.openTime, closeTime: c.closeTime, open: c.open, high: c.high, low: c.low, close: c.close };
  const a = atr(c.high, c.low, c.close, 14);
  const n = c.close.length;
  const move = (t: number) => (t < n && a[t - 1]! > 0 ? Math.sign(c.close[t]! - c.open[t]!) : 0);
  const options: BacktestOptions = { tpMult: 2, slMult: 1, holdingBars: 6, atr: a, periodsPerYear: 8760 };

  test("decisions from the signal bar's own move earn nothing; the same shifted a bar ahead show a huge Sharpe", () => {
    const same = backtest(bars, Int8Array.from({ length: n }, (_, t) => (a[t]! > 0 ? move(t) : 0)), options);
    const ahead = backtest(bars, Int8Array.from({ length: n }, (_, t) => (a[t]! > 0 ? move(t + 1) : 0)), options);
    const sameFree = backtest(bars, Int8Array.from({ length: n }, (_, t) => (a[t]! > 0 ? move(t) : 0)), { ...options, feeBps: 0, slippageBps: 0 });
    expect(same.trades.length).toBeGreaterThan(1000);
    expect(same.trades.every((t) => t.entryBar === t.signalBar + 1 && t.entryTime === c.openTime[t.signalBar + 1])).toBe(true);
    expect(same.metrics.psr).toBeLessThan(0.95);
    expect(same.metrics.sharpe).toBeLessThan(0);
    expect(sameFree.metrics.psr).toBeLessThan(0.95);
    expect(ahead.metrics.psr).toBeGreaterThan(0.999999);
    expect(ahead.metrics.sharpe).toBeGreaterThan(10);
  });
});

describe('backtest: funding', () => {
  // Flat prices at 100, no fees or slippage: the trades' returns are their funding alone.
  const bars = hourly(Array.from({ length: 8 }, () => [100, 100.1, 99.9, 100] as const));
  const decisionsAt0 = (side: number) => Int8Array.from([side, 0, 0, 0, 0, 0, 0, 0]);
  // Entry at bar 1's open (T0 + 1h), vertical exit at bar 5's close (T0 + 6h − 1 ms). Events: at the
  // entry fill (outside (entry, exit]), inside bar 2, exactly at the exit fill (inside), after the exit.
  const funding = {
    time: Float64Array.from([T0 + H, T0 + 2.5 * H, T0 + 6 * H - 1, T0 + 6 * H]),
    rate: Float64Array.from([0.0001, 0.0002, 0.0003, 0.0004]),
  };
  const options: BacktestOptions = { tpMult: 2, slMult: 2, holdingBars: 5, atr: new Float64Array(8).fill(1), feeBps: 0, slippageBps: 0, funding, periodsPerYear: 8760 };

  test('a long pays the two events inside its holding, on the bars they fall in', () => {
    const { trades, returns } = backtest(bars, decisionsAt0(1), options);
    expect(trades).toHaveLength(1);
    expect(trades[0]!.exitReason).toBe('vertical');
    expect(trades[0]!.funding).toBeCloseTo(-(0.0002 + 0.0003), 15);
    expect(trades[0]!.netReturn).toBeCloseTo(-0.0005, 15);
    expect(Array.from(returns, (r) => +r.toFixed(15))).toEqual([0, 0, -0.0002, 0, 0, +((1 - 0.0005) / (1 - 0.0002) - 1).toFixed(15), 0, 0]);
  });

  test('a short receives them; net = gross − costs + funding with costs', () => {
    const { trades } = backtest(bars, decisionsAt0(-1), options);
    expect(trades[0]!.funding).toBeCloseTo(0.0005, 15);
    expect(trades[0]!.netReturn).toBeCloseTo(0.0005, 15);
    const costly = backtest(bars, decisionsAt0(-1), { ...options, feeBps: 10, slippageBps: 5 }).trades[0]!;
    expect(costly.netReturn).toBeCloseTo(costly.grossReturn - costly.costs + costly.funding, 15);
    // Short at 100·0.9995, back at 100·1.0005: net = −(1.0005/0.9995 − 1) − 0.001·(1 + 1.0005/0.9995) + 0.0005.
    expect(costly.netReturn).toBeCloseTo(-(1.0005 / 0.9995 - 1) - 0.001 * (1 + 1.0005 / 0.9995) + 0.0005, 15);
  });
});

describe('backtest: bad input names the field and the row', () => {
  const bars = hourly([
    [100, 100.2, 99.8, 100],
    [100, 100.2, 99.8, 100.1],
    [100.1, 100.3, 99.9, 100.2],
    [100.2, 100.4, 100.0, 100.3],
  ]);
  const options: BacktestOptions = { tpMult: 2, slMult: 1, holdingBars: 3, atr: new Float64Array(4).fill(1), periodsPerYear: 8760 };
  const hold = new Int8Array(4);
  const message = (fn: () => unknown) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(InvalidStatisticsInputError);
    return e.message;
  };

  test('bars: lengths, non-finite and inconsistent prices', () => {
    expect(message(() => backtest({ ...bars, close: bars.close.subarray(0, 3) }, hold, options))).toBe('backtest: bars.close has 3 rows but bars.openTime has 4');
    const close = bars.close.slice();
    close[2] = Number.NaN;
    expect(message(() => backtest({ ...bars, close }, hold, options))).toBe('backtest: bars.close at row 2 (openTime 2024-01-01T02:00:00.000Z) is NaN: prices must be finite and > 0');
    const high = bars.high.slice();
    high[1] = 99.9;
    expect(message(() => backtest({ ...bars, high }, hold, options))).toMatch(/^backtest: bars at row 1 \(openTime 2024-01-01T01:00:00.000Z\) are inconsistent: low 99.8 and high 99.9 must bracket open 100 and close 100.1$/);
    expect(message(() => backtest({ ...bars, open: [1, 2, 3, 4] as unknown as Float64Array }, hold, options))).toBe('backtest: bars.open must be a Float64Array, got Array');
  });

  test('decisions and ATR', () => {
    expect(message(() => backtest(bars, Int8Array.from([0, 0, 2, 0]), options))).toBe('backtest: decisions at row 2 (openTime 2024-01-01T02:00:00.000Z) is 2: must be −1 (SELL), 0 (HOLD) or 1 (BUY)');
    expect(message(() => backtest(bars, new Int8Array(5), options))).toBe('backtest: decisions has 5 rows but bars.openTime has 4');
    expect(message(() => backtest(bars, hold, { ...options, atr: new Float64Array(3) }))).toBe("backtest: option 'atr' has 3 rows but bars.openTime has 4");
    const warm = Float64Array.from([Number.NaN, 1, 1, 1]);
    expect(message(() => backtest(bars, Int8Array.from([1, 0, 0, 0]), { ...options, atr: warm }))).toBe('backtest: atr at row 0 (openTime 2024-01-01T00:00:00.000Z) is NaN under a BUY: barriers need a finite ATR > 0 (HOLD through the ATR warm-up)');
  });

  test('options: negative costs, bad barriers, unknown keys, funding', () => {
    expect(message(() => backtest(bars, hold, { ...options, feeBps: -1 }))).toBe("backtest option 'feeBps': must be >= 0 (got -1)");
    expect(message(() => backtest(bars, hold, { ...options, slippageBps: -0.5 }))).toBe("backtest option 'slippageBps': must be >= 0 (got -0.5)");
    expect(message(() => backtest(bars, hold, { ...options, holdingBars: 1.5 }))).toBe("backtest option 'holdingBars': must be an integer (got 1.5)");
    expect(message(() => backtest(bars, hold, { ...options, tpMult: 0 }))).toBe("backtest option 'tpMult': must be > 0 (got 0)");
    expect(message(() => backtest(bars, hold, { ...options, fee: 3 } as BacktestOptions))).toBe("backtest: unknown option 'fee'");
    const funding = { time: Float64Array.from([T0, T0 + H]), rate: Float64Array.from([0.0001]) };
    expect(message(() => backtest(bars, hold, { ...options, funding }))).toBe("backtest option 'funding': funding.time has 2 events but funding.rate has 1");
    const unsorted = { time: Float64Array.from([T0 + H, T0]), rate: Float64Array.from([0.0001, 0.0001]) };
    expect(message(() => backtest(bars, hold, { ...options, funding: unsorted }))).toBe(`backtest: funding.time[1] = ${T0} is before funding.time[0] = ${T0 + H} (events must be sorted)`);
  });
});
