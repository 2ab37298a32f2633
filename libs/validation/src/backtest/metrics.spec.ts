import { join } from 'node:path';
import { Rng } from '@ares/data';
import { expectClose, pythonReference, thrown } from '@ares/data/testing';
import { InvalidStatisticsInputError } from '../errors';
import type { Trade } from './backtest';
import { performanceMetrics, periodsPerYear, type PerformanceMetrics } from './metrics';

const SCRIPT = join(__dirname, 'metrics.reference.py');
const RETURN_METRICS = ['periods', 'totalReturn', 'cagr', 'annualVolatility', 'sharpe', 'sharpePerPeriod', 'sortino', 'maxDrawdown', 'maxDrawdownDuration', 'calmar', 'sharpeStandardError', 'psr'] as const;

/** empyrical's tests/test_stats.py `mixed_returns` (daily, with its leading NaN), in fractions. */
const MIXED = [Number.NaN, 1, 10, -4, 2, 3, 2, 1, -10].map((v) => v / 100);

/** A seeded Gaussian series of 2000 hourly returns. */
const GAUSSIAN = ((rng: Rng) => Float64Array.from({ length: 2000 }, () => 0.0002 + 0.01 * rng.normal()))(new Rng(11));

/** numpy / scipy's values (metrics.reference.py) for [MIXED at 252, GAUSSIAN at 8760], one Python run per suite. */
let reference: Record<string, number>[];
beforeAll(() => {
  reference = pythonReference<Record<string, number>[]>(SCRIPT, { cases: [{ returns: Float64Array.from(MIXED), periodsPerYear: 252 }, { returns: GAUSSIAN, periodsPerYear: 8760 }] });
});

function expectMatchesReference(m: PerformanceMetrics, ref: Record<string, number>): void {
  for (const k of RETURN_METRICS) expectClose(k, [m[k]], [ref[k]!], 1e-9, 1e-12);
}

describe('performanceMetrics: return metrics', () => {
  test("empyrical's mixed_returns at 252 periods a year (empyrical tests/test_stats.py)", () => {
    const m = performanceMetrics(MIXED, { periodsPerYear: 252 });
    // empyrical test_stats.py: sharpe_ratio, sortino_ratio, max_drawdown, annual_volatility of mixed_returns (DAILY).
    expect(m.sharpe).toBeCloseTo(1.7238613961706866, 12);
    expect(m.sortino).toBeCloseTo(2.605531251673693, 12);
    expect(m.maxDrawdown).toBeCloseTo(-0.1, 12);
    expect(m.annualVolatility).toBeCloseTo(0.9136465399704637, 12);
    // empyrical's annual_return (1.9135925373194231) counts the NaN row in its years (9 / 252);
    // we skip it (8 periods). The compounded return is the same: re-annualised over 9 it matches.
    expect(m.periods).toBe(8);
    expect((1 + m.totalReturn) ** (252 / 9) - 1).toBeCloseTo(1.9135925373194231, 12);
    // Drawdowns by hand: peak after +10 %, back above it after +3 % (3 periods); −10 % at the end (1).
    expect(m.maxDrawdownDuration).toBe(3);
    expectMatchesReference(m, reference[0]!);
  });

  test('a seeded Gaussian series at 8760 periods a year matches the numpy / scipy reference (metrics.reference.py)', () => {
    expectMatchesReference(performanceMetrics(GAUSSIAN, { periodsPerYear: 8760 }), reference[1]!);
  });

  test('an unrecovered drawdown lasts to the end; a first-period loss is a drawdown from the start', () => {
    const m = performanceMetrics([-0.1, 0.05, 0.02, -0.01], { periodsPerYear: 12 });
    expect(m.maxDrawdown).toBeCloseTo(-0.1, 15);
    expect(m.maxDrawdownDuration).toBe(4);
    const flat = performanceMetrics([0, 0, 0], { periodsPerYear: 12 });
    expect([flat.maxDrawdown, flat.maxDrawdownDuration, flat.totalReturn]).toEqual([0, 0, 0]);
    expect([flat.sharpe, flat.psr, flat.sharpeStandardError, flat.calmar]).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
  });

  test('with fewer than two periods the dispersion statistics are NaN; Sortino is Infinity without a losing period', () => {
    const one = performanceMetrics([Number.NaN, 0.01], { periodsPerYear: 252 });
    expect(one.periods).toBe(1);
    expect([one.sharpe, one.psr, one.sharpeStandardError, one.annualVolatility]).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    expect(performanceMetrics([0.01, 0.02], { periodsPerYear: 252 }).sortino).toBe(Number.POSITIVE_INFINITY);
  });
});

