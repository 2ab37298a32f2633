import { InvalidInputError } from '../../errors';
import { CANDLE_FIELDS, TRADE_FLOW_FIELDS, intervalMs } from '../../market/schema';
import { generateSyntheticMarket, SYNTHETIC_STATES, type SyntheticMarket, type SyntheticMarketOptions } from './SyntheticMarket';
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
    [{ bars: 10, symbol: 'btc' }, 'symbol'],
    [{ bars: 10, interval: '7m' }, 'interval'],
    [{ bars: 10, annualVolatility: 0 }, 'annualVolatility'],
  ])('rejects %j with InvalidInputError naming %p', (options, field) => {
    const err = thrown(() => generateSyntheticMarket(options as SyntheticMarketOptions));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain(`'${field}'`);
  });
});
