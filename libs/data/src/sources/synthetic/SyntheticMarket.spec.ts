import { createHash } from 'node:crypto';
import { InvalidInputError } from '../../errors';
import { CANDLE_FIELDS, TRADE_FLOW_FIELDS, intervalMs } from '../../market/schema';
import { generateSyntheticMarket, PRESSURE_LAG, SYNTHETIC_STATES, type SyntheticMarket, type SyntheticMarketOptions } from './SyntheticMarket';
import { thrown } from '../../testing';

/*
 * Statistics used below. For n independent draws with mean μ and finite variance σ², the sample
 * mean is ≈ N(μ, σ²/n) (central limit theorem), so z = (mean − μ) / (sd/√n) is ≈ N(0, 1); for an
 * i.i.d. series the lag-1 sample autocorrelation is ≈ N(0, 1/n) (Bartlett's formula), and the
 * sample sd of normal draws is ≈ N(σ, σ²/(2n)). A bound of 4 standard errors is exceeded by chance
 * with probability 6.3e-5 per check, so a failure means the property is broken, not bad luck; and
 * the seeds are fixed, so every run sees the same draws. Conversely, a real effect of size d with n
 * samples gives t ≈ d·√n: the signal-1 drift of 0.08 σ over ~30 000 trend bars gives t ≈ 14.
 */

const YEAR = 365 * 24 * 3_600_000;
const N = 100_000;

/** Per-bar log returns log(close/open). */
function logReturns(m: SyntheticMarket): Float64Array {
  const c = m.candles;
  return Float64Array.from({ length: c.length }, (_, i) => Math.log(c.close[i]! / c.open[i]!));
}

function meanSd(xs: ArrayLike<number>): { mean: number; sd: number; n: number } {
  const n = xs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i]! - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (n - 1)), n };
}

/** t statistic of H0 "the mean is mu": (mean − mu) / (sd/√n). */
function tStat(xs: ArrayLike<number>, mu = 0): number {
  const { mean, sd, n } = meanSd(xs);
  return (mean - mu) / (sd / Math.sqrt(n));
}

function lag1Autocorrelation(xs: Float64Array): number {
  const { mean } = meanSd(xs);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - mean;
    den += d * d;
    if (i + 1 < xs.length) num += d * (xs[i + 1]! - mean);
  }
  return num / den;
}

/** Values of `xs` at the indices where `pick(i)` holds. */
function where(xs: Float64Array, pick: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) if (pick(i)) out.push(xs[i]!);
  return out;
}


describe('generateSyntheticMarket: determinism', () => {
  const opts: SyntheticMarketOptions = { bars: 5_000, seed: 1234 };

  it('gives identical columns, flows, funding, open interest and states for the same seed', () => {
    const a = generateSyntheticMarket(opts);
    const b = generateSyntheticMarket(opts);
    for (const f of CANDLE_FIELDS) expect(b.candles[f]).toEqual(a.candles[f]);
    for (const f of TRADE_FLOW_FIELDS) expect(b.tradeFlow[f]).toEqual(a.tradeFlow[f]);
    expect(b.funding).toEqual(a.funding);
    expect(b.openInterest).toEqual(a.openInterest);
    expect(b.states).toEqual(a.states);
  });

  it('gives different prices for a different seed', () => {
    const a = generateSyntheticMarket(opts);
    const b = generateSyntheticMarket({ ...opts, seed: 1235 });
    // Same first open (startPrice), then the paths part.
    expect(b.candles.open[0]).toBe(a.candles.open[0]);
    let same = 0;
    for (let i = 0; i < a.candles.length; i++) if (a.candles.close[i] === b.candles.close[i]) same++;
    expect(same).toBe(0);
    expect(b.states).not.toEqual(a.states);
  });
});

