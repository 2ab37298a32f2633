import type { z } from 'zod';
import * as input from '../input';

/**
 * The shared input checks (../input.ts) in the labelers' wording: "triple-barrier param 'horizon':
 * must be >= 1 (got 0)", "the labeler needs 'close' for horizon returns".
 */

const PARAMS_WORDING: input.ParamsWording = {
  unknownKeys: (keys, path) => `unknown field ${keys}${path.length > 0 ? ` in '${path.join('.')}'` : ''}`,
  field: (path) => ` '${path}'`,
  // Scalars are echoed; an object (a range) is described by the refinement's own message.
  echo: (value) => (value === undefined || (value !== null && typeof value === 'object') ? undefined : describe(value)),
};

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v); // JSON.stringify would print NaN and Infinity as null
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Parses `params` with `schema`; on failure throws InvalidFeatureParamsError naming `what`, the field and the value. */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown, what: string): z.output<S> {
  return input.parseParams(schema, params, what, PARAMS_WORDING);
}

/** The column `name` of `bars`, or MissingColumnError saying what the labeler needs it for. */
export function requireColumn(bars: object, name: string, purpose: string): Float64Array {
  return input.requireColumn(bars, name, {
    missing: () => `the labeler needs '${name}' ${purpose}`,
    notFloat64: (_name, got) => `the labeler needs '${name}' as a Float64Array ${purpose}; got ${got}`,
  });
}

/**
 * Throws NonFiniteInputError when `column` holds NaN or ±Inf: the message gives the count and the
 * open times (ISO) of the first and last bad bars, taken from `openTime` (rows when `openTime` is
 * itself the column at fault).
 */
export function requireFinite(name: string, column: Float64Array, openTime: Float64Array | undefined): void {
  input.requireFinite(name, column, openTime !== column ? openTime : undefined);
}
