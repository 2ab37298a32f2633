import { ScheduleOverlapPolicy, type ScheduleDescription } from '@temporalio/client';
import { msToNumber } from '@temporalio/common/lib/time';
import { connectClient, PIPELINE_STAGES, temporalConfigFromEnv, TRIGGER, type FleetRetrainInput, type PipelineStage } from '@ares/pipeline';
import { CliError, iso, table, UsageError } from '../format';

/** `ares schedule create` options (strings as commander gives them). */
export interface ScheduleCreateOptions {
  id: string;
  symbols: string[];
  intervals: string[];
  /** Cron expressions (UTC), or `every`. */
  cron?: string[];
  /** A fixed interval ('30s', '6h'). */
  every?: string;
  overlap?: string;
  catchupWindow?: string;
  pauseOnFailure?: boolean;
  concurrency?: string;
  until?: string;
  source?: string;
  bars?: string;
  seed?: string;
  signal?: string;
  edge?: string;
  note?: string;
}

const OVERLAP: Record<string, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP, 'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE, 'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
  'cancel-other': ScheduleOverlapPolicy.CANCEL_OTHER, 'terminate-other': ScheduleOverlapPolicy.TERMINATE_OTHER, 'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
};
/** Set explicitly: the server's default catch-up window (1 year) and the docs' (1 minute) differ. */
const DEFAULT_CATCHUP = '10 minutes';

function duration(value: string, what: string): number {
  let ms: number;
  try {
    ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
  } catch {
    ms = Number.NaN;
  }
  if (!(Number.isFinite(ms) && ms >= 1_000)) throw new UsageError(`${what} must be a duration of at least 1 s such as '30s', '6h' or '1 day'; got '${value}'`);
  return ms;
}

/** The fleetRetrain input a schedule starts, from the options (validated here: a schedule must not fire a run that fails at once). */
export function fleetInput(o: ScheduleCreateOptions): FleetRetrainInput {
  if (o.symbols.length === 0 || o.intervals.length === 0) throw new UsageError('schedule create needs --symbols and --intervals');
  if (o.until && !(PIPELINE_STAGES as readonly string[]).includes(o.until)) throw new UsageError(`--until must be one of ${PIPELINE_STAGES.join(', ')}; got '${o.until}'`);
  const source = o.source ?? 'synthetic';
  if (source !== 'synthetic' && source !== 'binance') throw new UsageError(`--source must be synthetic or binance for a schedule (csv files do not grow); got '${source}'`);
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const concurrency = num(o.concurrency) ?? 2;
  if (!(Number.isSafeInteger(concurrency) && concurrency > 0)) throw new UsageError(`--concurrency must be a positive integer; got '${o.concurrency}'`);
  const collect: FleetRetrainInput['collect'] = {
    source,
    ...(o.bars !== undefined ? { bars: num(o.bars) } : {}),
    ...(o.seed !== undefined ? { seed: num(o.seed) } : {}),
    ...(o.signal !== undefined ? { signal: num(o.signal) } : {}),
    ...(o.edge !== undefined ? { edge: num(o.edge) } : {}),
  } as FleetRetrainInput['collect'];
  return {
    markets: o.symbols.flatMap((symbol) => o.intervals.map((interval) => ({ symbol, interval }))),
    collect, trigger: 'schedule', concurrency,
    // Binance: each firing collects the 30 days up to its own time (fleetRetrain fills in start/end).
    ...(source === 'binance' ? { lookbackMs: 30 * 86_400_000 } : {}),
    ...(o.until ? { until: o.until as PipelineStage } : {}),
  };
}

/** `ares schedule create`: a Temporal Schedule that starts fleetRetrain on a cron or an interval. */
export async function scheduleCreate(o: ScheduleCreateOptions, out: (line: string) => void = console.log): Promise<string> {
  if ((o.cron?.length ?? 0) === 0 && o.every === undefined) throw new UsageError('schedule create needs --cron "<expr>" or --every <duration>');
  const overlap = OVERLAP[o.overlap ?? 'skip'];
  if (overlap === undefined) throw new UsageError(`--overlap must be one of ${Object.keys(OVERLAP).join(', ')}; got '${o.overlap}'`);
  const every = o.every === undefined ? undefined : duration(o.every, '--every');
  const catchupWindow = duration(o.catchupWindow ?? DEFAULT_CATCHUP, '--catchup-window');
  const input = fleetInput(o);
  const config = temporalConfigFromEnv();
  const client = await connectClient(config);
  try {
    await client.schedule.create({
      scheduleId: o.id,
      spec: { ...(o.cron?.length ? { cronExpressions: o.cron } : {}), ...(every !== undefined ? { intervals: [{ every }] } : {}) },
      action: {
        type: 'startWorkflow', workflowType: 'fleetRetrain', args: [input], taskQueue: config.taskQueue,
        // The server appends the scheduled time: fleet-<id>-<time>.
        workflowId: `fleet-${o.id}`,
        typedSearchAttributes: [{ key: TRIGGER, value: 'schedule' }],
      },
      policies: { overlap, catchupWindow, pauseOnFailure: o.pauseOnFailure ?? false },
      state: { paused: false, ...(o.note ? { note: o.note } : {}) },
      // The spec as the user wrote it (the server keeps cron expressions as calendar specs).
      memo: { cron: o.cron ?? [] },
    }).catch((err: Error) => {
      throw new CliError(`schedule ${o.id}: ${err.message}`);
    });
    out(`created schedule ${o.id}: fleetRetrain of ${input.markets.map((m) => `${m.symbol} ${m.interval}`).join(', ')} ${o.cron?.length ? `on cron ${o.cron.join(' | ')}` : `every ${o.every}`} (overlap ${o.overlap ?? 'skip'}, catch-up window ${o.catchupWindow ?? DEFAULT_CATCHUP}${o.pauseOnFailure ? ', pauses on failure' : ''})`);
    return o.id;
  } finally {
    await client.connection.close();
  }
}

