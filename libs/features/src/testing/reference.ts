import { execFileSync } from 'node:child_process';
import { toolPaths } from '@ares/data';

/**
 * Runs a Python reference script in the tools venv (numpy, pandas, TA-Lib, PyWavelets: see
 * infra/tools.env) with `input` as JSON on stdin; the script prints a JSON object of series
 * (null for NaN). The script is the independent implementation a test compares against.
 */
export function pythonReference(script: string, input: unknown): Record<string, (number | null)[]> {
  const out = execFileSync(toolPaths().python, [script], { input: JSON.stringify(input, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v)), maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
  return JSON.parse(out) as Record<string, (number | null)[]>;
}

/**
 * Asserts that `actual` equals `expected` to `rel` relative error (absolute `abs` near zero), with
 * NaN (null in the reference) at exactly the same positions. Throws naming the first mismatch.
 */
export function expectSeriesClose(name: string, actual: Float64Array, expected: readonly (number | null)[], rel = 1e-9, abs = 1e-12): void {
  if (actual.length !== expected.length) throw new Error(`${name}: length ${actual.length} != reference ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i];
    if (e === null || e === undefined) {
      if (!Number.isNaN(a)) throw new Error(`${name}[${i}]: ${a}, reference is NaN (warm-up or undefined)`);
      continue;
    }
    if (Number.isNaN(a)) throw new Error(`${name}[${i}]: NaN, reference ${e}`);
    const err = Math.abs(a - e);
    if (err > abs && err > rel * Math.abs(e)) throw new Error(`${name}[${i}]: ${a} vs reference ${e} (relative error ${(err / Math.abs(e)).toExponential(2)} > ${rel})`);
  }
}
