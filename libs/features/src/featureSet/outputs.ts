/**
 * Output helpers shared by every indicator group: how a real parameter is written in a column
 * name, and one exact warm-up for all outputs of a multi-output feature.
 *
 * ```ts
 * outputs: (p) => [`sar_dist_${paramTag(p.acceleration)}_${paramTag(p.maximum)}`],  // 0.02 → '0p02'
 * compute: (input, p) => fromWarmup([m.line, m.signal, m.hist], macdWarmup(p)),
 * ```
 */

/**
 * How {@link paramTag} spells the signs in a number's text (only negative numbers and exponent
 * forms have any): 'encode' turns the first '-' into 'm' and drops the first '+' (1e-7 → '1em7',
 * 1e+21 → '1e21'); 'keep' leaves them (1e-7 → '1e-7'). The trend columns use 'encode'; the
 * statistics, volatility and volume columns have always been named with 'keep'. Both give the same
 * name for every plain non-negative decimal; column names are part of the published datasets, so
 * neither spelling is changed for the other.
 */
export type SignSpelling = 'encode' | 'keep';

/** A real parameter as it appears in a column name: '.' becomes 'p' (2 → '2', 1.5 → '1p5', 0.02 → '0p02'); signs as `signs` says. */
export function paramTag(x: number, signs: SignSpelling = 'encode'): string {
  const tag = String(x).replace('.', 'p');
  return signs === 'encode' ? tag.replace('-', 'm').replace('+', '') : tag;
}

/**
 * Starts every output of a multi-output feature at the feature's warm-up: an output that the plain
 * function defines earlier (the MACD line before its signal, +DI before ADX) is NaN until then, so
 * the feature has one exact warm-up. Blanks in place and returns the same arrays.
 */
export function fromWarmup(outputs: Float64Array[], warmup: number): Float64Array[] {
  for (const o of outputs) o.fill(Number.NaN, 0, Math.min(warmup, o.length));
  return outputs;
}
