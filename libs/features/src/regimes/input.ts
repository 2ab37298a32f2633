import { InvalidInputError } from '@ares/data';
import type { z } from 'zod';
import { InvalidFeatureParamsError, MissingColumnError, NonFiniteInputError } from '../errors';

/**
 * Bars as columns. Both `FeatureInput.columns` and `@ares/data`'s `CandleColumns` fit, so callers
 * pass whichever they hold. `openTime` is optional: it only makes messages and level times readable.
 */
export type OhlcvColumns = Partial<Record<'openTime' | 'open' | 'high' | 'low' | 'close' | 'volume', Float64Array>>;

/** Parses `input` with `schema`; on failure throws InvalidFeatureParamsError naming `what`, the field and the value. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    throw new InvalidFeatureParamsError(`${what}: unknown parameter ${issue.keys.map((k) => `'${k}'`).join(', ')}`);
  }
  if (issue.path.length === 0) throw new InvalidFeatureParamsError(`${what}: ${issue.message}`);
  const value = issue.code === 'custom' ? undefined : valueAt(input, issue.path); // custom messages quote their values
  const got = typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? ` (got ${String(value)})` : '';
  throw new InvalidFeatureParamsError(`${what} parameter '${issue.path.join('.')}': ${issue.message}${got}`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * The named columns of `bars`, checked: present (MissingColumnError naming the column and `what`
 * needs it), equal in length, and finite (NonFiniteInputError with count and time range). A NaN in
 * a candle column is bad data, not a warm-up: the smoothers would carry it forward forever.
 */
export function requireColumns<K extends string>(bars: object, names: readonly K[], what: string): Record<K, Float64Array> {
  const out = {} as Record<K, Float64Array>;
  for (const name of names) {
    const c = (bars as Record<string, unknown>)[name];
    if (c === undefined || c === null) throw new MissingColumnError(`${what} needs column '${name}', which the input lacks`);
    if (!(c instanceof Float64Array)) throw new MissingColumnError(`${what} needs column '${name}' as a Float64Array; got ${Object.prototype.toString.call(c)}`);
    out[name] = c;
  }
  const first = names[0]!;
  for (const name of names) {
    if (out[name].length !== out[first].length) {
      throw new InvalidInputError(`${what}: column '${name}' has ${out[name].length} rows but '${first}' has ${out[first].length}`);
    }
  }
  const openTime = optionalOpenTime(bars, out[first].length);
  for (const name of names) requireFinite(name, out[name], openTime);
  return out;
}

/** `bars.openTime` when it is a Float64Array of the right length, else undefined. */
export function optionalOpenTime(bars: object, length: number): Float64Array | undefined {
  const t = (bars as Record<string, unknown>)['openTime'];
  return t instanceof Float64Array && t.length === length ? t : undefined;
}

function requireFinite(name: string, column: Float64Array, openTime: Float64Array | undefined): void {
  let count = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < column.length; i++) {
    if (Number.isFinite(column[i]!)) continue;
    if (count === 0) first = i;
    last = i;
    count++;
  }
  if (count === 0) return;
  const where = openTime
    ? `between ${isoTime(openTime[first]!)} and ${isoTime(openTime[last]!)} (rows ${first}..${last})`
    : `between rows ${first} and ${last}`;
  throw new NonFiniteInputError(`column '${name}' has ${count} NaN/Inf value${count === 1 ? '' : 's'} ${where}`);
}

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
