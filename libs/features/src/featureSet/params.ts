/**
 * Parameter schemas shared by the indicator groups, so that the same parameter is validated (and
 * its errors worded) the same way everywhere.
 *
 * ```ts
 * params: z.strictObject({ period: periodParam(2, 20), mult: z.number().positive().default(2) }),  // statistics, volatility, volume
 * params: z.object({ window: windowParam(24, 1) }),  // derivatives, microstructure, cross-asset: "window must be >= 1"
 * ```
 */
import { z } from 'zod';

/** A window length parameter: an integer >= min, with a default (zod's own messages). */
export const periodParam = (min: number, dflt: number) => z.number().int().min(min).default(dflt);

/** Bars per window: an integer in [min, 10000], default `fallback`, with messages naming 'window'. */
export function windowParam(fallback: number, min: number) {
  return z
    .number({ error: 'window must be a number' })
    .int({ error: 'window must be an integer' })
    .min(min, { error: `window must be >= ${min}` })
    .max(10_000, { error: 'window must be <= 10000' })
    .default(fallback);
}
