/** A channel around the price: lower <= middle <= upper, NaN during warm-up. */
export interface Bands {
  readonly lower: Float64Array;
  readonly middle: Float64Array;
  readonly upper: Float64Array;
}

/**
 * Position of x in [lower, upper]: 0 at the lower band, 1 at the upper, outside [0, 1] beyond
 * them. A zero-width channel (a flat window) gives 0.5: the price sits in its middle, and the
 * feature stays finite.
 */
export function bandPosition(x: Float64Array, lower: Float64Array, upper: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const w = upper[i]! - lower[i]!;
    out[i] = w === 0 ? 0.5 : (x[i]! - lower[i]!) / w;
  }
  return out;
}

/** Channel width relative to its middle line: (upper - lower) / middle. */
export function bandWidth(b: Bands): Float64Array {
  const out = new Float64Array(b.middle.length);
  for (let i = 0; i < out.length; i++) out[i] = (b.upper[i]! - b.lower[i]!) / b.middle[i]!;
  return out;
}

/** Signed distance of x to a line, relative to x: (x - line) / x. */
export function relativeDistance(x: Float64Array, line: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - line[i]!) / x[i]!;
  return out;
}
