import { Rng } from '@ares/data';
import type { OhlcvBars } from '../testing/sp500';

/**
 * Hand-built bars for the regime and S/R specs (not exported from the lib). Each bar opens at the
 * previous close, its high/low sit `wick` beyond the body, and volume is 1000 × (1 ± 5 %) with a
 * seeded jitter, so that a volume z-score is defined and no bar is a volume shock by accident.
 */
export type TestBars = OhlcvBars;

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);

export function barsFromCloses(closes: ArrayLike<number>, wick = 0.2, seed = 1): TestBars {
  const n = closes.length;
  const rng = new Rng(seed);
  const bars: TestBars = {
    openTime: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: Float64Array.from(closes),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const c = bars.close[i]!;
    const o = i === 0 ? c : bars.close[i - 1]!;
    bars.openTime[i] = START + i * HOUR;
    bars.open[i] = o;
    bars.high[i] = Math.max(o, c) + wick;
    bars.low[i] = Math.min(o, c) - wick;
    bars.volume[i] = 1000 * (1 + 0.1 * (rng.uniform() - 0.5));
  }
  return bars;
}

/** Closes that move from `from` to `to` in `steps` equal steps (the first value excluded). */
export function ramp(from: number, to: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => from + ((to - from) * (i + 1)) / steps);
}

/** The first `length` bars of `bars`, as views (what a caller would have had at bar length - 1). */
export function prefix<T extends Record<string, Float64Array>>(bars: T, length: number): T {
  const out: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(bars)) out[k] = v.subarray(0, length);
  return out as T;
}
