import { InvalidSplitOptionsError } from '../errors';

/**
 * Option checks shared by the splitters. Messages read "<splitter>: <option> <value> must be …",
 * and options arriving from JSON with a misspelt key fail instead of silently taking the default.
 */

/** Throws when `options` has a key outside `known` (a typo such as `train_ratio` would otherwise mean the default). */
export function rejectUnknownOptions(what: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidSplitOptionsError(`${what}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
  }
}

/** `value` as an integer >= `min`, else InvalidSplitOptionsError naming the option and value. */
export function requireInteger(what: string, name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidSplitOptionsError(`${what}: ${name} ${describe(value)} must be an integer >= ${min}`);
  }
  return value;
}

/** `value` in [lo, hi) (or (lo, hi) when `openLow`), else InvalidSplitOptionsError naming the option and value. */
export function requireFraction(what: string, name: string, value: number, openLow: boolean): number {
  const ok = typeof value === 'number' && (openLow ? value > 0 : value >= 0) && value < 1;
  if (!ok) throw new InvalidSplitOptionsError(`${what}: ${name} ${describe(value)} must be in ${openLow ? '(0' : '[0'}, 1)`);
  return value;
}

/** A value as a message shows it: numbers as JS prints them (NaN, Infinity), strings quoted. */
export function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
