import { InvalidInputError } from '@ares/data';
import type { z } from 'zod';
import { InvalidFeatureParamsError, MissingColumnError, NonFiniteInputError } from './errors';

/**
 * Input checks shared by the labelers (labels/) and the regime and support/resistance classifiers
 * (regimes/): zod parameters with messages that name the field and the value, required columns,
 * equal lengths, and NaN/Inf detection with count and time range.
 *
 * The checks are one; the wording is the caller's, because each module's messages are relied on
 * word for word. labels/input.ts and regimes/input.ts bind their wording once:
 *
 * ```ts
 * const p = parseParams(schema, params, 'classifyRegimes', REGIME_PARAMS_WORDING);
 * const close = requireColumn(bars, 'close', { missing: (n) => `needs '${n}'`, notFloat64: (n, got) => `needs '${n}' as a Float64Array; got ${got}` });
 * const n = requireSameLength({ close, high }, 'classifyRegimes: ');
 * requireFinite('close', close, openTime);
 * ```
 */

type ZodIssue = z.ZodError['issues'][number];

/** How {@link parseParams} words a failure. Every message starts with the caller's `what`. */
export interface ParamsWording {
  /** The message for unrecognised keys, after `${what}: `; `keys` come quoted and comma-separated ("'a', 'b'"). */
  unknownKeys(keys: string, path: readonly PropertyKey[]): string;
  /** How the failing field is named between `what` and `: ${issue message}`, e.g. ` 'sr.lookback'`. */
  field(path: string): string;
  /** The failing value (undefined where the input has none) as echoed in ` (got …)`, or undefined for no echo. */
  echo(value: unknown, issue: ZodIssue): string | undefined;
}

/**
 * Parses `input` with `schema`; on failure throws InvalidFeatureParamsError naming `what`, the
 * field and the value (the first issue only), worded by `wording`. An issue about the whole input
 * (empty path) is `${what}: ${message}`.
 */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, what: string, wording: ParamsWording): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    throw new InvalidFeatureParamsError(`${what}: ${wording.unknownKeys(issue.keys.map((k) => `'${k}'`).join(', '), issue.path)}`);
  }
  if (issue.path.length === 0) throw new InvalidFeatureParamsError(`${what}: ${issue.message}`);
  const echoed = wording.echo(valueAt(input, issue.path), issue);
  const got = echoed === undefined ? '' : ` (got ${echoed})`;
  throw new InvalidFeatureParamsError(`${what}${wording.field(issue.path.join('.'))}: ${issue.message}${got}`);
}

/** The value at `path` inside `input`, or undefined where the path leaves the objects. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** How {@link requireColumn} words a missing or mistyped column (`got` is its Object.prototype.toString tag). */
export interface ColumnWording {
  missing(name: string): string;
  notFloat64(name: string, got: string): string;
}

/** The column `name` of `bars`, or MissingColumnError (absent, null, or not a Float64Array) worded by `wording`. */
export function requireColumn(bars: object, name: string, wording: ColumnWording): Float64Array {
  const c = (bars as Record<string, unknown>)[name];
  if (c === undefined || c === null) throw new MissingColumnError(wording.missing(name));
  if (!(c instanceof Float64Array)) throw new MissingColumnError(wording.notFloat64(name, Object.prototype.toString.call(c)));
  return c;
}

/**
 * The common length of `columns` (at least one); InvalidInputError naming the first column that
 * differs from the first one, after `prefix` (e.g. 'classifyRegimes: ').
 */
export function requireSameLength(columns: Record<string, Float64Array>, prefix = ''): number {
  const entries = Object.entries(columns);
  const [firstName, first] = entries[0]!;
  for (const [name, c] of entries) {
    if (c.length !== first.length) throw new InvalidInputError(`${prefix}column '${name}' has ${c.length} rows but '${firstName}' has ${first.length}`);
  }
  return first.length;
}

/**
 * Throws NonFiniteInputError when `column` holds NaN or ±Inf: the message gives the count and the
 * open times (ISO) of the first and last bad bars, taken from `openTime`, or their rows when
 * `openTime` is undefined.
 */
export function requireFinite(name: string, column: Float64Array, openTime: Float64Array | undefined): void {
  let count = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    if (v - v === 0) continue; // finite (NaN − NaN and Inf − Inf are NaN); no global lookup in the loop
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

/** ISO-8601 of an epoch-ms time; the raw number when it is not a representable date. */
export function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
