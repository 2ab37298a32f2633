import { InsufficientHistoryError, InvalidFeatureParamsError, MissingColumnError, NonFiniteInputError } from '../errors';
import type { FeatureInput, InputColumn } from '../series';
import { FeatureSetConfigSchema, type FeatureSetConfig } from './FeatureSetConfig';
import type { FeatureRegistry, ResolvedFeature } from './FeatureRegistry';
import { resample } from './resample';

/** Columns fed as of the bar's close that start later than the candles (NaN before their first value). */
const SPARSE: ReadonlySet<InputColumn> = new Set(['fundingRate', 'openInterest', 'openInterestValue']);

/** A computed feature matrix: warm-up rows already dropped. */
export interface FeatureMatrix {
  readonly length: number;
  readonly openTime: Float64Array;
  readonly closeTime: Float64Array;
  readonly names: string[];
  readonly columns: Float64Array[];
  /** Rows dropped at the start because some feature was still warming up. */
  readonly warmupRows: number;
  /** Per output column: the feature, its params and warm-up, for the manifest. */
  readonly provenance: { column: string; feature: string; params: unknown; warmup: number; timeframe: string }[];
}

/**
 * Computes a feature set over bars. Fails fast, naming the feature, parameter or column, on an
 * unknown feature, invalid parameters, a missing input column, or NaN/Inf in an input column.
 * Rows before every feature has warmed up are dropped (never back-filled).
 */
export function buildFeatureMatrix(input: FeatureInput, config: FeatureSetConfig, registry: FeatureRegistry): FeatureMatrix {
  const parsed = FeatureSetConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidFeatureParamsError(`feature set field '${issue.path.join('.')}': ${issue.message}`);
  }
  const set = parsed.data;
  const base = set.features.map((f, i) => registry.resolve(f, `features[${i}]`));
  const tfs = set.timeframes.map((tf, t) => ({ interval: tf.interval, features: tf.features.map((f, i) => registry.resolve(f, `timeframes[${t}].features[${i}]`)) }));
  for (const f of [...base, ...tfs.flatMap((t) => t.features)]) checkColumns(input, f);

  const names: string[] = [];
  const columns: Float64Array[] = [];
  const provenance: FeatureMatrix['provenance'] = [];
  let warmup = 0;
  for (const f of base) {
    const start = sparseStart(input, f);
    const outs = compute(input, f);
    outs.forEach((c, j) => push(f.outputs[j]!, c, f, f.warmup + start, 'base'));
  }
  for (const tf of tfs) {
    const { input: htf, asOf } = resample(input, tf.interval);
    for (const f of tf.features) {
      const start = sparseStart(htf, f);
      const outs = compute(htf, f);
      // The first base row whose last closed higher-timeframe bar has warmed up.
      let first = asOf.findIndex((j) => j >= f.warmup + start);
      if (first < 0) first = input.length;
      outs.forEach((c, j) => {
        const joined = new Float64Array(input.length);
        for (let i = 0; i < input.length; i++) joined[i] = asOf[i]! >= 0 ? c[asOf[i]!]! : Number.NaN;
        push(`tf${tf.interval}_${f.outputs[j]}`, joined, f, first, tf.interval);
      });
    }
  }
  function push(name: string, c: Float64Array, f: ResolvedFeature, rowWarmup: number, timeframe: string): void {
    if (names.includes(name)) throw new InvalidFeatureParamsError(`feature set produces column '${name}' twice (${f.path}); give the duplicate different parameters`);
    names.push(name);
    columns.push(c);
    provenance.push({ column: name, feature: f.def.name, params: f.params, warmup: rowWarmup, timeframe });
    warmup = Math.max(warmup, rowWarmup);
  }

  if (warmup >= input.length) {
    const worst = provenance.reduce((a, b) => (b.warmup > a.warmup ? b : a));
    throw new InsufficientHistoryError(`the feature set needs ${warmup} warm-up bars (column '${worst.column}' of feature '${worst.feature}', timeframe ${worst.timeframe}) but the dataset has only ${input.length} bars`);
  }
  const rows = input.length - warmup;
  checkNoNaNAfterWarmup(names, columns, warmup, input, [...base, ...tfs.flatMap((t) => t.features)]);
  return {
    length: rows,
    // Views past the warm-up, not copies: a million-row matrix of ~100 columns is 800 MB.
    openTime: input.columns.openTime!.subarray(warmup),
    closeTime: input.columns.closeTime!.subarray(warmup),
    names,
    columns: columns.map((c) => c.subarray(warmup)),
    warmupRows: warmup,
    provenance,
  };
}

function compute(input: FeatureInput, f: ResolvedFeature): Float64Array[] {
  const outs = f.def.compute(input, f.params as never);
  if (outs.length !== f.outputs.length || outs.some((c) => c.length !== input.length)) {
    throw new Error(`feature '${f.def.name}' (${f.path}) returned ${outs.length} columns for ${f.outputs.length} outputs, or a wrong length`);
  }
  return outs;
}

/** Every required column present, and free of NaN/Inf (sparse as-of columns: after their first value). */
function checkColumns(input: FeatureInput, f: ResolvedFeature): void {
  for (const name of f.def.requires) {
    const c = input.columns[name];
    if (!c) throw new MissingColumnError(`feature '${f.def.name}' (${f.path}) needs column '${name}', which the dataset does not have`);
    const from = SPARSE.has(name) ? firstFinite(c) : 0;
    let bad = 0;
    let firstBad = -1;
    let lastBad = -1;
    for (let i = from; i < c.length; i++) {
      if (!Number.isFinite(c[i]!)) {
        bad++;
        if (firstBad < 0) firstBad = i;
        lastBad = i;
      }
    }
    if (bad > 0) {
      const t = input.columns.openTime;
      const when = t ? ` between ${new Date(t[firstBad]!).toISOString()} and ${new Date(t[lastBad]!).toISOString()}` : ` between rows ${firstBad} and ${lastBad}`;
      throw new NonFiniteInputError(`column '${name}' has ${bad} NaN/Inf values${when} (needed by feature '${f.def.name}' at ${f.path})`);
    }
  }
}

/** Row where the sparse inputs of a feature (funding, open interest) have their first value. */
function sparseStart(input: FeatureInput, f: ResolvedFeature): number {
  let start = 0;
  for (const name of f.def.requires) if (SPARSE.has(name)) start = Math.max(start, firstFinite(input.columns[name]!));
  return start;
}

function firstFinite(c: Float64Array): number {
  let i = 0;
  while (i < c.length && !Number.isFinite(c[i]!)) i++;
  return i;
}

/** After warm-up, a NaN in an output not declared `mayBeNaN` means the feature broke its contract. */
function checkNoNaNAfterWarmup(names: string[], columns: Float64Array[], warmup: number, input: FeatureInput, features: ResolvedFeature[]): void {
  const allowed = new Set(features.flatMap((f) => f.def.mayBeNaN?.(f.params as never) ?? []));
  names.forEach((name, j) => {
    const bare = name.replace(/^tf[0-9]+[mhdw]_/, '');
    if (allowed.has(bare)) return;
    const c = columns[j]!;
    for (let i = warmup; i < c.length; i++) {
      if (!Number.isFinite(c[i]!)) {
        const t = input.columns.openTime?.[i];
        throw new NonFiniteInputError(`feature column '${name}' is ${c[i]} at row ${i}${t !== undefined ? ` (${new Date(t).toISOString()})` : ''} after its warm-up`);
      }
    }
  });
}
