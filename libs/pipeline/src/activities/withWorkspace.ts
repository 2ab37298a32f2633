import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { profiler } from '@ares/models';
import { toFailure } from './toFailure';

function isTransient(failure: unknown): boolean {
  return !(failure instanceof ApplicationFailure && failure.nonRetryable);
}

/** What a transient fault waits for: the artifact store's S3, or else the network or local I/O. */
function waitingFor(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith('S3 ') ? 'S3' : /ECONN|ETIMEDOUT|EAI_AGAIN|fetch failed|socket/i.test(message) ? 'network' : 'I/O';
}

/**
 * Runs an activity body with a temporary directory (removed afterwards) and a heartbeat every
 * second, so a dead worker is noticed while native or DuckDB work blocks; bad input becomes a
 * non-retryable failure. `progress(details)` heartbeats now, and the periodic heartbeats repeat the
 * latest details (Temporal keeps only the last heartbeat's details). Its wall time goes to the
 * process profile as `activity.<type>`.
 */
export async function withWorkspace<T>(fn: (dir: string, progress: (details: Record<string, unknown>) => void) => Promise<T>, prefix = 'ares-activity-'): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const ctx = Context.current();
  let latest: Record<string, unknown> | undefined;
  const beat = setInterval(() => ctx.heartbeat(latest), 1_000);
  const progress = (details: Record<string, unknown>) => {
    latest = details;
    ctx.heartbeat(details);
  };
  try {
    return await profiler.time(`activity.${ctx.info.activityType}`, () => fn(dir, progress));
  } catch (err) {
    const failure = toFailure(err);
    // A transient fault (S3 or the network down): the attempt ends and is retried with back-off.
    // The heartbeat details outlive the attempt, so `ares train` shows what the activity waits for.
    if (isTransient(failure)) ctx.heartbeat({ ...latest, waiting: waitingFor(err), attempt: ctx.info.attempt, lastError: (err as Error).message.slice(0, 300) });
    throw failure;
  } finally {
    clearInterval(beat);
    await rm(dir, { recursive: true, force: true });
  }
}
