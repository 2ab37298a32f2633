import type { z } from 'zod';
import * as input from '../input';

/**
 * The shared input checks (../input.ts) in the regime and S/R wording: "classifyRegimes parameter
 * 'fastPeriod': …", "classifyRegimes needs column 'volume', which the input lacks".
 */

/**
 * Bars as columns. Both `FeatureInput.columns` and `@ares/data`'s `CandleColumns` fit, so callers
 * pass whichever they hold. `openTime` is optional: it only makes messages and level times readable.
 */
export type OhlcvColumns = Partial<Record<'openTime' | 'open' | 'high' | 'low' | 'close' | 'volume', Float64Array>>;

const PARAMS_WORDING: input.ParamsWording = {
  unknownKeys: (keys) => `unknown parameter ${keys}`,
  field: (path) => ` parameter '${path}'`,
  // Custom messages quote their values; other scalars are echoed as they are.
  echo: (value, issue) => (issue.code !== 'custom' && (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') ? String(value) : undefined),
};

/** Parses `params` with `schema`; on failure throws InvalidFeatureParamsError naming `what`, the field and the value. */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown, what: string): z.output<S> {
  return input.parseParams(schema, params, what, PARAMS_WORDING);
}

/**
 * The named columns of `bars`, checked: present (MissingColumnError naming the column and `what`
 * needs it), equal in length, and finite (NonFiniteInputError with count and time range). A NaN in
 * a candle column is bad data, not a warm-up: the smoothers would carry it forward forever.
 */
export function requireColumns<K extends string>(bars: object, names: readonly K[], what: string): Record<K, Float64Array> {
  const wording: input.ColumnWording = {
    missing: (name) => `${what} needs column '${name}', which the input lacks`,
    notFloat64: (name, got) => `${what} needs column '${name}' as a Float64Array; got ${got}`,
  };
  const out = {} as Record<K, Float64Array>;
  for (const name of names) out[name] = input.requireColumn(bars, name, wording);
  const length = input.requireSameLength(out, `${what}: `);
  const openTime = optionalOpenTime(bars, length);
  for (const name of names) input.requireFinite(name, out[name], openTime);
  return out;
}

/** `bars.openTime` when it is a Float64Array of the right length, else undefined. */
export function optionalOpenTime(bars: object, length: number): Float64Array | undefined {
  const t = (bars as Record<string, unknown>)['openTime'];
  return t instanceof Float64Array && t.length === length ? t : undefined;
}
