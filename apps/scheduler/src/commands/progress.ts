import { defaultPayloadConverter } from '@temporalio/common';
import { progressQuery, type connectClient, type StageStatus } from '@ares/pipeline';

type Handle = Awaited<ReturnType<Awaited<ReturnType<typeof connectClient>>['workflow']['start']>>;

type PendingActivity = NonNullable<Awaited<ReturnType<Handle['describe']>>['raw']['pendingActivities']>[number];

/** How progress is shown: a live block on a terminal, a line per change in a log, JSON lines for machines. */
export type ProgressMode = 'tty' | 'lines' | 'json';

/** The mode for a command: `--json` wins; a terminal on stdout gets the live block; else lines. */
export function progressMode(o: { json?: boolean }, stdout: { isTTY?: boolean } = process.stdout): ProgressMode {
  return o.json ? 'json' : stdout.isTTY ? 'tty' : 'lines';
}

/** A running activity of the run or of one of its child workflows. */
export interface ActivityProgress {
  /** The child workflow's id suffix after the run's id (e.g. `-ensemble-BULL_TREND`), '' for the run itself. */
  workflow: string;
  type: string;
  attempt: number;
  worker?: string;
  /** The latest heartbeat's details (e.g. a unit's fits done / total, an LSTM's epoch and batch). */
  details?: Record<string, unknown>;
  lastFailure?: string;
}

/** What one poll saw. */
export interface ProgressSnapshot {
  elapsedSeconds: number;
  stages: StageStatus[];
  activities: ActivityProgress[];
}

function activityOf(a: PendingActivity, workflow: string): ActivityProgress {
  const beat = a.heartbeatDetails?.payloads?.[0];
  const details = beat ? (defaultPayloadConverter.fromPayload(beat) as Record<string, unknown> | undefined) : undefined;
  return {
    workflow, type: a.activityType?.name ?? '?', attempt: a.attempt ?? 1,
    ...(a.lastWorkerIdentity ? { worker: a.lastWorkerIdentity } : {}),
    ...(details && typeof details === 'object' ? { details } : {}),
    ...(a.lastFailure?.message ? { lastFailure: a.lastFailure.message } : {}),
  };
}

/** One poll: the progress query and the pending activities of the run and its running child workflows. */
async function poll(handle: Handle, started: number): Promise<ProgressSnapshot> {
  const [progress, desc] = await Promise.all([handle.query(progressQuery), handle.describe()]);
  const activities = (desc.raw.pendingActivities ?? []).map((a) => activityOf(a, ''));
  const children = await Promise.all((desc.raw.pendingChildren ?? []).map(async (c) => {
    const d = await handle.client.getHandle(c.workflowId!).describe().catch(() => undefined);
    const name = c.workflowId!.startsWith(handle.workflowId) ? c.workflowId!.slice(handle.workflowId.length) : c.workflowId!;
    return (d?.raw.pendingActivities ?? []).filter((a) => a.lastStartedTime).map((a) => activityOf(a, name));
  }));
  return { elapsedSeconds: (Date.now() - started) / 1000, stages: progress.stages, activities: [...activities, ...children.flat()] };
}

/** What a running activity is doing, in words: what it waits for, its progress, attempt, worker and last failure. */
export function describeActivity(a: ActivityProgress): string {
  const d = a.details ?? {};
  // An attempt that ended on a transient fault (activities/withWorkspace.ts): what it waits for.
  if (typeof d.waiting === 'string' && a.attempt > 1) return `${a.type} waiting for ${d.waiting} (attempt ${a.attempt}, last error ${a.lastFailure ?? d.lastError})`;
  const { waiting: _w, attempt: _a, lastError: _e, ...shown } = d;
  const progress = typeof d.done === 'number' && typeof d.total === 'number'
    ? `${d.unit ?? ''} ${d.done}/${d.total}`.trim()
    : typeof d.epoch === 'number' && typeof d.batch === 'number'
      ? `epoch ${d.epoch}/${d.epochs} batch ${d.batch}/${d.batches} loss ${Number(d.loss).toFixed(4)}${typeof d.validLoss === 'number' ? ` val_loss ${d.validLoss.toFixed(4)}` : ''}`
      : Object.entries(shown).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ');
  return `${a.type}${a.workflow ? ` [${a.workflow.replace(/^-/, '')}]` : ''}${progress ? ` ${progress}` : ''}, attempt ${a.attempt}${a.worker ? ` on ${a.worker}` : ''}${a.lastFailure ? ` (last failure: ${a.lastFailure})` : ''}`;
}

