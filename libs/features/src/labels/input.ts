import { InvalidInputError } from '@ares/data';
import type { z } from 'zod';
import { InvalidFeatureParamsError, MissingColumnError, NonFiniteInputError } from '../errors';

/**
 * Input checks shared by the labelers: zod parameters with messages that name the field and the
 * value, required columns, equal lengths, and NaN/Inf detection with count and time range.
 */

/** Parses `input` with `schema`; on failure throws InvalidFeatureParamsError naming `what`, the field and the value. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? ` in '${issue.path.join('.')}'` : '';
    throw new InvalidFeatureParamsError(`${what}: unknown field ${issue.keys.map((k) => `'${k}'`).join(', ')}${where}`);
  }
  if (issue.path.length === 0) throw new InvalidFeatureParamsError(`${what}: ${issue.message}`);
  const value = valueAt(input, issue.path);
  // Scalars are echoed; an object (a range) is described by the refinement's own message.
  const got = value === undefined || (value !== null && typeof value === 'object') ? '' : ` (got ${describe(value)})`;
  throw new InvalidFeatureParamsError(`${what} '${issue.path.join('.')}': ${issue.message}${got}`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v); // JSON.stringify would print NaN and Infinity as null
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** The column `name` of `bars`, or MissingColumnError saying what the labeler needs it for. */
export function requireColumn(bars: object, name: string, purpose: string): Float64Array {
  const c = (bars as Record<string, unknown>)[name];
  if (c === undefined || c === null) throw new MissingColumnError(`the labeler needs '${name}' ${purpose}`);
  if (!(c instanceof Float64Array)) throw new MissingColumnError(`the labeler needs '${name}' as a Float64Array ${purpose}; got ${Object.prototype.toString.call(c)}`);
  return c;
}

/** Throws InvalidInputError when the columns differ in length (names the two that differ). */
export function requireSameLength(columns: Record<string, Float64Array>): number {
  const entries = Object.entries(columns);
  const [firstName, first] = entries[0]!;
  for (const [name, c] of entries) {
    if (c.length !== first.length) throw new InvalidInputError(`column '${name}' has ${c.length} rows but '${firstName}' has ${first.length}`);
  }
  return first.length;
}

/**
 * Throws NonFiniteInputError when `column` holds NaN or ±Inf: the message gives the count and the
 * open times (ISO) of the first and last bad bars, taken from `openTime` (rows when `openTime` is
 * itself the column at fault).
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
  const where = openTime && openTime !== column
    ? `between ${isoTime(openTime[first]!)} and ${isoTime(openTime[last]!)} (rows ${first}..${last})`
    : `between rows ${first} and ${last}`;
  throw new NonFiniteInputError(`column '${name}' has ${count} NaN/Inf value${count === 1 ? '' : 's'} ${where}`);
}

/** ISO-8601 of an epoch-ms time; the raw number when it is not a representable date. */
export function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
