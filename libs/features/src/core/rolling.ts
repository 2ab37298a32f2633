/**
 * Numeric primitives over Float64Array columns. Every output has the input's length; positions
 * before the first complete window are NaN (warm-up: never back-filled). Conventions, written once:
 *
 * - SMA: arithmetic mean of the last n values.
 * - EMA: alpha = 2 / (n + 1), seeded with the SMA of its first n values (TA-Lib's default), so the
 *   first value sits at index start + n - 1.
 * - Wilder smoothing (RSI, ATR, ADX): alpha = 1 / n, seeded with the SMA of its first n values.
 * - Standard deviation: `population` (divide by n: Bollinger bands, as in TA-Lib) or `sample`
 *   (divide by n - 1: pandas' rolling std); each caller says which.
 *
 * Leading NaNs in the input (another indicator's warm-up) are skipped: the window starts at the
 * first finite value, so indicators compose (an EMA of an RSI).
 */

/** Index of the first non-NaN value (length when there is none). */
export function firstValid(x: Float64Array): number {
  let i = 0;
  while (i < x.length && Number.isNaN(x[i]!)) i++;
  return i;
}

/** A NaN-filled column. */
export function nans(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

/** Simple moving average over n values. */
export function sma(x: Float64Array, n: number): Float64Array {
  const out = nans(x.length);
  const start = firstValid(x);
  let sum = 0;
  for (let i = start; i < x.length; i++) {
    sum += x[i]!;
    if (i - start >= n) sum -= x[i - n]!;
    if (i - start >= n - 1) out[i] = sum / n;
  }
  return out;
}

/** Exponential smoothing with factor `alpha`, seeded with the SMA of the first n values. */
export function smoothSeeded(x: Float64Array, n: number, alpha: number): Float64Array {
  const out = nans(x.length);
  const start = firstValid(x);
  if (x.length - start < n) return out;
  let seed = 0;
  for (let i = start; i < start + n; i++) seed += x[i]!;
  let v = seed / n;
  out[start + n - 1] = v;
  for (let i = start + n; i < x.length; i++) {
    v += alpha * (x[i]! - v);
    out[i] = v;
  }
  return out;
}

/** Exponential moving average: alpha = 2 / (n + 1), SMA seed. */
export function ema(x: Float64Array, n: number): Float64Array {
  return smoothSeeded(x, n, 2 / (n + 1));
}

/** Wilder's smoothing (a.k.a. RMA / SMMA): alpha = 1 / n, SMA seed. */
export function wilder(x: Float64Array, n: number): Float64Array {
  return smoothSeeded(x, n, 1 / n);
}

/** Rolling sum over n values. */
export function rollingSum(x: Float64Array, n: number): Float64Array {
  const out = sma(x, n);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * n;
  return out;
}

/**
 * Rolling standard deviation over n values, two-pass per window for accuracy (O(n·w); windows
 * here are short). `ddof` 0 = population, 1 = sample.
 */
export function rollingStd(x: Float64Array, n: number, ddof: 0 | 1): Float64Array {
  const out = nans(x.length);
  const start = firstValid(x);
  for (let i = start + n - 1; i < x.length; i++) {
    let mean = 0;
    for (let j = i - n + 1; j <= i; j++) mean += x[j]!;
    mean /= n;
    let ss = 0;
    for (let j = i - n + 1; j <= i; j++) ss += (x[j]! - mean) ** 2;
    out[i] = Math.sqrt(ss / (n - ddof));
  }
  return out;
}

/** Rolling maximum over n values (monotonic deque, O(length)). */
export function rollingMax(x: Float64Array, n: number): Float64Array {
  const out = nans(x.length);
  const start = firstValid(x);
  // Ring buffer of indices whose values decrease from head to tail; at most n are live.
  const cap = n + 1;
  const q = new Int32Array(cap);
  let head = 0;
  let size = 0;
  for (let i = start; i < x.length; i++) {
    const v = x[i]!;
    while (size > 0 && v >= x[q[(head + size - 1) % cap]!]!) size--;
    q[(head + size) % cap] = i;
    size++;
    if (q[head]! <= i - n) { head = (head + 1) % cap; size--; }
    if (i - start >= n - 1) out[i] = x[q[head]!]!;
  }
  return out;
}

/** Rolling minimum over n values (monotonic deque, O(length)). */
export function rollingMin(x: Float64Array, n: number): Float64Array {
  const out = nans(x.length);
  const start = firstValid(x);
  const cap = n + 1;
  const q = new Int32Array(cap);
  let head = 0;
  let size = 0;
  for (let i = start; i < x.length; i++) {
    const v = x[i]!;
    while (size > 0 && v <= x[q[(head + size - 1) % cap]!]!) size--;
    q[(head + size) % cap] = i;
    size++;
    if (q[head]! <= i - n) { head = (head + 1) % cap; size--; }
    if (i - start >= n - 1) out[i] = x[q[head]!]!;
  }
  return out;
}

/** True range: max(high - low, |high - prev close|, |low - prev close|); NaN at index 0 (TA-Lib's TRANGE). */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const out = nans(high.length);
  for (let i = 1; i < high.length; i++) {
    const pc = close[i - 1]!;
    out[i] = Math.max(high[i]! - low[i]!, Math.abs(high[i]! - pc), Math.abs(low[i]! - pc));
  }
  return out;
}

/** Average true range: Wilder smoothing of the true range, first value at index n (TA-Lib's ATR). */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  return wilder(trueRange(high, low, close), n);
}

/** x[i] / y[i] elementwise (NaN where y is 0). */
export function ratio(x: Float64Array, y: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = y[i] === 0 ? Number.NaN : x[i]! / y[i]!;
  return out;
}
