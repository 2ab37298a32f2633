/**
 * Spec helper shared by the volatility, volume and statistics specs (not exported from the lib):
 * runs FeatureDefs with given parameters on the S&P 500 bars and checks every output against a
 * Python reference script, NaN positions included, and warmup(p) against the first finite index.
 */
import type { FeatureDef } from '../../featureSet/FeatureDef';
import type { FeatureInput } from '../../series';
import { expectSeriesClose, loadSp500, pythonReference } from '../../testing';

/** A feature to check: a registered name and (partial) parameters. */
export interface FeatureCase {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The S&P 500 daily bars as a FeatureInput. */
export function sp500Input(): FeatureInput {
  const spx = loadSp500();
  const { openTime, open, high, low, close, volume } = spx;
  return { length: spx.length, interval: '1d', columns: { openTime, open, high, low, close, volume } };
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
    const def = defs.find((d) => d.name === c.name);
    if (!def) throw new Error(`no feature '${c.name}' among ${defs.map((d) => d.name).join(', ')}`);
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
