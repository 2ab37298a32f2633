/**
 * Exact window sums and ratios of sums, shared by the microstructure features (and any feature
 * that divides two volumes). Not to be confused with volume/windowSum.ts, a running sum re-based
 * every n bars that starts at the first finite value: faster, for long series without gaps.
 */
import { nans } from './rolling';

/**
 * Sum of the last n values, added afresh for every window (O(n) per bar). A running sum would be
 * O(1) but carries the rounding of everything it ever saw: after a burst of huge volume, a window
 * of zero-volume bars would sum to a residue instead of exactly 0, and a ratio of two such sums
 * would be noise instead of NaN. A window holding a NaN sums to NaN (as pandas' rolling sum).
 */
export function windowSum(x: Float64Array, n: number): Float64Array {
  const out = nans(x.length);
  for (let t = n - 1; t < x.length; t++) {
    let sum = 0;
    for (let j = t - n + 1; j <= t; j++) sum += x[j]!;
    out[t] = sum;
  }
  return out;
}

/** Σ numerator / Σ denominator over the last n bars; NaN where the denominator's sum is 0. */
export function ratioOfSums(numerator: Float64Array, denominator: Float64Array, n: number): Float64Array {
  const num = windowSum(numerator, n);
  const den = windowSum(denominator, n);
  const out = nans(numerator.length);
  for (let t = 0; t < out.length; t++) if (den[t] !== 0) out[t] = num[t]! / den[t]!;
  return out;
}
