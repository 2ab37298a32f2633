import { Rng } from '@ares/data';

/** Seeded series for the specs of this folder (not exported from the lib). */

/** AR(1) x_t = φ·x_{t−1} + ε_t with standard normal ε, after a burn-in of 200 draws. */
export function ar1(n: number, phi: number, seed: number, mean = 0, scale = 1): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  let prev = 0;
  for (let i = -200; i < n; i++) {
    prev = phi * prev + rng.normal();
    if (i >= 0) x[i] = mean + scale * prev;
  }
  return x;
}

/** GARCH(1,1) returns: σ²_t = 0.05 + 0.10·r²_{t−1} + 0.85·σ²_{t−1}, r_t = σ_t·ε_t, times `scale`. */
export function garch(n: number, seed: number, scale = 1): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  let variance = 1;
  let prev = 0;
  for (let i = -200; i < n; i++) {
    variance = 0.05 + 0.1 * prev * prev + 0.85 * variance;
    prev = Math.sqrt(variance) * rng.normal();
    if (i >= 0) x[i] = scale * prev;
  }
  return x;
}
