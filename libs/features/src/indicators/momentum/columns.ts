/**
 * Starts every output of a multi-output feature at the feature's warm-up: an output that the plain
 * function defines earlier (the MACD line before its signal) is NaN until then, so the feature has
 * one exact warm-up. Blanks in place and returns the same arrays.
 */
export function fromWarmup(outputs: Float64Array[], warmup: number): Float64Array[] {
  for (const o of outputs) o.fill(Number.NaN, 0, Math.min(warmup, o.length));
  return outputs;
}