describe('generateSyntheticMarket: kline invariants', () => {
  it.each([['1h', N], ['5m', 20_000]] as const)('holds every Binance kline invariant at %s over %i bars', (interval, bars) => {
    const step = intervalMs(interval);
    // A start 30 s past the hour is aligned down to the interval.
    const start = Date.UTC(2024, 0, 1, 0, 0, 30);
    const m = generateSyntheticMarket({ bars, interval, start, seed: 99 });
    const c = m.candles;
    expect(c.length).toBe(bars);
    expect(c.openTime[0]).toBe(Date.UTC(2024, 0, 1));
    const broken: string[] = [];
    for (let i = 0; i < bars; i++) {
      const o = c.open[i]!, h = c.high[i]!, l = c.low[i]!, cl = c.close[i]!, v = c.volume[i]!;
      const ok =
        [o, h, l, cl, v, c.quoteVolume[i]!, c.takerBuyBaseVolume[i]!, c.takerBuyQuoteVolume[i]!].every(Number.isFinite) &&
        o > 0 && l > 0 &&
        h >= Math.max(o, cl) && l <= Math.min(o, cl) &&
        v >= 0 && c.quoteVolume[i]! >= 0 &&
        c.takerBuyBaseVolume[i]! >= 0 && c.takerBuyBaseVolume[i]! <= v &&
        c.takerBuyQuoteVolume[i]! <= c.quoteVolume[i]! &&
        Number.isInteger(c.trades[i]) && c.trades[i]! >= 1 &&
        c.openTime[i]! % step === 0 &&
        c.closeTime[i] === c.openTime[i]! + step - 1 &&
        (i === 0 || c.openTime[i]! - c.openTime[i - 1]! === step) &&
        // Each bar opens where the previous one closed.
        (i === 0 || o === c.close[i - 1]);
      if (!ok && broken.length < 5) broken.push(`bar ${i}: ${CANDLE_FIELDS.map((f) => `${f}=${c[f][i]}`).join(' ')}`);
    }
    expect(broken).toEqual([]);

    const f = m.tradeFlow;
    for (let i = 0; i < bars; i += 997) {
      expect(f.openTime[i]).toBe(c.openTime[i]);
      expect(f.buyVolume[i]! + f.sellVolume[i]!).toBeCloseTo(c.volume[i]!, 9);
      expect(f.buyTrades[i]! + f.sellTrades[i]!).toBe(c.trades[i]);
    }
    // Funding at 00:00, 08:00 and 16:00 UTC, increasing; open interest on the bar closes.
    const eightHours = 8 * 3_600_000;
    expect(m.funding.length).toBeGreaterThan(0);
    expect(m.funding.every((x, k) => x.fundingTime % eightHours === 0 && (k === 0 || x.fundingTime - m.funding[k - 1]!.fundingTime === eightHours))).toBe(true);
    expect(m.openInterest.every((x) => x.time % Math.max(step, 300_000) === 0 && x.sumOpenInterest > 0)).toBe(true);
    expect(m.states.every((s) => s < SYNTHETIC_STATES.length)).toBe(true);
  });
});

