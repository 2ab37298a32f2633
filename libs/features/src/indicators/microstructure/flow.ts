import { nans, rollingStd } from '../../core/rolling';
import { ratioOfSums, windowSum } from '../../core/windows';

/**
 * Taker-buy ratio over n bars: Σ takerBuyBaseVolume / Σ volume (volume-weighted, so a quiet bar
 * counts less than a busy one; n = 1 is the bar's own ratio). 0.5 is balanced flow. NaN where the
 * n bars traded nothing.
 */
export function takerBuyRatio(takerBuyBaseVolume: Float64Array, volume: Float64Array, n: number): Float64Array {
  return ratioOfSums(takerBuyBaseVolume, volume, n);
}

/** Large-trade share over n bars: Σ largeTradeVolume / Σ volume. NaN where the n bars traded nothing. */
export function largeTradeShare(largeTradeVolume: Float64Array, volume: Float64Array, n: number): Float64Array {
  return ratioOfSums(largeTradeVolume, volume, n);
}

/**
 * Trade-count intensity: trades[t] / mean(trades[t - n + 1..t]) (the mean includes the bar, as
 * pandas' rolling mean). 1 is a usual bar. NaN where the n bars had no trades.
 */
export function tradeIntensity(trades: Float64Array, n: number): Float64Array {
  const sum = windowSum(trades, n);
  const out = nans(trades.length);
  for (let t = 0; t < out.length; t++) if (sum[t] !== 0) out[t] = trades[t]! / (sum[t]! / n);
  return out;
}

/**
 * Trade-count z-score: (trades[t] - mean) / std over the last n bars, sample std (ddof 1, as
 * pandas). NaN where the n bars all had the same count.
 */
export function tradeIntensityZ(trades: Float64Array, n: number): Float64Array {
  const sum = windowSum(trades, n);
  const std = rollingStd(trades, n, 1);
  const out = nans(trades.length);
  for (let t = 0; t < out.length; t++) if (std[t]! > 0) out[t] = (trades[t]! - sum[t]! / n) / std[t]!;
  return out;
}
