import { msToNumber } from '@temporalio/common/lib/time';

/** Prints rows as an aligned text table. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  return cells.map((r) => r.map((c, j) => c.padEnd(widths[j]!)).join('  ').trimEnd()).join('\n');
}

export function iso(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * An error that ends the CLI with a message and an exit code, without a stack trace. The policy:
 * 1 for a runtime failure (this class: a run failed, a bundle or run not found), 2 for a usage
 * error (UsageError, and commander's own: an unknown option, a missing or malformed value).
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** A command used wrongly (a bad or missing option value, options that do not go together): exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

/**
 * `--retry-budget` (or `ARES_RETRY_BUDGET`): each activity's time budget over all its retries of
 * transient failures, as a duration ('6h', '90m', '2 days'); undefined = the workflows' default.
 */
export function retryBudgetMs(value: string | undefined = process.env.ARES_RETRY_BUDGET): number | undefined {
  if (value === undefined || value === '') return undefined;
  let ms: number;
  try {
    ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
  } catch {
    ms = Number.NaN;
  }
  if (!(Number.isFinite(ms) && ms >= 60_000)) throw new UsageError(`--retry-budget (ARES_RETRY_BUDGET) must be a duration of at least 1 minute such as '6h' or '90m'; got '${value}'`);
  return ms;
}