describe('generateSyntheticMarket: the signal knob', () => {
  it('with signal 0 and no volatility regimes, returns are an i.i.d. Gaussian walk with no predictable direction', () => {
    const m = generateSyntheticMarket({ bars: N, seed: 2024, signal: 0, volatilityRegimes: false });
    const r = logReturns(m);
    const sigma = 0.6 * Math.sqrt(3_600_000 / YEAR); // default annualVolatility, 1h bars
    const { mean, sd } = meanSd(r);

    expect(Math.abs(mean) / (sd / Math.sqrt(N))).toBeLessThan(4);
    expect(Math.abs(sd / sigma - 1)).toBeLessThan(4 / Math.sqrt(2 * N));
    expect(Math.abs(lag1Autocorrelation(r))).toBeLessThan(4 / Math.sqrt(N));

    // Every state occurs often enough to test, and none tells the direction of the bar it governs
    // (states[i] is drawn before bar i's return) or of the next bar.
    for (let k = 0; k < SYNTHETIC_STATES.length; k++) {
      const same = where(r, (i) => m.states[i] === k);
      const next = where(r, (i) => i > 0 && m.states[i - 1] === k);
      expect(next.length).toBeGreaterThan(1_000);
      for (const xs of [same, next]) {
        expect({ state: SYNTHETIC_STATES[k], t: Math.abs(tStat(xs)) < 4 }).toEqual({ state: SYNTHETIC_STATES[k], t: true });
        // The sign is a fair coin: the share of up bars is within 4 standard errors (0.5/√n) of ½.
        const up = xs.filter((x) => x > 0).length / xs.length;
        expect(Math.abs(up - 0.5)).toBeLessThan(4 * (0.5 / Math.sqrt(xs.length)));
      }
    }
  });

  it('with signal 1, trends drift by 0.08 σ per bar: significantly up in UPTREND, down in DOWNTREND', () => {
    const m = generateSyntheticMarket({ bars: N, seed: 2024, signal: 1 });
    const r = logReturns(m);
    const sigma = 0.6 * Math.sqrt(3_600_000 / YEAR);
    const up = where(r, (i) => m.states[i] === SYNTHETIC_STATES.indexOf('UPTREND'));
    const down = where(r, (i) => m.states[i] === SYNTHETIC_STATES.indexOf('DOWNTREND'));
    expect(tStat(up)).toBeGreaterThan(4);
    expect(tStat(down)).toBeLessThan(-4);
    // And the size is the documented one (jumps are symmetric and add no drift).
    expect(Math.abs(tStat(up, 0.08 * sigma))).toBeLessThan(4);
    expect(Math.abs(tStat(down, -0.08 * sigma))).toBeLessThan(4);
  });
});

describe('generateSyntheticMarket: options', () => {
  it.each([
    [{ bars: 0 }, 'bars'],
    [{ bars: 1.5 }, 'bars'],
    [{ bars: 10, signal: 2 }, 'signal'],
    [{ bars: 10, signal: -0.1 }, 'signal'],
    [{ bars: 10, edge: 1.5 }, 'edge'],
    [{ bars: 10, edge: -0.1 }, 'edge'],
    [{ bars: 10, symbol: 'btc' }, 'symbol'],
    [{ bars: 10, interval: '7m' }, 'interval'],
    [{ bars: 10, annualVolatility: 0 }, 'annualVolatility'],
  ])('rejects %j with InvalidInputError naming %p', (options, field) => {
    const err = thrown(() => generateSyntheticMarket(options as SyntheticMarketOptions));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain(`'${field}'`);
  });
});

