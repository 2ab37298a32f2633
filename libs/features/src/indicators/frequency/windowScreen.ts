// Globals captured once: inside jest's vm sandbox a global lookup (Math, Number) in a hot loop
// costs about 100x a module-scope one.
const finite = Number.isFinite;

/** What a rolling window holds: a non-finite value, only equal values, or something to analyse. */
export const WINDOW_NON_FINITE = 0;
export const WINDOW_FLAT = 1;
export const WINDOW_USABLE = 2;

/**
 * Classifies the window x[t - W + 1..t] ending at each t (WINDOW_NON_FINITE before the first full
 * window). A flat window has no variance, so its spectral or wavelet shares are undefined (NaN),
 * not whatever rounding residue a transform of it would leave.
 */
export function windowScreen(x: Float64Array, window: number): Uint8Array {
  const state = new Uint8Array(x.length);
  let lastBad = -1;
  let run = 0;
  for (let t = 0; t < x.length; t++) {
    const v = x[t]!;
    if (!finite(v)) {
      lastBad = t;
      run = 0;
    } else {
      run = t > 0 && v === x[t - 1] ? run + 1 : 1;
    }
    if (t < window - 1 || lastBad > t - window) state[t] = WINDOW_NON_FINITE;
    else state[t] = run >= window ? WINDOW_FLAT : WINDOW_USABLE;
  }
  return state;
}
