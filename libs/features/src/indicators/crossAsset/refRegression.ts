import { nans } from '../../core/rolling';

// Globals captured once: inside jest's vm sandbox a global lookup (Math, Number) in a hot loop
// costs about 100x a module-scope one.
const { sqrt } = Math;
const finite = Number.isFinite;

/** Rolling co-movement of x with a reference series y over n bars. */
export interface RollingCoMovement {
  /** Pearson correlation of x and y. */
  corr: Float64Array;
  /** OLS slope of x on y: cov(x, y) / var(y) (the ddof cancels; pandas uses 1 for both). */
  beta: Float64Array;
}

/**
 * Rolling correlation and beta of x against y over the last n pairs, two-pass per window (means,
 * then centred products) for accuracy. NaN where a window holds a non-finite value, where y is flat
 * (all values equal: beta, corr) or x is flat (corr).
 */
export function rollingCoMovement(x: Float64Array, y: Float64Array, n: number): RollingCoMovement {
  const out: RollingCoMovement = { corr: nans(x.length), beta: nans(x.length) };
  for (let t = n - 1; t < x.length; t++) {
    let sx = 0;
    let sy = 0;
    let xFlat = true;
    let yFlat = true;
    for (let j = t - n + 1; j <= t; j++) {
      sx += x[j]!;
      sy += y[j]!;
      xFlat &&= x[j] === x[t];
      yFlat &&= y[j] === y[t];
    }
    if (!finite(sx) || !finite(sy)) continue;
    const mx = sx / n;
    const my = sy / n;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let j = t - n + 1; j <= t; j++) {
      const dx = x[j]! - mx;
      const dy = y[j]! - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    if (yFlat) continue;
    out.beta[t] = sxy / syy;
    if (!xFlat) out.corr[t] = sxy / (sqrt(sxx) * sqrt(syy));
  }
  return out;
}
