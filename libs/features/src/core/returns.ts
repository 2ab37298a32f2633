/**
 * Log changes of a positive series (open interest, a close): shared by the derivatives, frequency
 * and cross-asset features. (statistics/returns.ts has its own `logReturns(close, k)`, which takes
 * the log of any ratio: it differs from these wherever a value is 0 or negative.)
 */
import { nans } from './rolling';

// Globals captured once: inside jest's vm sandbox a global lookup (Math, Number) in a hot loop
// costs about 100x a module-scope one.
const { log } = Math;

/**
 * Log change over `n` bars: ln(x[t] / x[t - n]); NaN for t < n and wherever either value is not
 * positive (a zero open interest has no log). With n = 1 on a close this is the log return.
 * The ratio form ln(a / b) (not ln a - ln b) keeps small changes accurate.
 */
export function logChange(x: Float64Array, n: number): Float64Array {
  const out = nans(x.length);
  for (let t = n; t < x.length; t++) {
    const a = x[t]!;
    const b = x[t - n]!;
    if (a > 0 && b > 0) out[t] = log(a / b);
  }
  return out;
}

/** One-bar log returns: ln(x[t] / x[t - 1]), NaN at index 0. */
export function logReturns(x: Float64Array): Float64Array {
  return logChange(x, 1);
}
