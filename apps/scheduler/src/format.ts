/** Prints rows as an aligned text table. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  return cells.map((r) => r.map((c, j) => c.padEnd(widths[j]!)).join('  ').trimEnd()).join('\n');
}

export function iso(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** An error that ends the CLI with a message and an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}
