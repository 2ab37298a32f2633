import { InvalidInputError } from '../../errors';
import { allocateCandles, allocateTradeFlow } from '../../market/schema';
import { thrown } from '../../testing';
import { oracleSharpe, oracleStrategy, sharpe, type OracleOptions } from './oracle';
import type { SyntheticMarket } from './SyntheticMarket';

/** A hand-made market: bars with the given simple returns (open 100 each) and pressure. */
function handMarket(returns: number[], pressure: number[]): SyntheticMarket {
  const n = returns.length;
  const candles = allocateCandles(n);
  for (let i = 0; i < n; i++) {
    candles.openTime[i] = i * 3_600_000;
    candles.open[i] = 100;
    candles.close[i] = 100 * (1 + returns[i]!);
  }
  return {
    symbol: 'BTCUSDT',
    interval: '1h',
    candles,
    tradeFlow: allocateTradeFlow(n),
    funding: [],
    openInterest: [],
    states: new Uint8Array(n),
    pressure: Int8Array.from(pressure),
    sigma: 0.01,
    edge: 0,
  };
}

/** Mean and sd (ddof 1), computed independently of `sharpe`. */
function meanSd(xs: number[]): [number, number] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [mean, Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1))];
}

describe('oracleStrategy: cost accounting on a hand-checked market', () => {
  // lag 1: position of bar t is sign(q_{t−1}) → [0, +1, −1, 0, 0]; the flip at bar 2 trades two
  // sides, the entry at bar 1 and the exit at bar 3 one each: 4 sides × 15 bps.
  const m = handMarket([0.05, 0.01, -0.02, 0.03, -0.01], [1, -1, 0, 0, 0]);
  const r = oracleStrategy(m, { lag: 1 });

  it('holds sign(q_{t−lag}) and charges fee + slippage per side of every change', () => {
    expect(Array.from(r.position)).toEqual([0, 1, -1, 0, 0]);
    expect(r.turnover).toBe(4);
    const gross = [0, 0.01, 0.02, 0, 0];
    const net = [0, 0.01 - 0.0015, 0.02 - 0.003, -0.0015, 0];
    gross.forEach((g, i) => expect(r.grossReturns[i]).toBeCloseTo(g, 12));
    net.forEach((x, i) => expect(r.netReturns[i]).toBeCloseTo(x, 12));
    expect(r.periodsPerYear).toBe(8_760);
    const [gm, gs] = meanSd(gross);
    const [nm, ns] = meanSd(net);
    expect(r.grossSharpe).toBeCloseTo((gm / gs) * Math.sqrt(8_760), 9);
    expect(r.netSharpe).toBeCloseTo((nm / ns) * Math.sqrt(8_760), 9);
  });

  it('takes other costs and the generator lag by default', () => {
    const free = oracleStrategy(m, { lag: 1, feeBps: 0, slippageBps: 0 });
    expect(Array.from(free.netReturns)).toEqual(Array.from(free.grossReturns));
    // Default lag 3: position [0, 0, 0, +1, −1], one entry and one flip.
    const byDefault = oracleStrategy(m);
    expect(Array.from(byDefault.position)).toEqual([0, 0, 0, 1, -1]);
    expect(byDefault.turnover).toBe(3);
  });

  it('gives Sharpe 0 to a flat or too short series', () => {
    expect(sharpe(new Float64Array(5), 8_760)).toBe(0);
    expect(sharpe(Float64Array.of(0.01), 8_760)).toBe(0);
  });

  it.each([[{ feeBps: -1 }, 'feeBps'], [{ lag: 1.5 }, 'lag'], [{ slippageBps: Number.NaN }, 'slippageBps']])('rejects %j naming %p', (options, field) => {
    const err = thrown(() => oracleStrategy(m, options as OracleOptions));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain(`'${field}'`);
  });
});

describe('oracleSharpe: the ceiling of the synthetic market', () => {
  const year = { bars: 8_760, seed: 42 } as const;

  // The table in oracleStrategy's doc comment (one year of 1h bars, seed 42, defaults).
  it.each([
    [0, -1.14, -2.17],
    [0.25, 4.15, 3.12],
    [0.5, 9.4, 8.37],
    [1, 19.59, 18.57],
  ])('at edge %p earns gross %p, net %p (as documented)', (edge, gross, net) => {
    const r = oracleSharpe({ ...year, edge });
    expect(r.grossSharpe).toBeCloseTo(gross, 2);
    expect(r.netSharpe).toBeCloseTo(net, 2);
    expect(r.grossSharpe).toBeGreaterThanOrEqual(r.netSharpe);
  });

  it('earns nothing before costs at edge 0 and loses the costs after, over seeds', () => {
    for (const seed of [1, 2, 3]) {
      const r = oracleSharpe({ bars: 8_760, seed });
      // A year's Sharpe has a standard error of about 1.
      expect(Math.abs(r.grossSharpe)).toBeLessThan(3);
      expect(r.netSharpe).toBeLessThan(r.grossSharpe);
      expect(r.expected.grossPerBar).toBe(0);
    }
  });

  it('is clearly positive after costs at edge 0.5, over seeds', () => {
    for (const seed of [1, 2, 3]) expect(oracleSharpe({ bars: 8_760, seed, edge: 0.5 }).netSharpe).toBeGreaterThan(5);
  });

  it('matches the closed-form per-bar expectation on a long random walk with pressure', () => {
    const n = 200_000;
    const r = oracleSharpe({ bars: n, seed: 8, signal: 0, volatilityRegimes: false, edge: 1 });
    const gross = Array.from(r.grossReturns);
    const [mean, sd] = meanSd(gross);
    // Simple returns: the ±s²/2 convexity of longs and shorts cancels, leaving 0.4·σ·½ per bar.
    expect(Math.abs(mean - r.expected.grossPerBar) / (sd / Math.sqrt(n))).toBeLessThan(4);
    // Costs: every bar leaves its pressure state with p = 1 − e^{−1/24}; each change is one side.
    const p = 1 - Math.exp(-1 / 24);
    expect(r.expected.costPerBar).toBeCloseTo(0.0015 * p, 12);
    expect(Math.abs(r.turnover / n - p)).toBeLessThan(4 * Math.sqrt(p / n));
  });
});
