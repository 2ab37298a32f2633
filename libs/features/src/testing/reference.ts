import { expectClose, pythonReference as runPython } from '@ares/data/testing';

/**
 * Runs a Python reference script in the tools venv (TA-Lib, pandas, numpy, PyWavelets: see
 * infra/tools.env) with `input` as JSON on stdin; the script prints a JSON object of series
 * (null for NaN). The script is the independent implementation a test compares against.
 */
export function pythonReference(script: string, input: unknown): Record<string, (number | null)[]> {
  return runPython<Record<string, (number | null)[]>>(script, input);
}

/**
 * Asserts that `actual` equals `expected` to `rel` relative error (absolute `abs` near zero), with
 * NaN (null in the reference) at exactly the same positions. Throws naming the first mismatch.
 */
export function expectSeriesClose(name: string, actual: Float64Array, expected: readonly (number | null)[], rel = 1e-9, abs = 1e-12): void {
  expectClose(name, actual, expected, rel, abs);
}