async function withSchedule<T>(id: string, fn: (h: ReturnType<Awaited<ReturnType<typeof connectClient>>['schedule']['getHandle']>) => Promise<T>): Promise<T> {
  const client = await connectClient(temporalConfigFromEnv());
  try {
    const h = client.schedule.getHandle(id);
    try {
      return await fn(h);
    } catch (err) {
      if ((err as Error).name === 'ScheduleNotFoundError') throw new CliError(`no schedule '${id}'`);
      throw err;
    }
  } finally {
    await client.connection.close();
  }
}

/** What `schedule describe --json` prints. */
export interface ScheduleSummary {
  id: string;
  paused: boolean;
  note?: string;
  spec: { cron: string[]; every: number[] };
  overlap: string;
  catchupWindowMs: number;
  pauseOnFailure: boolean;
  actionsTaken: number;
  missedCatchupWindow: number;
  skippedOverlap: number;
  running: string[];
  recent: { scheduledAt: string; takenAt: string; workflowId: string }[];
  next: string[];
  markets?: string[];
}

export function summarize(id: string, d: ScheduleDescription): ScheduleSummary {
  const action = d.action as { args?: FleetRetrainInput[] };
  return {
    id, paused: d.state.paused, ...(d.state.note ? { note: d.state.note } : {}),
    spec: { cron: ((d.memo as { cron?: string[] } | undefined)?.cron ?? []), every: (d.spec.intervals ?? []).map((i) => msToNumber(i.every)) },
    overlap: d.policies.overlap ?? 'SKIP', catchupWindowMs: d.policies.catchupWindow, pauseOnFailure: d.policies.pauseOnFailure,
    actionsTaken: d.info.numActionsTaken, missedCatchupWindow: d.info.numActionsMissedCatchupWindow, skippedOverlap: d.info.numActionsSkippedOverlap,
    running: d.info.runningActions.map((a) => a.workflow.workflowId),
    recent: d.info.recentActions.map((a) => ({ scheduledAt: iso(a.scheduledAt.getTime()), takenAt: iso(a.takenAt.getTime()), workflowId: a.action.workflow.workflowId })),
    next: d.info.nextActionTimes.map((t) => iso(t.getTime())),
    ...(action.args?.[0]?.markets ? { markets: action.args[0].markets.map((m) => `${m.symbol} ${m.interval}`) } : {}),
  };
}

/** `ares schedule describe <id>`: spec, policies, state, counts, running, recent and next actions. */
export async function scheduleDescribe(o: { id: string; json?: boolean }, out: (line: string) => void = console.log): Promise<ScheduleSummary> {
  const s = await withSchedule(o.id, async (h) => summarize(o.id, await h.describe()));
  if (o.json) {
    out(JSON.stringify(s, null, 2));
    return s;
  }
  out(`schedule  ${s.id}${s.paused ? ' (PAUSED)' : ''}${s.note ? `: ${s.note}` : ''}`);
  out(`spec      ${[...s.spec.cron.map((c) => `cron ${c}`), ...s.spec.every.map((e) => `every ${e / 1000} s`)].join(', ')}; overlap ${s.overlap}, catch-up window ${s.catchupWindowMs / 1000} s${s.pauseOnFailure ? ', pauses on failure' : ''}`);
  if (s.markets) out(`fleet     ${s.markets.join(', ')}`);
  out(`actions   ${s.actionsTaken} taken, ${s.missedCatchupWindow} missed (catch-up window), ${s.skippedOverlap} skipped (overlap); running: ${s.running.join(', ') || 'none'}`);
  out(`next      ${s.next.join(', ') || '-'}`);
  if (s.recent.length) out(table(['SCHEDULED', 'TAKEN', 'WORKFLOW ID'], s.recent.map((r) => [r.scheduledAt, r.takenAt, r.workflowId])));
  return s;
}

