/**
 * Swing pivots (Williams fractals with a configurable width k). A pivot high at bar j is a high
 * strictly above the k highs to its right and at least as high as the k highs to its left; a pivot
 * low mirrors it on lows. The asymmetry is the tie-break: a flat top (equal highs, common when a
 * bar closes near its high and the next opens there) yields one pivot, at its last bar.
 *
 * The k bars on the right are the trap: the pivot at j is only *known* at bar j + k, once they have
 * closed. Everything downstream treats bar j + k as the pivot's confirmation time.
 */

/** True when x[j] > x[j + 1 .. j + k] and x[j] >= x[j - k .. j - 1]; false near the edges. */
export function isPivotHigh(x: Float64Array, j: number, k: number): boolean {
  if (j - k < 0 || j + k >= x.length) return false;
  const v = x[j]!;
  for (let i = j + 1; i <= j + k; i++) if (x[i]! >= v) return false;
  for (let i = j - k; i < j; i++) if (x[i]! > v) return false;
  return true;
}

/** True when x[j] < x[j + 1 .. j + k] and x[j] <= x[j - k .. j - 1]; false near the edges. */
export function isPivotLow(x: Float64Array, j: number, k: number): boolean {
  if (j - k < 0 || j + k >= x.length) return false;
  const v = x[j]!;
  for (let i = j + 1; i <= j + k; i++) if (x[i]! <= v) return false;
  for (let i = j - k; i < j; i++) if (x[i]! < v) return false;
  return true;
}

/** Bars of the pivot highs (on `high`) and pivot lows (on `low`), ascending. Each is confirmed at bar + k. */
export function findPivots(high: Float64Array, low: Float64Array, k: number): { highs: Int32Array; lows: Int32Array } {
  const highs: number[] = [];
  const lows: number[] = [];
  for (let j = k; j + k < high.length; j++) {
    if (isPivotHigh(high, j, k)) highs.push(j);
    if (isPivotLow(low, j, k)) lows.push(j);
  }
  return { highs: Int32Array.from(highs), lows: Int32Array.from(lows) };
}
