import { execFileSync } from 'node:child_process';
import { toolPaths } from '../tools';

/**
 * Runs a Python reference script in the tools venv (numpy, pandas, scikit-learn, TA-Lib, PyWavelets: see infra/tools.env)
 * with `input` as JSON on stdin (typed arrays become arrays, NaN becomes null); the script prints
 * JSON (null for NaN). The script is the independent implementation a test compares against.
 */
export function pythonReference<T = Record<string, unknown>>(script: string, input: unknown): T {
  const json = JSON.stringify(input, (_k, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isNaN(x) ? null : x)) : v));
  const out = execFileSync(toolPaths().python, [script], { input: json, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
  return JSON.parse(out) as T;
}

/**
 * Asserts `actual` equals `expected` to `rel` relative error (absolute `abs` near zero), with NaN
 * (null in the reference) at exactly the same positions. Throws naming the first mismatch.
 */
export function expectClose(name: string, actual: ArrayLike<number>, expected: readonly (number | null)[], rel = 1e-9, abs = 1e-12): void {
  if (actual.length !== expected.length) throw new Error(`${name}: length ${actual.length} != reference ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i];
    if (e === null || e === undefined) {
      if (!Number.isNaN(a)) throw new Error(`${name}[${i}]: ${a}, reference is NaN`);
      continue;
    }
    if (Number.isNaN(a)) throw new Error(`${name}[${i}]: NaN, reference ${e}`);
    const err = Math.abs(a - e);
    if (err > abs && err > rel * Math.abs(e)) throw new Error(`${name}[${i}]: ${a} vs reference ${e} (error ${err.toExponential(2)})`);
  }
}
