/**
 * Spec helpers for the indicator groups (jest globals; not exported from the lib or from
 * ./index): run FeatureDefs with given parameters on the S&P 500 bars and check their outputs
 * against a Python reference script, NaN positions and warm-ups included.
 *
 * Two reference contracts:
 * - {@link describeAgainstReference} (statistics, volatility, volume): the script gets the input
 *   columns and `cases: [{feature, params, outputs}]`; one test per output and one per warm-up.
 * - {@link resolveCases} + {@link specReference} + {@link describeFromWarmup} (momentum, trend):
 *   the script gets chosen columns and `specs: [{name, params}]`; one test per feature, its
 *   warm-up being that of its latest-starting output in the reference.
 *
 * ```ts
 * const resolved = resolveCases(TREND_FEATURES, [...DEFAULT_TREND_SET, ...EXTRA]);
 * const ref = specReference(join(__dirname, 'trend.reference.py'), { high, low, close }, resolved);
 * describeFromWarmup('FeatureDefs on S&P 500 vs the references', resolved, sp500Ohlcv(spx), ref);
 * ```
 */
import { firstValid } from '../core/rolling';
import type { FeatureDef } from '../featureSet/FeatureDef';
import type { FeatureInput } from '../series';
import { expectSeriesClose, pythonReference } from './reference';
import { loadSp500, type Sp500 } from './sp500';

/** A feature to check: a registered name and (partial) parameters. */
export interface FeatureCase {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A case resolved against its FeatureDef: parameters with defaults, output names, a test label. */
export interface ResolvedCase {
  readonly label: string;
  readonly def: FeatureDef;
  readonly p: unknown;
  readonly outputs: string[];
}

/** A reference script's output: {column: [value | null (NaN)]}. */
export type Reference = Record<string, (number | null)[]>;

/** The FeatureDef named `name` among `defs`; throws listing the names when there is none. */
export function findFeature(defs: readonly FeatureDef[], name: string): FeatureDef {
  const def = defs.find((d) => d.name === name);
  if (!def) throw new Error(`no feature '${name}' among ${defs.map((d) => d.name).join(', ')}`);
  return def;
}

/** The output names of `cases` (parameters parsed by each feature's schema), in order. */
export function outputNames(defs: readonly FeatureDef[], cases: readonly FeatureCase[]): string[] {
  return cases.flatMap((c) => {
    const def = findFeature(defs, c.name);
    return def.outputs(def.params.parse(c.params));
  });
}

/** The S&P 500 daily OHLCV bars as a FeatureInput; only the first `length` bars (copies) when given. */
export function sp500Ohlcv(spx: Sp500, length?: number): FeatureInput {
  const cut = (x: Float64Array) => (length === undefined ? x : x.slice(0, length));
  return { length: length ?? spx.length, interval: '1d', columns: { open: cut(spx.open), high: cut(spx.high), low: cut(spx.low), close: cut(spx.close), volume: cut(spx.volume) } };
}

/** The S&P 500 daily bars as a FeatureInput, open times included. */
export function sp500Input(): FeatureInput {
  const spx = loadSp500();
  const { columns } = sp500Ohlcv(spx);
  return { length: spx.length, interval: '1d', columns: { openTime: spx.openTime, ...columns } };
}

/**
 * Registers, for each case and output, a test comparing it with the reference (`rel` relative,
 * 1e-9 absolute near zero) and a test that warmup(p) is its first finite index. The script gets
 * the input columns and `cases: [{feature, params (with defaults), outputs}]` and prints
 * {column: [value | null]}.
 */
export function describeAgainstReference(script: string, defs: readonly FeatureDef[], cases: readonly FeatureCase[], rel = 1e-9): void {
  const input = sp500Input();
  const resolved = cases.map((c) => {
    const def = findFeature(defs, c.name);
    const params = def.params.parse(c.params);
    return { def, params, outputs: def.outputs(params), warmup: def.warmup(params), columns: def.compute(input, params) };
  });
  const ref = pythonReference(script, {
    ...input.columns,
    cases: resolved.map((r) => ({ feature: r.def.name, params: r.params, outputs: r.outputs })),
  });
  const rows = resolved.flatMap((r) => r.outputs.map((name, j) => [name, r.def.name, r.columns[j]!, r.warmup] as const));
  test.each(rows)('%s (%s) matches the reference', (name, _feature, column) => {
    expect(ref[name]).toBeDefined();
    expectSeriesClose(name, column, ref[name]!, rel, 1e-9);
  });
  test.each(rows)('%s (%s): warmup(p) is the first finite index', (name, _feature, column, warmup) => {
    let first = 0;
    while (first < column.length && !Number.isFinite(column[first]!)) first++;
    expect({ name, first }).toEqual({ name, first: warmup });
  });
}

/** `cases` resolved against `defs`, labelled "name {params as given}". */
export function resolveCases(defs: readonly FeatureDef[], cases: readonly FeatureCase[]): ResolvedCase[] {
  return cases.map((c) => {
    const def = findFeature(defs, c.name);
    const p: unknown = def.params.parse(c.params);
    return { label: `${c.name} ${JSON.stringify(c.params)}`, def, p, outputs: def.outputs(p) };
  });
}

/** Runs `script` on `columns` plus `specs: [{name, params (with defaults)}]` of the resolved cases. */
export function specReference(script: string, columns: Readonly<Record<string, Float64Array>>, resolved: readonly ResolvedCase[]): Reference {
  return pythonReference(script, { ...columns, specs: resolved.map((r) => ({ name: r.def.name, params: r.p })) });
}

/** Index of the first non-null value of a reference column (-1 when there is none). */
export const firstNonNull = (xs: readonly (number | null)[]): number => xs.findIndex((x) => x !== null);

/**
 * Registers `title` with one test per resolved case: the feature's warm-up is that of its
 * latest-starting output in `ref`, and every output is NaN before it and matches `ref` from it on
 * (1e-9 relative, 1e-9 absolute near zero).
 */
export function describeFromWarmup(title: string, resolved: readonly ResolvedCase[], input: FeatureInput, ref: Reference): void {
  describe(title, () => {
    test.each(resolved.map((r) => [r.label, r] as const))('%s: every output matches its reference from warmup(p), NaN before', (_label, r) => {
      const cols = r.def.compute(input, r.p);
      const warmup = r.def.warmup(r.p);
      // The feature's warm-up is that of its latest-starting output in the reference.
      expect(warmup).toBe(Math.max(...r.outputs.map((o) => firstNonNull(ref[o]!))));
      expect(cols).toHaveLength(r.outputs.length);
      r.outputs.forEach((o, j) => {
        expect(firstValid(cols[j]!)).toBe(warmup);
        expectSeriesClose(o, cols[j]!, ref[o]!.map((x, i) => (i < warmup ? null : x)), 1e-9, 1e-9);
      });
    });
  });
}

/** Registers 'short series': each of `defs`, with default parameters, on the first bars of `spx` no longer than its warm-up gives all-NaN columns of that length. */
export function describeShortSeries(defs: readonly FeatureDef[], spx: Sp500): void {
  describe('short series', () => {
    test.each(defs.map((d) => [d.name, d] as const))('%s: a series no longer than its warm-up gives all-NaN columns of its length', (_name, def) => {
      const p: unknown = def.params.parse({});
      for (const n of [0, 1, 2, def.warmup(p)].filter((n) => n <= def.warmup(p))) {
        for (const c of def.compute(sp500Ohlcv(spx, n), p)) {
          expect(c).toHaveLength(n);
          expect(c.every((v) => Number.isNaN(v))).toBe(true);
        }
      }
    });
  });
}