/** `ares schedule list`. */
export async function scheduleList(o: { json?: boolean } = {}, out: (line: string) => void = console.log): Promise<string[]> {
  const client = await connectClient(temporalConfigFromEnv());
  try {
    const rows: { id: string; paused: boolean; next: string; recent: string; workflowType: string }[] = [];
    for await (const s of client.schedule.list()) {
      rows.push({
        id: s.scheduleId, paused: s.state.paused, workflowType: s.action?.type === 'startWorkflow' ? s.action.workflowType : '-',
        next: s.info.nextActionTimes[0] ? iso(s.info.nextActionTimes[0].getTime()) : '-',
        recent: s.info.recentActions.at(-1) ? iso(s.info.recentActions.at(-1)!.takenAt.getTime()) : '-',
      });
    }
    if (o.json) out(JSON.stringify(rows, null, 2));
    else out(table(['SCHEDULE', 'WORKFLOW', 'PAUSED', 'LAST ACTION', 'NEXT'], rows.map((r) => [r.id, r.workflowType, String(r.paused), r.recent, r.next])));
    return rows.map((r) => r.id);
  } finally {
    await client.connection.close();
  }
}

export async function schedulePause(o: { id: string; note: string }, out: (line: string) => void = console.log): Promise<void> {
  if (!o.note?.trim()) throw new UsageError('schedule pause needs --note "<why>" (it is recorded on the schedule)');
  await withSchedule(o.id, (h) => h.pause(o.note));
  out(`paused ${o.id}: ${o.note}`);
}

export async function scheduleUnpause(o: { id: string; note: string }, out: (line: string) => void = console.log): Promise<void> {
  if (!o.note?.trim()) throw new UsageError('schedule unpause needs --note "<why>" (it is recorded on the schedule)');
  await withSchedule(o.id, (h) => h.unpause(o.note));
  out(`unpaused ${o.id}: ${o.note}`);
}

/** `ares schedule trigger <id>`: one action now, under the schedule's overlap policy (a running fleet is not overlapped). */
export async function scheduleTrigger(o: { id: string }, out: (line: string) => void = console.log): Promise<void> {
  await withSchedule(o.id, async (h) => h.trigger((await h.describe()).policies.overlap));
  out(`triggered ${o.id}`);
}

/** `ares schedule backfill <id> --start --end`: the actions the spec would have taken in [start, end] (both ends included: Temporal's semantics), one after another. */
export async function scheduleBackfill(o: { id: string; start: string; end: string }, out: (line: string) => void = console.log): Promise<void> {
  const time = (v: string, what: string) => {
    const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(t)) throw new UsageError(`${what} must be an ISO date or epoch ms; got '${v}'`);
    return new Date(t);
  };
  const start = time(o.start, '--start');
  const end = time(o.end, '--end');
  if (!(end > start)) throw new UsageError(`--end (${o.end}) must be after --start (${o.start})`);
  // BUFFER_ALL: every backfilled action runs, in order, none overlapping another.
  await withSchedule(o.id, (h) => h.backfill({ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL }));
  out(`backfill of ${o.id} from ${iso(start.getTime())} to ${iso(end.getTime())} requested`);
}

/** `ares schedule update <id>`: new spec or policies; what is not given stays. */
export async function scheduleUpdate(o: { id: string; cron?: string[]; every?: string; overlap?: string; catchupWindow?: string; pauseOnFailure?: boolean }, out: (line: string) => void = console.log): Promise<void> {
  const overlap = o.overlap === undefined ? undefined : OVERLAP[o.overlap];
  if (o.overlap !== undefined && overlap === undefined) throw new UsageError(`--overlap must be one of ${Object.keys(OVERLAP).join(', ')}; got '${o.overlap}'`);
  const every = o.every === undefined ? undefined : duration(o.every, '--every');
  const catchup = o.catchupWindow === undefined ? undefined : duration(o.catchupWindow, '--catchup-window');
  await withSchedule(o.id, (h) => h.update((prev) => ({
    ...prev,
    spec: o.cron?.length || every !== undefined ? { ...(o.cron?.length ? { cronExpressions: o.cron } : {}), ...(every !== undefined ? { intervals: [{ every }] } : {}) } : prev.spec,
    policies: { ...prev.policies, ...(overlap ? { overlap } : {}), ...(catchup !== undefined ? { catchupWindow: catchup } : {}), ...(o.pauseOnFailure !== undefined ? { pauseOnFailure: o.pauseOnFailure } : {}) },
  })));
  out(`updated ${o.id}`);
}

export async function scheduleDelete(o: { id: string }, out: (line: string) => void = console.log): Promise<void> {
  await withSchedule(o.id, (h) => h.delete());
  out(`deleted ${o.id}`);
}
