import { IntervalSchema, SymbolSchema } from '@ares/data';
import { z } from 'zod';
import { StandardScalerStateSchema } from '../preprocessing/StandardScaler';
import { RegularizationConfigSchema } from '../regularization';

export const MODEL_TYPES = ['lightgbm', 'xgboost', 'random_forest', 'lstm'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

/** Version of the bundle layout; loading a different version fails with both versions named. */
export const BUNDLE_VERSION = 1;

/**
 * manifest.json of a model bundle: everything needed to load the model and to audit it.
 * Written after the native files, so a bundle without a manifest is incomplete.
 */
export const ModelManifestSchema = z.object({
  bundleVersion: z.literal(BUNDLE_VERSION),
  modelKey: z.string(),
  type: z.enum(MODEL_TYPES),
  library: z.object({ name: z.string(), version: z.string(), backend: z.string().optional() }),
  symbol: SymbolSchema,
  interval: IntervalSchema,
  features: z.object({
    /** Columns as they come in (what `predict` needs). */
    original: z.array(z.string()).min(1),
    /** Columns the model sees after preprocessing (same names when only scaling is applied). */
    processed: z.array(z.string()).min(1),
  }),
  /** Trading label → class index. */
  labelMap: z.object({ '-1': z.literal(0), '0': z.literal(1), '1': z.literal(2) }),
  params: z.record(z.string(), z.unknown()),
  /** The regularization section the model was trained with (already applied to `params`); absent in older bundles. */
  regularization: RegularizationConfigSchema.optional(),
  sequenceLength: z.number().int().positive().nullable(),
  /** StandardScaler state fitted on the training rows (StandardScaler.fromJSON restores it), or null. */
  scaler: StandardScalerStateSchema.nullable(),
  /** sha256 of the training data (the feature dataset's content hash and the rows used). */
  trainingDataHash: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  seed: z.number().int(),
  codeVersion: z.string(),
  /** The native files, each with its sha256. */
  files: z.array(z.object({ name: z.string(), key: z.string(), sha256: z.string(), size: z.number().int() })).min(1),
  /** Model-specific state needed by load (best iteration, class count, …). */
  state: z.record(z.string(), z.unknown()),
  lineage: z.record(z.string(), z.unknown()).default({}),
});
export type ModelManifest = z.infer<typeof ModelManifestSchema>;
