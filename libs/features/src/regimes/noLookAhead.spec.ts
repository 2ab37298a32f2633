/**
 * No look-ahead: regimes and S/R outputs computed on the bars up to t equal those computed on the
 * whole series, at t and before. Checked at seeded random bars, at warm-up edges, and around pivot
 * confirmations (j + k - 1, j + k, j + k + 1) and window expiries, where a leak would show first.
 */
import { generateSyntheticMarket, Rng } from '@ares/data';
import { classifyRegimes, type RegimeParams } from './regimes';
import { findPivots } from './pivots';
import { supportResistance, type SupportResistance } from './supportResistance';
import { prefix } from './testBars';

const N = 3000;
const K = 5;
const m = generateSyntheticMarket({ bars: N, seed: 11, signal: 0.5 });
const bars = {
  openTime: m.candles.openTime,
  open: m.candles.open,
  high: m.candles.high,
  low: m.candles.low,
  close: m.candles.close,
  volume: m.candles.volume,
};

/** Index of the first element where a and b differ (NaN equals NaN), or -1. */
function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

function checkBars(): number[] {
  const rng = new Rng(2024);
  const ts = new Set<number>([0, 13, 14, 48, 49, 50, 51, N - 1]);
  while (ts.size < 8 + 60) ts.add(Math.floor(rng.uniform() * N));
  const { highs, lows } = findPivots(bars.high, bars.low, K);
  // Around confirmations of pivots spread over the series, and where the first ones leave a 500-bar window.
  for (const j of [...highs.slice(0, 3), ...highs.filter((_, i) => i % 40 === 0), ...lows.filter((_, i) => i % 40 === 0)]) {
    for (const t of [j + K - 1, j + K, j + K + 1, j + 500, j + 501]) if (t < N) ts.add(t);
  }
  return [...ts].sort((a, b) => a - b);
}
const T = checkBars();

const SR_COLUMNS = ['supportDistance', 'resistanceDistance', 'supportTouches', 'resistanceTouches', 'supportPrice', 'resistancePrice'] as const;

test(`checks at least 50 random bars plus pivot confirmations (${T.length} in all)`, () => {
  expect(T.length).toBeGreaterThanOrEqual(100);
});

describe.each([
  ['default parameters', {}],
  ['short windows (frequent pivot expiry)', { atrPeriod: 7, fastPeriod: 5, slowPeriod: 15, efficiencyPeriod: 10, volumeWindow: 20, sr: { pivotWidth: 3, lookback: 60 } }],
  // Every pivot is a level and zones are wide, so a pivot used one bar early would flip zones.
  ['single-touch levels, wide zones', { zoneMinTouches: 1, zoneAtr: 1, sr: { minTouches: 1 } }],
] as [string, RegimeParams][])('%s', (_name, params) => {
  const full = classifyRegimes(bars, params);

  test('classifyRegimes on the prefix ending at t equals the full run on bars <= t', () => {
    for (const t of T) {
      const part = classifyRegimes(prefix(bars, t + 1), params);
      const at = firstMismatch(part.regime, full.regime.subarray(0, t + 1));
      if (at !== -1) throw new Error(`prefix ending at ${t}: regime differs at bar ${at} (${part.regime[at]} vs ${full.regime[at]})`);
    }
  });

  test('supportResistance on the prefix ending at t equals the full run on bars <= t', () => {
    const srParams = { ...params.sr, atrPeriod: params.atrPeriod };
    const whole: SupportResistance = supportResistance(bars, srParams);
    for (const t of T) {
      const part = supportResistance(prefix(bars, t + 1), srParams);
      for (const c of SR_COLUMNS) {
        const at = firstMismatch(part[c], whole[c].subarray(0, t + 1));
        if (at !== -1) throw new Error(`prefix ending at ${t}: ${c} differs at bar ${at} (${part[c][at]} vs ${whole[c][at]})`);
      }
    }
  });
});

test('changing the future (bars after t) changes nothing at or before t', () => {
  const t = 1500;
  const altered = Object.fromEntries(Object.entries(bars).map(([k, v]) => [k, v.slice()])) as typeof bars;
  for (let i = t + 1; i < N; i++) {
    // A crash with wide candles and heavy volume right after t: any leak would move the levels and the regimes.
    const f = 0.5 + 0.001 * (i - t);
    altered.open[i] = bars.open[i]! * f;
    altered.close[i] = bars.close[i]! * f;
    altered.high[i] = bars.high[i]! * f * 1.05;
    altered.low[i] = bars.low[i]! * f * 0.95;
    altered.volume[i] = bars.volume[i]! * 10;
  }
  expect(firstMismatch(classifyRegimes(altered).regime.subarray(0, t + 1), classifyRegimes(bars).regime.subarray(0, t + 1))).toBe(-1);
  const a = supportResistance(altered);
  const b = supportResistance(bars);
  for (const c of SR_COLUMNS) expect(firstMismatch(a[c].subarray(0, t + 1), b[c].subarray(0, t + 1))).toBe(-1);
  // ...and the alteration does show after t, so the check has teeth.
  expect(firstMismatch(a.supportPrice, b.supportPrice)).toBeGreaterThan(t);
});
