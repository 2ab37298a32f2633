/**
 * A sliding window kept sorted in a Float64Array: replacing the oldest value costs a binary
 * search and a shift of the values between the old and the new one (O(n), cheap for n up to a
 * few hundred), instead of a sort per bar.
 */

/**
 * Removes `out` (present in the sorted window) and inserts `v`, keeping the window sorted: the
 * hole left by `out` walks towards v's place (one insertion-sort step). Returns v's index.
 */
export function sortedReplace(sorted: Float64Array, out: number, v: number): number {
  let i = lowerBound(sorted, out);
  if (v > out) {
    for (const last = sorted.length - 1; i < last && sorted[i + 1]! < v; i++) sorted[i] = sorted[i + 1]!;
  } else {
    for (; i > 0 && sorted[i - 1]! > v; i--) sorted[i] = sorted[i - 1]!;
  }
  sorted[i] = v;
  return i;
}

/** Number of values < v (the first index whose value is >= v). */
export function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Quantile q of the sorted values with linear interpolation, pandas' formula: h = q (n - 1),
 * v[⌊h⌋] + (v[⌊h⌋ + 1] - v[⌊h⌋]) (h - ⌊h⌋).
 */
export function sortedQuantile(sorted: Float64Array, q: number): number {
  const h = q * (sorted.length - 1);
  const lo = Math.trunc(h);
  const vlo = sorted[lo]!;
  return h === lo ? vlo : vlo + (sorted[lo + 1]! - vlo) * (h - lo);
}
