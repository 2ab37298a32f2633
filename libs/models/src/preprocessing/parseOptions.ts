import type { z } from 'zod';
import { InvalidPreprocessingOptionsError } from './errors';

/** Parses `input` with `schema`; on failure throws InvalidPreprocessingOptionsError naming `what`, the field and the value. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') throw new InvalidPreprocessingOptionsError(`${what}: unknown option ${issue.keys.map((k) => `'${k}'`).join(', ')}`);
  const field = issue.path.join('.');
  const value = field === '' ? undefined : (input as Record<string, unknown> | undefined)?.[String(issue.path[0])];
  const got = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  throw new InvalidPreprocessingOptionsError(`${what}${field === '' ? '' : ` '${field}'`}: ${issue.message}${got}`);
}