/** Pearson correlation of two equally long series. */
function correlation(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const mx = meanSd(xs).mean;
  const my = meanSd(ys).mean;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Residuals of ys after a least-squares fit on xs (with intercept). */
function residuals(ys: number[], xs: number[]): number[] {
  const mx = meanSd(xs).mean;
  const my = meanSd(ys).mean;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const beta = sxy / sxx;
  return ys.map((y, i) => y - my - beta * (xs[i]! - mx));
}

const HORIZON = 12;
const WINDOW = 20;

/**
 * Samples at every HORIZON-th bar t (so the forward windows do not overlap and, without an edge,
 * the samples are independent): the 20-bar taker buy ratio over t−19..t, the forward log return
 * over bars t+1..t+12, and the past 20-bar log return over t−19..t.
 */
function flowSamples(m: SyntheticMarket): { ratio: number[]; forward: number[]; past: number[] } {
  const c = m.candles;
  const out = { ratio: [] as number[], forward: [] as number[], past: [] as number[] };
  for (let t = WINDOW - 1; t + HORIZON < c.length; t += HORIZON) {
    let buy = 0;
    let volume = 0;
    for (let k = t - WINDOW + 1; k <= t; k++) {
      buy += c.takerBuyBaseVolume[k]!;
      volume += c.volume[k]!;
    }
    out.ratio.push(buy / volume);
    out.forward.push(Math.log(c.close[t + HORIZON]! / c.close[t]!));
    out.past.push(Math.log(c.close[t]! / c.open[t - WINDOW + 1]!));
  }
  return out;
}

/** t statistic of a sample correlation r over n pairs: r·√(n−2)/√(1−r²). */
function correlationT(r: number, n: number): number {
  return (r * Math.sqrt(n - 2)) / Math.sqrt(1 - r * r);
}

/** Byte equality of two typed arrays (jest's toEqual is slow on 100 000 elements). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** sha256 of every candle and trade-flow column and of the funding series. */
function marketHash(m: SyntheticMarket): string {
  const h = createHash('sha256');
  for (const f of CANDLE_FIELDS) h.update(new Uint8Array(m.candles[f].buffer, 0, m.candles.length * 8));
  for (const f of TRADE_FLOW_FIELDS) h.update(new Uint8Array(m.tradeFlow[f].buffer, 0, m.tradeFlow.length * 8));
  h.update(JSON.stringify(m.funding));
  return h.digest('hex');
}

describe('generateSyntheticMarket: the edge knob (informed order flow)', () => {
  // Recorded from the generator before `edge` existed (same hashing as marketHash): edge 0, the
  // default, must reproduce those markets bit for bit.
  it.each([
    [{ bars: 2_000, seed: 42 }, '7b62e618e5d2bed96042e014dd61b125ced8c47dcb136c3c7aba55ec07373661'],
    [{ bars: 2_000, seed: 42, signal: 0, volatilityRegimes: false }, 'eab88e2d509d2f2228e78e7f093746504c92ac768e2b047582cf36860417278a'],
    [{ bars: 2_000, seed: 7, signal: 1, interval: '4h' }, '3ac176f5dc381b92b5bc64cc2f43762b85a0a2c1a19e8d0bf3d501d418ab33ae'],
  ] as const)('edge 0 is bit-identical to the generator before the knob: %j', (options, sha256) => {
    expect(marketHash(generateSyntheticMarket(options))).toBe(sha256);
    expect(marketHash(generateSyntheticMarket({ ...options, edge: 0 }))).toBe(sha256);
  });

  it('draws a pressure chain in {−1, 0, +1} that holds each state ~24 h, goes through 0 and does not depend on the edge', () => {
    for (const interval of ['1h', '4h'] as const) {
      const hoursPerBar = intervalMs(interval) / 3_600_000;
      const m = generateSyntheticMarket({ bars: N, seed: 5, interval, edge: 0.5 });
      const q = m.pressure;
      const plain = generateSyntheticMarket({ bars: N, seed: 5, interval });
      expect(sameBytes(q, plain.pressure)).toBe(true);
      expect(sameBytes(m.states, plain.states)).toBe(true);
      let runs = 1;
      let flips = 0;
      const count = { '-1': 0, '0': 0, '1': 0 } as Record<string, number>;
      for (let i = 0; i < q.length; i++) {
        count[String(q[i])]!++;
        if (i > 0 && q[i] !== q[i - 1]) {
          runs++;
          if (q[i]! * q[i - 1]! < 0) flips++;
        }
      }
      expect(count['-1']! + count['0']! + count['1']!).toBe(N);
      expect(flips).toBe(0);
      // Geometric holding with leave probability p = 1 − exp(−h/24): mean run p⁻¹ bars; ~N·p runs.
      const p = 1 - Math.exp(-hoursPerBar / 24);
      expect(Math.abs((N / runs) * p - 1)).toBeLessThan(4 / Math.sqrt(N * p));
      // Half the time at 0, a quarter at each side (loose: the chain's runs are long).
      expect(Math.abs(count['0']! / N - 0.5)).toBeLessThan(0.05);
      expect(Math.abs(count['1']! / N - 0.25)).toBeLessThan(0.05);
    }
  });

  it('at edge 0.5 the 20-bar taker buy ratio predicts the next 12 bars, beyond what the past return says; at edge 0 it does not', () => {
    // One year of 1h bars, signal 0 so that only the edge can make anything predictable.
    const informed = flowSamples(generateSyntheticMarket({ bars: 8_760, seed: 42, signal: 0, edge: 0.5 }));
    const n = informed.ratio.length; // 728 non-overlapping windows
    const r = correlation(informed.ratio, informed.forward);
    expect(r).toBeGreaterThan(0.1); // measured 0.238
    expect(correlationT(r, n)).toBeGreaterThan(5); // measured 6.6
    // The flow carries more than momentum: with the past 20-bar return partialled out of both,
    // the correlation stays (measured 0.278; the past return alone gives 0.051).
    const partial = correlation(residuals(informed.ratio, informed.past), residuals(informed.forward, informed.past));
    expect(partial).toBeGreaterThan(0.1);

    // With the default signal 0.5 (trends, ranges that mean-revert part of the drift) it is weaker
    // but still there (measured 0.172, t 4.7).
    const withSignal = flowSamples(generateSyntheticMarket({ bars: 8_760, seed: 42, edge: 0.5 }));
    const rs = correlation(withSignal.ratio, withSignal.forward);
    expect(rs).toBeGreaterThan(0.1);
    expect(correlationT(rs, withSignal.ratio.length)).toBeGreaterThan(4);

    // Null: the sample correlation of independent series is ≈ N(0, 1/n). Several seeds, 3 SE.
    for (const seed of [42, 7, 3]) {
      const none = flowSamples(generateSyntheticMarket({ bars: 8_760, seed, signal: 0, edge: 0 }));
      expect(Math.abs(correlation(none.ratio, none.forward))).toBeLessThan(3 / Math.sqrt(none.ratio.length));
    }
  });

  it('shows the pressure in the taker buy share at once and in the price drift PRESSURE_LAG bars later', () => {
    const m = generateSyntheticMarket({ bars: N, seed: 11, signal: 0, volatilityRegimes: false, edge: 1 });
    const c = m.candles;
    const sigma = 0.6 * Math.sqrt(3_600_000 / YEAR);
    const r = logReturns(m);
    const share = Float64Array.from({ length: c.length }, (_, i) => c.takerBuyBaseVolume[i]! / c.volume[i]!);
    // Drift of bar t is 0.4·σ·q_{t−3}: the mean return where q_{t−3} = +1 is 0.4 σ, and where
    // only q_t = +1 (but q_{t−3} = 0, the pressure just began) it is 0.
    const led = where(r, (i) => i >= PRESSURE_LAG && m.pressure[i - PRESSURE_LAG] === 1);
    const fresh = where(r, (i) => i >= PRESSURE_LAG && m.pressure[i] === 1 && m.pressure[i - PRESSURE_LAG] === 0);
    expect(Math.abs(tStat(led, 0.4 * sigma))).toBeLessThan(4);
    expect(Math.abs(tStat(fresh))).toBeLessThan(4);
    // The share leans by 0.1 at once (+ a little from the bar's own move, which the drift tilts).
    const buyNow = meanSd(where(share, (i) => m.pressure[i] === 1 && (i < PRESSURE_LAG || m.pressure[i - PRESSURE_LAG] === 0))).mean;
    const flat = meanSd(where(share, (i) => m.pressure[i] === 0 && (i < PRESSURE_LAG || m.pressure[i - PRESSURE_LAG] === 0))).mean;
    expect(buyNow - flat).toBeCloseTo(0.1, 2);
  });

  it('is causal: more bars leave every earlier bar, flow, state and pressure unchanged', () => {
    const short = generateSyntheticMarket({ bars: 3_000, seed: 9, edge: 0.7 });
    const long = generateSyntheticMarket({ bars: 5_000, seed: 9, edge: 0.7 });
    for (const f of CANDLE_FIELDS) expect(long.candles[f].subarray(0, 3_000)).toEqual(short.candles[f]);
    for (const f of TRADE_FLOW_FIELDS) expect(long.tradeFlow[f].subarray(0, 3_000)).toEqual(short.tradeFlow[f]);
    expect(long.pressure.subarray(0, 3_000)).toEqual(short.pressure);
    expect(long.states.subarray(0, 3_000)).toEqual(short.states);
  });
});