const MARK: Record<string, string> = { completed: '✓', running: '▸', failed: '✗', pending: '·' };

function stageSeconds(s: StageStatus): string {
  return s.startedAt !== undefined && s.endedAt !== undefined ? `${((s.endedAt - s.startedAt) / 1000).toFixed(1)} s` : '';
}

/** The live block a terminal shows: elapsed time, every stage with its state, and under the running ones their activities. */
export function renderBlock(s: ProgressSnapshot, title: string): string {
  const width = Math.max(...s.stages.map((x) => x.name.length));
  const lines = [`${title}  ${s.elapsedSeconds.toFixed(1)} s`];
  for (const stage of s.stages) {
    const extra = stage.state === 'completed' ? `${stageSeconds(stage)}${stage.summary ? `  ${stage.summary}` : ''}` : stage.state === 'failed' ? (stage.error ?? '') : stage.state;
    lines.push(`  ${MARK[stage.state] ?? '?'} ${stage.name.padEnd(width)}  ${extra}`.trimEnd());
  }
  if (s.activities.length > 0) {
    lines.push('  running');
    for (const a of s.activities) lines.push(`    ${describeActivity(a)}`);
  }
  return lines.join('\n');
}

/**
 * The lines a log gets for the step from `prev` to `next`: one per stage whose state changed, and
 * one per activity attempt that began after a failure (a retry), never one per poll.
 */
export function changeLines(prev: ProgressSnapshot | undefined, next: ProgressSnapshot): string[] {
  const at = `[${next.elapsedSeconds.toFixed(1).padStart(6)} s]`;
  const out: string[] = [];
  for (const stage of next.stages) {
    const before = prev?.stages.find((x) => x.name === stage.name)?.state;
    if (before === stage.state || (before === undefined && stage.state === 'pending')) continue;
    const tail = stage.state === 'completed' ? ` in ${stageSeconds(stage)}${stage.summary ? `: ${stage.summary}` : ''}` : stage.state === 'failed' && stage.error ? `: ${stage.error}` : '';
    out.push(`${at} ${stage.name} ${stage.state}${tail}`);
  }
  const seen = new Map((prev?.activities ?? []).map((a) => [`${a.workflow}/${a.type}/${a.details?.unit ?? ''}`, a.attempt]));
  for (const a of next.activities) {
    const key = `${a.workflow}/${a.type}/${a.details?.unit ?? ''}`;
    if (a.attempt > 1 && a.attempt !== seen.get(key)) out.push(`${at}   ${describeActivity(a)}`);
  }
  return out;
}

/** The JSON line of a snapshot (`event: 'progress'`), printed when a stage or an attempt changed. */
function jsonLine(s: ProgressSnapshot): string {
  return JSON.stringify({ event: 'progress', ...s });
}

/** What a watcher needs to show: where lines go, and the title of the live block. */
export interface WatchOptions {
  mode: ProgressMode;
  out: (line: string) => void;
  title: string;
  /** @default 500 ms */
  intervalMs?: number;
}

/**
 * Polls the workflow's progress query and pending activities until stopped. On a TTY it redraws
 * one block in place through log-update; in a log it prints changeLines; in JSON mode one
 * `progress` event per change. The returned function stops the watcher after a last poll.
 */
export function watchProgress(handle: Handle, o: WatchOptions): () => Promise<void> {
  let running = true;
  const started = Date.now();
  let prev: ProgressSnapshot | undefined;
  let wake: () => void = () => undefined;
  const loop = (async () => {
    // log-update is an ES module: loaded on demand from this CommonJS code, and only for a terminal.
    const live = o.mode === 'tty' ? (await import('log-update')).createLogUpdate(process.stdout) : undefined;
    try {
      for (;;) {
        const last = !running;
        try {
          const next = await poll(handle, started);
          if (live) live(renderBlock(next, o.title));
          else {
            const lines = changeLines(prev, next);
            if (o.mode === 'json' && lines.length > 0) o.out(jsonLine(next));
            else for (const l of lines) o.out(l);
          }
          prev = next;
        } catch {
          // the query can fail before the first workflow task has run; try again
        }
        if (last) break;
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, o.intervalMs ?? 500);
        });
      }
    } finally {
      live?.done();
    }
  })();
  return async () => {
    running = false;
    wake();
    await loop;
  };
}
