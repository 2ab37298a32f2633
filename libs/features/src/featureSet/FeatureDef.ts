import type { z } from 'zod';
import type { FeatureInput, InputColumn } from '../series';

export type FeatureGroup = 'momentum' | 'trend' | 'volatility' | 'volume' | 'statistics' | 'frequency' | 'time' | 'microstructure' | 'derivatives' | 'cross_asset';

/**
 * One registered feature: a zod schema for its parameters (with defaults), the input columns it
 * needs, its output column names, its warm-up, and the computation.
 *
 * Contract (checked for every registered feature by featureContract.spec.ts):
 * - `compute` returns one Float64Array per name in `outputs(p)`, each of the input's length;
 * - values before index `warmup(p)` may be NaN, values from it on are finite on finite input
 *   (a few features may be NaN on degenerate windows, e.g. a zero range: they list those outputs
 *   in `mayBeNaN`);
 * - the value at bar t depends on bars <= t only (checked by a property test on prefixes).
 */
export interface FeatureDef<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly group: FeatureGroup;
  readonly description: string;
  readonly params: S;
  readonly requires: readonly InputColumn[];
  outputs(p: z.output<S>): string[];
  warmup(p: z.output<S>): number;
  compute(input: FeatureInput, p: z.output<S>): Float64Array[];
  /** Outputs that may legitimately be NaN after warm-up (degenerate windows). */
  readonly mayBeNaN?: (p: z.output<S>) => string[];
}

/** Declares a feature with its parameter type inferred from the schema. */
export function defineFeature<S extends z.ZodType>(def: FeatureDef<S>): FeatureDef<S> {
  return def;
}

/** Reads a column the feature declared in `requires` (present: the builder checked). */
export function col(input: FeatureInput, name: InputColumn): Float64Array {
  const c = input.columns[name];
  if (!c) throw new Error(`column '${name}' missing: declare it in the feature's requires`);
  return c;
}
