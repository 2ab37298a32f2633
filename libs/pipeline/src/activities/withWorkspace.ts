import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { toFailure } from './toFailure';

/**
 * Runs an activity body with a temporary directory (removed afterwards) and a heartbeat every
 * second, so a dead worker is noticed while native or DuckDB work blocks; bad input becomes a
 * non-retryable failure.
 */
export async function withWorkspace<T>(fn: (dir: string) => Promise<T>, prefix = 'ares-activity-'): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const beat = setInterval(() => Context.current().heartbeat(), 1_000);
  try {
    return await fn(dir);
  } catch (err) {
    throw toFailure(err);
  } finally {
    clearInterval(beat);
    await rm(dir, { recursive: true, force: true });
  }
}
