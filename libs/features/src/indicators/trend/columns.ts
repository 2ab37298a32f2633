/** A real parameter as it appears in a column name: '.' becomes 'p' (0.02 → '0p02'), '-' becomes 'm'. */
export function paramTag(x: number): string {
  return String(x).replace('.', 'p').replace('-', 'm').replace('+', '');
}

/**
 * Starts every output of a multi-output feature at the feature's warm-up: an output that the plain
 * function defines earlier (+DI before ADX) is NaN until then, so the feature has one exact
 * warm-up. Blanks in place and returns the same arrays.
 */
export function fromWarmup(outputs: Float64Array[], warmup: number): Float64Array[] {
  for (const o of outputs) o.fill(Number.NaN, 0, Math.min(warmup, o.length));
  return outputs;
}
