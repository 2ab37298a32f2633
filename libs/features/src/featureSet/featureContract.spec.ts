/**
 * Every registered feature, with its default parameters, keeps the FeatureDef contract:
 * - one output per declared name, each of the input's length;
 * - finite from warmup(p) on (unless declared mayBeNaN), and warmup(p) is exact: the value just
 *   before it is NaN;
 * - NO LOOK-AHEAD: the value at bar t computed on the full series equals the value computed on
 *   the prefix ending at t, for 25 random t per feature.
 * The data: a seeded synthetic market with every input column (trade flow, funding and open
 * interest as of each bar's close, and a second market as the reference symbol).
 */
import { Rng } from '@ares/data';
import { syntheticFeatureInput } from '../testing';
import type { FeatureInput } from '../series';
import { defaultRegistry, DEFAULT_FEATURE_SET } from './defaults';
import { buildFeatureMatrix } from './buildFeatureMatrix';

const input = syntheticFeatureInput(1500);
const registry = defaultRegistry();

function prefix(t: number): FeatureInput {
  return { length: t + 1, interval: input.interval, columns: Object.fromEntries(Object.entries(input.columns).map(([k, v]) => [k, v!.slice(0, t + 1)])) };
}

describe.each(registry.list().map((d) => [d.name, d] as const))('%s', (_name, def) => {
  const resolved = registry.resolve({ name: def.name }, 'contract');
  const p = resolved.params as never;
  const outs = def.compute(input, p);
  const mayBeNaN = new Set(def.mayBeNaN?.(p) ?? []);
  // Sparse inputs (funding, open interest) start later than the candles.
  const sparseStart = Math.max(0, ...def.requires.filter((r) => ['fundingRate', 'openInterest', 'openInterestValue'].includes(r)).map((r) => input.columns[r]!.findIndex(Number.isFinite)));
  const warmup = resolved.warmup + sparseStart;

  test('outputs match the declared names and the input length', () => {
    expect(outs).toHaveLength(resolved.outputs.length);
    for (const c of outs) expect(c).toHaveLength(input.length);
  });

  test('warm-up is exact: NaN just before it, finite from it on', () => {
    outs.forEach((c, j) => {
      if (warmup > 0) expect(Number.isNaN(c[warmup - 1]!)).toBe(true);
      if (mayBeNaN.has(resolved.outputs[j]!)) return;
      const bad = c.findIndex((v, i) => i >= warmup && !Number.isFinite(v));
      expect({ output: resolved.outputs[j], firstNonFiniteAfterWarmup: bad }).toEqual({ output: resolved.outputs[j], firstNonFiniteAfterWarmup: -1 });
    });
  });

  test('no look-ahead: the value at t equals the value computed on the prefix ending at t', () => {
    const rng = new Rng(def.name.length * 7919);
    for (let k = 0; k < 25; k++) {
      const t = Math.floor(rng.uniform() * input.length);
      const part = def.compute(prefix(t), p);
      outs.forEach((c, j) => {
        const a = part[j]![t]!;
        const b = c[t]!;
        if (!(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)))) throw new Error(`${resolved.outputs[j]} at t=${t}: prefix ${a} vs full ${b}`);
      });
    }
  });
});

test('the default feature set has at least 80 columns, with 4h and 1d context, and builds on the synthetic market', () => {
  const m = buildFeatureMatrix(input, DEFAULT_FEATURE_SET, registry);
  expect(m.names.length).toBeGreaterThanOrEqual(80);
  expect(m.names.some((n) => n.startsWith('tf4h_'))).toBe(true);
  expect(m.names.some((n) => n.startsWith('tf1d_'))).toBe(true);
  expect(m.length).toBe(input.length - m.warmupRows);
});