function trade(netReturn: number, entryPrice = 100, exitPrice = 100): Trade {
  return { side: 1, signalBar: 0, entryBar: 1, entryTime: 0, entryPrice, exitBar: 2, exitTime: 0, exitPrice, exitReason: 'vertical', grossReturn: netReturn, costs: 0, funding: 0, netReturn, bars: 2 };
}

describe('performanceMetrics: trade statistics', () => {
  test('win rate, profit factor, expectancy, turnover and exposure by hand', () => {
    const trades = [trade(0.03, 100, 103), trade(-0.01, 100, 99), trade(0.02, 50, 51), trade(0)];
    const position = Int8Array.from([0, 1, 1, 0, -1, 0, 0, 1, 0, 0]);
    const m = performanceMetrics(new Float64Array(10), { periodsPerYear: 8760, trades, position });
    expect(m.tradeCount).toBe(4);
    expect(m.winRate).toBe(0.5); // 2 of 4 net > 0 (a zero trade is not a win)
    expect(m.profitFactor).toBeCloseTo(0.05 / 0.01, 12);
    expect(m.expectancy).toBeCloseTo(0.04 / 4, 15);
    // Notional per round trip in entry equities: (1 + 1.03) + (1 + 0.99) + (1 + 1.02) + (1 + 1) over 10 periods.
    expect(m.turnover).toBeCloseTo(8.04 / 10, 15);
    expect(m.exposure).toBe(0.4);
  });

  test('profit factor: Infinity with no loss, NaN with no trade; trade statistics NaN without trades', () => {
    const r = new Float64Array(3);
    expect(performanceMetrics(r, { periodsPerYear: 1, trades: [trade(0.01), trade(0.02)] }).profitFactor).toBe(Number.POSITIVE_INFINITY);
    const none = performanceMetrics(r, { periodsPerYear: 1, trades: [] });
    expect([none.tradeCount, none.turnover]).toEqual([0, 0]);
    expect([none.profitFactor, none.winRate, none.expectancy]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    const bare = performanceMetrics(r, { periodsPerYear: 1 });
    expect([bare.tradeCount, bare.profitFactor, bare.exposure, bare.turnover]).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
  });
});

describe('performanceMetrics: input', () => {
  test('periodsPerYear(intervalMs) on a 365-day year', () => {
    expect(periodsPerYear(3_600_000)).toBe(8760);
    expect(periodsPerYear(86_400_000)).toBe(365);
    expect(() => periodsPerYear(0)).toThrow(/intervalMs must be a finite number > 0, got 0/);
  });

  test('errors name the field, row and value', () => {
    const e = thrown(() => performanceMetrics([0.01, Number.POSITIVE_INFINITY], { periodsPerYear: 252 }));
    expect(e).toBeInstanceOf(InvalidStatisticsInputError);
    expect(e.message).toBe('performanceMetrics: returns[1] is Infinity (NaN is skipped, ±Infinity is not)');
    expect(() => performanceMetrics([0.01], { periodsPerYear: -1 })).toThrow('performanceMetrics: periodsPerYear must be a finite number > 0, got -1');
    expect(() => performanceMetrics([0.01, 0], { periodsPerYear: 1, position: new Int8Array(3) })).toThrow('performanceMetrics: position has 3 rows but returns has 2');
  });
});
