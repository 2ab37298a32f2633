import { firstValid, nans } from '../../core/rolling';

/**
 * Rolling sum over n values (from the first finite value on), O(length) yet exact where it matters:
 * the running sum is recomputed from scratch every n bars, so rounding never accumulates beyond
 * one window, and a window of zeros (no volume, no price change) sums to exactly 0 rather than to
 * the residue a running sum leaves behind.
 */
export function windowSum(x: Float64Array, n: number): Float64Array {
  const out = nans(x.length);
  const start = firstValid(x);
  let sum = 0;
  let nonzero = 0;
  let sinceReset = n;
  for (let i = start + n - 1; i < x.length; i++) {
    if (sinceReset === n) {
      sum = 0;
      nonzero = 0;
      for (let j = i - n + 1; j <= i; j++) {
        sum += x[j]!;
        if (x[j] !== 0) nonzero++;
      }
      sinceReset = 0;
    } else {
      const v = x[i]!;
      const old = x[i - n]!;
      sum += v - old;
      nonzero += (v !== 0 ? 1 : 0) - (old !== 0 ? 1 : 0);
    }
    sinceReset++;
    out[i] = nonzero === 0 ? 0 : sum;
  }
  return out;
}
