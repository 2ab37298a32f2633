import { firstValid, nans } from '../../core/rolling';

/**
 * Rolling moments in O(length): running sums of powers of (x - c). Every n bars the shift c is
 * reset to the current window's mean and the sums are recomputed from scratch, so rounding never
 * accumulates beyond one window and the sums stay nearly central (converting raw to central
 * moments then cancels little). Cost: about three passes over the data whatever n is.
 *
 * Leading NaNs are skipped like core/rolling (the window starts at the first finite value).
 */

/** Central moments of one window, divided by n (population moments). */
type MomentsSink = (i: number, mean: number, m2: number, m3: number, m4: number) => void;

/** Calls `emit` for every full n-window of x, with the window's mean and central moments 2..4. */
export function scanMoments(x: Float64Array, n: number, emit: MomentsSink): void {
  const start = firstValid(x);
  let c = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let sinceReset = n;
  for (let i = start + n - 1; i < x.length; i++) {
    if (sinceReset === n) {
      c = 0;
      for (let j = i - n + 1; j <= i; j++) c += x[j]!;
      c /= n;
      s1 = s2 = s3 = s4 = 0;
      for (let j = i - n + 1; j <= i; j++) {
        const d = x[j]! - c;
        const d2 = d * d;
        s1 += d;
        s2 += d2;
        s3 += d2 * d;
        s4 += d2 * d2;
      }
      sinceReset = 0;
    } else {
      const d = x[i]! - c;
      const e = x[i - n]! - c;
      const d2 = d * d;
      const e2 = e * e;
      s1 += d - e;
      s2 += d2 - e2;
      s3 += d2 * d - e2 * e;
      s4 += d2 * d2 - e2 * e2;
    }
    sinceReset++;
    const a = s1 / n;
    const a2 = a * a;
    const m2 = s2 / n - a2;
    const m3 = s3 / n - a2 * a - 3 * a * m2;
    const m4 = s4 / n - a2 * a2 - 6 * m2 * a2 - 4 * m3 * a;
    emit(i, c + a, m2, m3, m4);
  }
}

/**
 * Length of the run of equal values ending at each index (0 at NaN). A window of n values ending
 * at i is constant exactly when the run is >= n: detected exactly, not through a variance that
 * rounding leaves at 1e-20 instead of 0.
 */
export function equalRunLength(x: Float64Array): Int32Array {
  const run = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) continue;
    run[i] = i > 0 && x[i - 1] === v ? run[i - 1]! + 1 : 1;
  }
  return run;
}

/**
 * Rolling z-score (x - mean) / std over n values with the SAMPLE std (ddof 1, pandas' default):
 * `(s - s.rolling(n).mean()) / s.rolling(n).std()`. A constant window gives 0 (the value is its mean).
 */
export function rollingZScore(x: Float64Array, n: number): Float64Array {
  const out = nans(x.length);
  const run = equalRunLength(x);
  const toSample = n / (n - 1);
  scanMoments(x, n, (i, mean, m2) => {
    out[i] = run[i]! >= n || m2 <= 0 ? 0 : (x[i]! - mean) / Math.sqrt(m2 * toSample);
  });
  return out;
}
