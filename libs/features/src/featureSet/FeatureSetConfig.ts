import { IntervalSchema } from '@ares/data';
import { z } from 'zod';

/** One feature in a set: a registered name and its parameters (validated by the feature's own schema). */
export const FeatureSpecSchema = z.object({
  name: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type FeatureSpec = z.input<typeof FeatureSpecSchema>;

/**
 * A declarative feature set. `features` are computed on the dataset's own bars; each entry of
 * `timeframes` resamples the bars to a higher interval, computes its features there, and joins
 * them onto the base bars as of the last *closed* higher-timeframe bar (prefix `tf<interval>_`).
 */
export const FeatureSetConfigSchema = z.object({
  name: z.string().regex(/^[a-z0-9_-]+$/, 'lower-case letters, digits, _ and -').default('default'),
  features: z.array(FeatureSpecSchema).min(1, 'a feature set needs at least one feature'),
  timeframes: z.array(z.object({ interval: IntervalSchema, features: z.array(FeatureSpecSchema).min(1) })).default([]),
});
export type FeatureSetConfig = z.input<typeof FeatureSetConfigSchema>;
export type ParsedFeatureSetConfig = z.output<typeof FeatureSetConfigSchema>;
