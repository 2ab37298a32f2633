/**
 * The fault-injection suite's harness: a Temporal dev server this process can kill -9 and restart
 * on the same SQLite file, the artifacts of a run as key → sha256, a poller that watches a store's
 * listing for objects that change after they first appear, and counts of what the histories retried.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { toolPaths, type ArtifactStore } from '@ares/data';
import { freePort } from '@ares/data/testing';
import { SEARCH_ATTRIBUTES } from '@ares/pipeline';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The real Temporal dev server as a child process, persisted to `dbFile`, on a fixed port. */
export class TemporalServer {
  private child?: ChildProcess;
  private log = '';

  private constructor(readonly port: number, private readonly uiPort: number, private readonly dbFile: string) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(dbFile: string): Promise<TemporalServer> {
    const server = new TemporalServer(await freePort(), await freePort(), dbFile);
    await server.spawn();
    return server;
  }

  /** Starts the server on the same port and database and waits until the default namespace answers. */
  async spawn(): Promise<void> {
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(this.port), '--ui-port', String(this.uiPort), '--headless', '--db-filename', this.dbFile, '--log-level', 'error'];
    for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=Keyword`);
    const child = spawn(toolPaths().temporal, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
    this.child = child;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`temporal dev server exited with ${child.exitCode}: ${this.log.slice(-2000)}`);
      try {
        const connection = await Connection.connect({ address: this.address, connectTimeout: 1_000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: 'default' });
          return;
        } finally {
          await connection.close();
        }
      } catch {
        if (Date.now() > deadline) throw new Error(`temporal dev server did not answer on ${this.address} within 60 s: ${this.log.slice(-2000)}`);
        await sleep(250);
      }
    }
  }

  /** SIGKILL, and wait for the exit. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  }
}

/** Every object of a store (under `prefix`) as key → sha256 of its bytes. */
/** Worker processes register under workers/ (identity, pid, start time): not output of a run. */
const isRunOutput = (key: string) => !key.startsWith('workers/');

export async function snapshot(store: ArtifactStore, prefix = ''): Promise<Map<string, string>> {
  const keys = (await store.list(prefix)).filter(isRunOutput).sort();
  const out = new Map<string, string>();
  for (const key of keys) out.set(key, sha256(await store.get(key)));
  return out;
}

/** Keys whose content differs between two snapshots, and keys only one of them has. */
export function differences(actual: Map<string, string>, expected: Map<string, string>): { differing: string[]; missing: string[]; extra: string[] } {
  return {
    differing: [...expected].filter(([k, h]) => actual.has(k) && actual.get(k) !== h).map(([k]) => k),
    missing: [...expected.keys()].filter((k) => !actual.has(k)),
    extra: [...actual.keys()].filter((k) => !expected.has(k)),
  };
}

/**
 * Polls a store's listing while a run goes on and reads every object the first time it is listed.
 * A partial object would be seen with other bytes than the object has at the end (every key is
 * written once, or rewritten with the same bytes by a retried activity). Listing errors (the store
 * is down) are counted, not fatal.
 */
export class ListingWatcher {
  readonly firstSeen = new Map<string, string>();
  polls = 0;
  failedPolls = 0;
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly store: ArtifactStore, intervalMs = 500) {
    this.loop = (async () => {
      while (this.running) {
        try {
          for (const key of await this.store.list('')) {
            if (this.firstSeen.has(key) || !isRunOutput(key)) continue;
            try {
              this.firstSeen.set(key, sha256(await this.store.get(key)));
            } catch {
              // deleted between list and get (temporary objects of the store itself), or the store went down
            }
          }
          this.polls++;
        } catch {
          this.failedPolls++;
        }
        await sleep(intervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Keys first seen with other bytes than they have at the end. */
  changedSince(final: Map<string, string>): string[] {
    return [...this.firstSeen].filter(([k, h]) => final.has(k) && final.get(k) !== h).map(([k]) => k);
  }
}

/** Waits for a workflow's result across server restarts (a long poll fails while the server is down). */
export async function resultAcrossOutages<T>(handle: WorkflowHandle, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return (await handle.result()) as T;
    } catch (err) {
      const name = (err as Error).name;
      // A workflow failure is the answer; a connection error is the outage: ask again.
      if (name === 'WorkflowFailedError') throw err;
      if (Date.now() > deadline) throw err;
      await sleep(1_000);
    }
  }
}

const EventType = temporal.api.enums.v1.EventType;
const TimeoutType = temporal.api.enums.v1.TimeoutType;

/** What a run and its child workflows retried: activity attempts beyond the first, by reason. */
export interface RetryCounts {
  workflows: number;
  activities: number;
  retriedActivities: number;
  failedAttempts: number;
  heartbeatTimeouts: number;
  /** Activity type → the highest attempt it completed on. */
  maxAttempt: Record<string, number>;
}

export async function retryCounts(client: Client, workflowId: string): Promise<RetryCounts> {
  const counts: RetryCounts = { workflows: 0, activities: 0, retriedActivities: 0, failedAttempts: 0, heartbeatTimeouts: 0, maxAttempt: {} };
  const queue = [workflowId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    counts.workflows++;
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    const typeOf = new Map<string, string>();
    for (const e of events) {
      const id64 = String(e.eventId);
      if (e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) queue.push(e.startChildWorkflowExecutionInitiatedEventAttributes!.workflowId!);
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        counts.activities++;
        typeOf.set(id64, e.activityTaskScheduledEventAttributes!.activityType!.name!);
      }
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        const a = e.activityTaskStartedEventAttributes!;
        const type = typeOf.get(String(a.scheduledEventId)) ?? '?';
        const attempt = a.attempt ?? 1;
        counts.maxAttempt[type] = Math.max(counts.maxAttempt[type] ?? 1, attempt);
        if (attempt > 1) {
          counts.retriedActivities++;
          counts.failedAttempts += attempt - 1;
        }
        // The last failure of a retried activity is on its started event (one event per activity).
        if (a.lastFailure?.timeoutFailureInfo?.timeoutType === TimeoutType.TIMEOUT_TYPE_HEARTBEAT) counts.heartbeatTimeouts++;
      }
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT && e.activityTaskTimedOutEventAttributes?.failure?.timeoutFailureInfo?.timeoutType === TimeoutType.TIMEOUT_TYPE_HEARTBEAT) counts.heartbeatTimeouts++;
    }
  }
  return counts;
}
