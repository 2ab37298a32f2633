/**
 * Benchmark: steps 3–5 of trainingPipeline (pruneFeatures with the coarse search, regimeEnsembles,
 * governor, tuneHyperparameters) on one year of 1h bars (synthetic, 8760 bars, fixed seed) with the
 * default feature set and the default governor configuration, with 1 and with 2 worker processes
 * (`apps/worker`, ARES_TRAINING_SLOTS=1 each) against one Temporal dev server.
 * Targets: speedup wall(1) / wall(2) >= 1.7; share of the steps 3–5 wall time covered by no
 * activity (Temporal overhead) <= 5 %.
 *
 *   node --import tsx bench/governor.bench.ts [--workers 1,2] [--runs 1] [--bars 8760] [--seed 7] [--governor '{"coarseTrials":2}'] [--profile]
 *
 * --profile: the worker processes record where the time goes (@ares/models profiler:
 * native training, Dataset/DMatrix construction, model transfer, thread start-up, data loading,
 * checkpoint writes, per activity type) and the bench prints it next to the Temporal overhead
 * (steps 3–5 wall time covered by no activity); written to bench/results/governor-profile.json.
 *
 * Every configuration gets a fresh artifacts directory (artifacts are content-addressed: a second
 * run in the same directory would resume from checkpoints). Steps 3–5 wall time runs from the
 * pruneFeatures stage's startedAt to the end of the last of regimeEnsembles, governor and
 * tuneHyperparameters (workflow times; step 5 runs alongside step 4).
 * Activity intervals (ActivityTaskStarted → Completed/Failed/TimedOut/Canceled event times) come
 * from the histories of the run and of its ensemble child workflows. Writes
 * bench/results/governor.json. Not a test: figures vary with machine load (see loadAverage).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import type { ProfileTotals } from '@ares/models';
import type { GovernorConfigInput, TrainingPipelineInput, TrainingPipelineResult } from '@ares/pipeline';
import { startTemporal } from '@ares/pipeline/testing';
import { live, liveDirs, peakRssMb, startWorker, stopWorker, type WorkerProcess } from './lib/workers';

/** Activities of steps 1–3a; everything else in the run belongs to steps 3–5. */
const EARLY_ACTIVITIES = new Set(['collectMarketData', 'optimizeTargetParams', 'buildFeatures']);
const TARGET_SPEEDUP = 1.7;
const TARGET_OVERHEAD = 0.05;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

// ---------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc): tells contention from other load apart from the run's structure.

const TICKS = 100; // USER_HZ

/** utime + stime + cutime + cstime of a process (all its threads), in seconds; 0 if gone. */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS;
  } catch {
    return 0;
  }
}

/** Machine-wide busy and total CPU seconds (all cores) from /proc/stat. */
function machineCpuSeconds(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = cpu[3]! + cpu[4]!;
  return { busy: (total - idle) / TICKS, total: total / TICKS };
}

interface CpuSnapshot {
  at: number;
  workers: Record<string, number>;
  machine: { busy: number; total: number };
}

function cpuSnapshot(workers: WorkerProcess[]): CpuSnapshot {
  return { at: Date.now(), workers: Object.fromEntries(workers.map((w) => [w.name, processCpuSeconds(w.child.pid!)])), machine: machineCpuSeconds() };
}

/** Samples CPU every second; keeps the snapshots closest to given times. */
class CpuSampler {
  readonly samples: CpuSnapshot[] = [];
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly workers: WorkerProcess[]) {
    this.samples.push(cpuSnapshot(workers));
    this.timer = setInterval(() => this.samples.push(cpuSnapshot(this.workers)), 1000);
  }
  stop(): void {
    clearInterval(this.timer);
    this.samples.push(cpuSnapshot(this.workers));
  }
  nearest(at: number): CpuSnapshot {
    return this.samples.reduce((best, x) => (Math.abs(x.at - at) < Math.abs(best.at - at) ? x : best));
  }
}

/** Between two snapshots: CPU seconds per worker process, machine busy seconds, and what others used. */
function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuFigures {
  const workers = Object.fromEntries(Object.keys(b.workers).map((w) => [w, b.workers[w]! - (a.workers[w] ?? 0)]));
  const machineBusy = b.machine.busy - a.machine.busy;
  const machineTotal = b.machine.total - a.machine.total;
  const ours = Object.values(workers).reduce((x, y) => x + y, 0);
  return { seconds: (b.at - a.at) / 1000, workerCpuSeconds: workers, machineBusySeconds: machineBusy, machineCapacitySeconds: machineTotal, othersCpuSeconds: machineBusy - ours };
}

interface CpuFigures {
  seconds: number;
  workerCpuSeconds: Record<string, number>;
  machineBusySeconds: number;
  /** cores × seconds. */
  machineCapacitySeconds: number;
  /** Busy CPU not used by the worker processes (other sessions, the Temporal server, this process). */
  othersCpuSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Histories

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

interface ActivityInterval {
  workflowId: string;
  type: string;
  queue: string;
  identity: string;
  scheduled: number;
  started: number;
  ended: number;
  outcome: string;
  attempt: number;
  /** trainEnsembleUnit's unitId, runSearchTrial's model#trial. */
  label?: string;
}

const key = (id: unknown) => String(id);

function decodeInput(payloads: temporal.api.common.v1.IPayloads | null | undefined): Record<string, unknown> | undefined {
  const data = payloads?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Every activity execution in a history, matched by scheduledEventId. */
function activityIntervals(workflowId: string, events: HistoryEvent[]): ActivityInterval[] {
  const scheduled = new Map<string, HistoryEvent>();
  const started = new Map<string, HistoryEvent>();
  const out: ActivityInterval[] = [];
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes) scheduled.set(key(e.eventId), e);
    else if (e.activityTaskStartedEventAttributes) started.set(key(e.activityTaskStartedEventAttributes.scheduledEventId), e);
    else {
      const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
      if (!closed) continue;
      const sid = key(closed.scheduledEventId);
      const s = scheduled.get(sid);
      const st = started.get(sid);
      if (!s || !st) continue;
      const attrs = s.activityTaskScheduledEventAttributes!;
      const input = decodeInput(attrs.input);
      const type = attrs.activityType?.name ?? '?';
      const label = type === 'trainEnsembleUnit' ? String(input?.unitId) : type === 'runSearchTrial' ? `${input?.phase}:${input?.model}#${input?.trial}` : undefined;
      out.push({
        workflowId,
        type,
        queue: attrs.taskQueue?.name ?? '?',
        identity: st.activityTaskStartedEventAttributes!.identity ?? '?',
        scheduled: tsToMs(s.eventTime),
        started: tsToMs(st.eventTime),
        ended: tsToMs(e.eventTime),
        outcome: e.activityTaskCompletedEventAttributes ? 'completed' : e.activityTaskFailedEventAttributes ? 'failed' : e.activityTaskTimedOutEventAttributes ? 'timedOut' : 'canceled',
        attempt: st.activityTaskStartedEventAttributes!.attempt ?? 1,
        ...(label ? { label } : {}),
      });
    }
  }
  return out;
}

/** Total length of the union of [a, b) intervals clipped to [from, to). */
function unionLength(intervals: [number, number][], from: number, to: number): number {
  const clipped = intervals.map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [cs, ce] = [Number.NaN, Number.NaN];
  for (const [a, b] of clipped) {
    if (Number.isNaN(cs) || a > ce) {
      if (!Number.isNaN(cs)) total += ce - cs;
      [cs, ce] = [a, b];
    } else ce = Math.max(ce, b);
  }
  if (!Number.isNaN(cs)) total += ce - cs;
  return total;
}

/** Gaps (ms) inside [from, to) covered by no interval, longest first. */
function gaps(intervals: [number, number][], from: number, to: number): { at: number; ms: number }[] {
  const sorted = intervals.map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: { at: number; ms: number }[] = [];
  let cursor = from;
  for (const [a, b] of sorted) {
    if (a > cursor) out.push({ at: cursor - from, ms: a - cursor });
    cursor = Math.max(cursor, b);
  }
  if (to > cursor) out.push({ at: cursor - from, ms: to - cursor });
  return out.sort((x, y) => y.ms - x.ms);
}

/** Makespan of `durations` list-scheduled in the given order onto `slots` (each task to the first free slot). */
function makespan(durations: number[], slots: number): number {
  const free = new Array<number>(slots).fill(0);
  for (const d of durations) {
    const i = free.indexOf(Math.min(...free));
    free[i]! += d;
  }
  return Math.max(...free);
}

/**
 * The run's structure replayed with its own activity durations on `slots` training slots: serial
 * activities one after the other, each fan-out (coarse trials, units, final trials) list-scheduled
 * in the order its activities started (or longest first), plus the run's time outside activities.
 * From a 1-process run (where nothing waited for a slot) this is the wall time more slots would
 * give if every activity kept its duration — the speedup the workflow's shape allows.
 */
function replayOnSlots(acts: ActivityInterval[], wallMs: number, unionMs: number, slots: number, order: 'observed' | 'longestFirst'): number {
  const group = (a: ActivityInterval) => (a.type === 'runSearchTrial' ? `trials:${a.label!.split(':')[0]}` : a.type === 'trainEnsembleUnit' ? 'units' : undefined);
  const groups = new Map<string, ActivityInterval[]>();
  let serial = 0;
  for (const a of [...acts].sort((x, y) => x.started - y.started)) {
    const g = group(a);
    if (g) groups.set(g, [...(groups.get(g) ?? []), a]);
    // planTrials run in parallel (one per model type): count the longest of each batch only.
    else if (a.type !== 'planTrials') serial += a.ended - a.started;
  }
  const planTrials = acts.filter((a) => a.type === 'planTrials');
  serial += 2 * Math.max(0, ...planTrials.map((a) => a.ended - a.started));
  let parallel = 0;
  for (const members of groups.values()) {
    const d = members.map((a) => a.ended - a.started);
    parallel += makespan(order === 'longestFirst' ? d.sort((x, y) => y - x) : d, slots);
  }
  return serial + parallel + (wallMs - unionMs);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const s = (ms: number) => ms / 1000;

// ---------------------------------------------------------------------------------------------
// One configuration

interface RunFigures {
  workers: number;
  run: number;
  workflowId: string;
  totalSeconds: number;
  steps345Seconds: number;
  stages: Record<string, number>;
  stageSummaries: Record<string, string>;
  activities: number;
  activityUnionSeconds: number;
  busyShare: number;
  overheadShare: number;
  longestGaps: { atSeconds: number; ms: number }[];
  meanScheduleToStartMs: number;
  meanScheduleToStartMsByQueue: Record<string, number>;
  /** Sum of training-queue activity durations / (processes × wall): how full the training slots were. */
  trainingSlotUtilisation: number;
  busySecondsByWorker: Record<string, number>;
  byType: Record<string, { count: number; meanSeconds: number; totalSeconds: number; maxSeconds: number }>;
  /** Per stage: union of activity time, and the sum of activity time (CPU-seconds on the slots). */
  stageActivity: Record<string, { unionSeconds: number; sumSeconds: number }>;
  ensembles: string[];
  units: { ensemble: string; unit: string; seconds: number; scheduleToStartSeconds: number; worker: string; startedAtSeconds: number }[];
  retries: number;
  /** From a 1-process run: steps 3–5 wall time replayed on 2 slots (see replayOnSlots), and the speedups they imply. */
  replay?: { observedOrderSeconds: number; longestFirstSeconds: number; speedupObservedOrder: number; speedupLongestFirst: number; criticalUnitSeconds: number };
  /** Every steps 3–5 activity: times in seconds from the pruneFeatures start. */
  activityList: { workflow: string; type: string; label?: string; worker: string; scheduled: number; started: number; seconds: number; attempt: number }[];
  /** CPU between the pruneFeatures start and the end of the run (sampled each second). */
  cpu?: CpuFigures;
  loadAverageBefore?: number[];
  loadAverageAfter?: number[];
  /** Peak resident set (VmHWM) of each worker process, MB. */
  peakRssMb?: Record<string, number>;
  /** With --profile: each worker process's profile totals (seconds and counts by category). */
  profile?: Record<string, ProfileTotals>;
}

async function runConfiguration(env: TestWorkflowEnvironment, workers: number, runIndex: number, input: TrainingPipelineInput, profile: boolean): Promise<RunFigures> {
  const artifacts = mkdtempSync(join(tmpdir(), `ares-governor-bench-${workers}w-`));
  liveDirs.add(artifacts);
  const taskQueue = `bench-governor-${randomUUID()}`;
  const started: WorkerProcess[] = [];
  const profileFile = (name: string) => (profile ? join(artifacts, `profile-${name}.json`) : undefined);
  let peak: Record<string, number> | undefined;
  try {
    for (let i = 0; i < workers; i++) {
      const name = `bench-worker-${i + 1}`;
      started.push(await startWorker(env, name, taskQueue, artifacts, profileFile(name)));
    }
    const workflowId = `bench-governor-${workers}w-${runIndex}-${randomUUID().slice(0, 8)}`;
    console.log(`[${workers} worker${workers > 1 ? 's' : ''}, run ${runIndex}] ${workflowId} started`);
    const loadAverageBefore = loadavg();
    const sampler = new CpuSampler(started);
    const t0 = Date.now();
    let result: TrainingPipelineResult;
    try {
      const handle = await env.client.workflow.start('trainingPipeline', { taskQueue, workflowId, args: [input] });
      result = (await handle.result()) as TrainingPipelineResult;
    } finally {
      sampler.stop();
    }
    const totalMs = Date.now() - t0;
    peak = Object.fromEntries(started.map((w) => [w.name, peakRssMb(w.child.pid!)]));
    const figures = await analyse(env, workers, runIndex, workflowId, result, totalMs);
    const prune = result.stages.find((x) => x.name === 'pruneFeatures')!;
    const end = { endedAt: Math.max(...result.stages.map((x) => x.endedAt ?? 0)) };
    await Promise.all(started.map(stopWorker));
    const profiles = profile ? Object.fromEntries(started.map((w) => [w.name, (JSON.parse(readFileSync(profileFile(w.name)!, 'utf8')) as { totals: ProfileTotals }).totals])) : undefined;
    return { ...figures, cpu: cpuBetween(sampler.nearest(prune.startedAt!), sampler.nearest(end.endedAt!)), loadAverageBefore, loadAverageAfter: loadavg(), peakRssMb: peak, ...(profiles ? { profile: profiles } : {}) };
  } catch (err) {
    for (const w of started) console.error(`--- ${w.name} output (tail) ---\n${w.output().slice(-4000)}`);
    throw err;
  } finally {
    await Promise.all(started.map(stopWorker));
    rmSync(artifacts, { recursive: true, force: true });
    liveDirs.delete(artifacts);
  }
}

async function analyse(env: TestWorkflowEnvironment, workers: number, runIndex: number, workflowId: string, result: TrainingPipelineResult, totalMs: number): Promise<RunFigures> {
  const stage = (name: string) => {
    const st = result.stages.find((x) => x.name === name);
    if (!st?.startedAt || !st.endedAt) throw new Error(`stage ${name} has no times: ${JSON.stringify(st)}`);
    return st;
  };
  const from = stage('pruneFeatures').startedAt!;
  // Step 5 runs alongside step 4 (and may end before the governor).
  const to = Math.max(...['regimeEnsembles', 'governor', 'tuneHyperparameters'].map((name) => stage(name).endedAt!));
  const wall = to - from;

  const ensembles = result.plan?.ensembles ?? [];
  const histories = await Promise.all([workflowId, ...ensembles.map((e) => `${workflowId}-ensemble-${e}`)].map(async (id) => ({ id, events: (await env.client.workflow.getHandle(id).fetchHistory()).events ?? [] })));
  const all = histories.flatMap((h) => activityIntervals(h.id, h.events)).filter((a) => !EARLY_ACTIVITIES.has(a.type));
  const spans = all.map((a) => [a.started, a.ended] as [number, number]);
  const union = unionLength(spans, from, to);

  const byType: RunFigures['byType'] = {};
  for (const a of all) {
    const t = (byType[a.type] ??= { count: 0, meanSeconds: 0, totalSeconds: 0, maxSeconds: 0 });
    t.count++;
    t.totalSeconds += s(a.ended - a.started);
    t.maxSeconds = Math.max(t.maxSeconds, s(a.ended - a.started));
  }
  for (const t of Object.values(byType)) t.meanSeconds = t.totalSeconds / t.count;

  const queues = [...new Set(all.map((a) => a.queue))];
  const byQueue = Object.fromEntries(queues.map((q) => [q.endsWith('-training') ? 'training' : 'pipeline', mean(all.filter((a) => a.queue === q).map((a) => a.started - a.scheduled))]));
  const training = all.filter((a) => a.queue.endsWith('-training'));
  const busySecondsByWorker: Record<string, number> = {};
  for (const a of training) busySecondsByWorker[a.identity] = (busySecondsByWorker[a.identity] ?? 0) + s(a.ended - a.started);

  const stageActivity: RunFigures['stageActivity'] = {};
  const stages: Record<string, number> = {};
  const stageSummaries: Record<string, string> = {};
  for (const st of result.stages) {
    stages[st.name] = s((st.endedAt ?? 0) - (st.startedAt ?? 0));
    stageSummaries[st.name] = st.summary ?? '';
    if (EARLY_ACTIVITIES.has(st.name)) continue;
    const inside = all.filter((a) => a.started >= st.startedAt! && a.ended <= st.endedAt!);
    stageActivity[st.name] = { unionSeconds: s(unionLength(inside.map((a) => [a.started, a.ended]), st.startedAt!, st.endedAt!)), sumSeconds: s(sum(inside.map((a) => a.ended - a.started))) };
  }

  const units = all.filter((a) => a.type === 'trainEnsembleUnit' && a.outcome === 'completed').map((a) => ({
    ensemble: a.workflowId.slice(`${workflowId}-ensemble-`.length),
    unit: a.label ?? '?',
    seconds: s(a.ended - a.started),
    scheduleToStartSeconds: s(a.started - a.scheduled),
    worker: a.identity,
    startedAtSeconds: s(a.started - from),
  }));

  return {
    workers,
    run: runIndex,
    workflowId,
    totalSeconds: s(totalMs),
    steps345Seconds: s(wall),
    stages,
    stageSummaries,
    activities: all.length,
    activityUnionSeconds: s(union),
    busyShare: union / wall,
    overheadShare: 1 - union / wall,
    longestGaps: gaps(spans, from, to).slice(0, 5).map((g) => ({ atSeconds: s(g.at), ms: g.ms })),
    meanScheduleToStartMs: mean(all.map((a) => a.started - a.scheduled)),
    meanScheduleToStartMsByQueue: byQueue,
    trainingSlotUtilisation: sum(training.map((a) => a.ended - a.started)) / (workers * wall),
    busySecondsByWorker,
    byType,
    stageActivity,
    ensembles,
    units,
    retries: all.filter((a) => a.attempt > 1).length,
    ...(workers === 1 ? { replay: replay(all, wall, union) } : {}),
    activityList: all.map((a) => ({ workflow: a.workflowId === workflowId ? 'parent' : a.workflowId.slice(workflowId.length + 1), type: a.type, ...(a.label ? { label: a.label } : {}), worker: a.identity, scheduled: s(a.scheduled - from), started: s(a.started - from), seconds: s(a.ended - a.started), attempt: a.attempt })),
  };
}

function replay(all: ActivityInterval[], wall: number, union: number): NonNullable<RunFigures['replay']> {
  const observed = replayOnSlots(all, wall, union, 2, 'observed');
  const lpt = replayOnSlots(all, wall, union, 2, 'longestFirst');
  return {
    observedOrderSeconds: s(observed),
    longestFirstSeconds: s(lpt),
    speedupObservedOrder: wall / observed,
    speedupLongestFirst: wall / lpt,
    criticalUnitSeconds: s(Math.max(0, ...all.filter((a) => a.type === 'trainEnsembleUnit').map((a) => a.ended - a.started))),
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const STEP_STAGES = ['pruneFeatures', 'regimeEnsembles', 'governor', 'tuneHyperparameters'];

function printTable(runs: RunFigures[]): void {
  const header = ['config', 'total s', 'steps3-5 s', 'busy %', 'overhead %', 'sched→start ms (pipe/train)', 'slot util %', 'acts', 'units', ...STEP_STAGES.map((x) => `${x} s`)];
  const rows = runs.map((r) => [
    `${r.workers} proc #${r.run}`,
    r.totalSeconds.toFixed(1),
    r.steps345Seconds.toFixed(1),
    (100 * r.busyShare).toFixed(1),
    (100 * r.overheadShare).toFixed(2),
    `${(r.meanScheduleToStartMsByQueue.pipeline ?? Number.NaN).toFixed(0)} / ${(r.meanScheduleToStartMsByQueue.training ?? Number.NaN).toFixed(0)}`,
    (100 * r.trainingSlotUtilisation).toFixed(1),
    String(r.activities),
    String(r.units.length),
    ...STEP_STAGES.map((x) => (r.stages[x] ?? Number.NaN).toFixed(1)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

function printDetails(r: RunFigures): void {
  console.log(`\n${r.workers} process(es), run ${r.run} (${r.workflowId})`);
  for (const st of STEP_STAGES) {
    const a = r.stageActivity[st];
    console.log(`  ${st.padEnd(20)} ${r.stages[st]!.toFixed(1).padStart(7)} s wall, activities union ${a?.unionSeconds.toFixed(1)} s, sum ${a?.sumSeconds.toFixed(1)} s (parallelism ${((a?.sumSeconds ?? 0) / r.stages[st]!).toFixed(2)}) — ${r.stageSummaries[st]}`);
  }
  console.log(`  by activity type: ${Object.entries(r.byType).map(([t, v]) => `${t} ×${v.count} mean ${v.meanSeconds.toFixed(2)} s max ${v.maxSeconds.toFixed(2)} s`).join('; ')}`);
  console.log(`  training busy seconds by worker: ${Object.entries(r.busySecondsByWorker).map(([w, v]) => `${w} ${v.toFixed(1)}`).join(', ')}`);
  console.log(`  longest gaps with no activity: ${r.longestGaps.map((g) => `${g.ms} ms @${g.atSeconds.toFixed(1)} s`).join(', ')}`);
  const units = [...r.units].sort((a, b) => b.seconds - a.seconds);
  console.log(`  units (${units.length}), longest first: ${units.map((u) => `${u.unit} ${u.seconds.toFixed(1)} s [${u.worker}, +${u.startedAtSeconds.toFixed(1)} s]`).join('; ')}`);
  if (r.retries) console.log(`  retried attempts: ${r.retries}`);
  if (r.replay) console.log(`  this run's activities replayed on 2 slots (same durations): ${r.replay.observedOrderSeconds.toFixed(1)} s in the observed order (speedup ${r.replay.speedupObservedOrder.toFixed(2)}), ${r.replay.longestFirstSeconds.toFixed(1)} s longest first (speedup ${r.replay.speedupLongestFirst.toFixed(2)}); longest unit ${r.replay.criticalUnitSeconds.toFixed(1)} s`);
  const trials = r.activityList.filter((a) => a.type === 'runSearchTrial').sort((a, b) => b.seconds - a.seconds);
  console.log(`  search trials, longest first: ${trials.map((a) => `${a.label} ${a.seconds.toFixed(1)} s`).join('; ')}`);
  if (r.cpu) {
    const c = r.cpu;
    const busy = Object.fromEntries(Object.entries(r.busySecondsByWorker));
    console.log(`  CPU over steps 3–5 (${c.seconds.toFixed(0)} s, capacity ${c.machineCapacitySeconds.toFixed(0)} core-s): machine busy ${c.machineBusySeconds.toFixed(0)} core-s, of which worker processes ${Object.entries(c.workerCpuSeconds).map(([w, v]) => `${w} ${v.toFixed(1)} (${busy[w] ? ((100 * v) / busy[w]!).toFixed(0) : '?'} % of its training-activity wall)`).join(', ')}; others ${c.othersCpuSeconds.toFixed(0)} core-s (${((100 * c.othersCpuSeconds) / c.machineCapacitySeconds).toFixed(0)} % of capacity)`);
  }
  if (r.peakRssMb) console.log(`  peak RSS: ${Object.entries(r.peakRssMb).map(([w, mb]) => `${w} ${mb.toFixed(0)} MB`).join(', ')}`);
  if (r.profile) printProfile(r);
  if (r.loadAverageBefore) console.log(`  load average before ${r.loadAverageBefore.map((l) => l.toFixed(1)).join(' ')}, after ${r.loadAverageAfter!.map((l) => l.toFixed(1)).join(' ')}`);
}

/** Sums the workers' profiles, then prints activity time by type and where the fits' time went. */
function printProfile(r: RunFigures): void {
  const total: ProfileTotals = {};
  for (const totals of Object.values(r.profile!)) {
    for (const [k, v] of Object.entries(totals)) {
      const t = (total[k] ??= { seconds: 0, count: 0 });
      t.seconds += v.seconds;
      t.count += v.count;
    }
  }
  const get = (k: string) => total[k] ?? { seconds: 0, count: 0 };
  const activitySeconds = sum(Object.entries(total).filter(([k]) => k.startsWith('activity.')).map(([, v]) => v.seconds));
  const row = (label: string, e: { seconds: number; count: number }) => console.log(`    ${label.padEnd(44)} ${e.seconds.toFixed(1).padStart(7)} s  ${String(e.count).padStart(5)}×  ${((100 * e.seconds) / activitySeconds).toFixed(1).padStart(5)} %`);
  console.log(`  profile (all worker processes; % of ${activitySeconds.toFixed(1)} s inside activities):`);
  for (const [k, v] of Object.entries(total).filter(([k]) => k.startsWith('activity.')).sort((a, b) => b[1].seconds - a[1].seconds)) row(k, v);
  let fits = 0;
  let known = 0;
  for (const model of ['lightgbm', 'random_forest', 'xgboost']) {
    const fit = get(`${model}.fit`);
    if (fit.count === 0) continue;
    fits += fit.count;
    const parts = ['dataset', 'train', 'save'].map((p) => get(`${model}.${p}`));
    const load = get(`${model}.load`);
    const predict = get(`${model}.predict`);
    row(`${model}: fits (main-thread wall)`, fit);
    console.log(`      rounds grown: ${get(`${model}.rounds`).count} (${(get(`${model}.rounds`).count / fit.count).toFixed(1)} a fit)`);
    row(`  native Dataset/DMatrix construction`, parts[0]!);
    row(`  native training rounds`, parts[1]!);
    row(`  model serialisation in the thread`, parts[2]!);
    row(`  model load on the main thread`, load);
    row(`  thread hand-off (fit − the above)`, { seconds: fit.seconds - sum(parts.map((p) => p.seconds)) - load.seconds, count: fit.count });
    row(`  predictions`, predict);
    known += fit.seconds + predict.seconds;
  }
  row('training-thread start-up', get('thread.start'));
  const loads = get('data.load');
  row('feature data loads (store + Parquet + cleaning)', loads);
  row('checkpoint writes', get('checkpoint.write'));
  row('checkpoint reads', get('checkpoint.read'));
  known += loads.seconds + get('checkpoint.write').seconds + get('checkpoint.read').seconds;
  row('rest of the activities (preprocessing, store, JS)', { seconds: activitySeconds - known, count: 0 });
  console.log(`    ${fits} model fits; Temporal overhead (steps 3–5 wall covered by no activity): ${(r.steps345Seconds * r.overheadShare).toFixed(2)} s`);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const workerCounts = arg('workers', '1,2').split(',').map(Number);
  const runs = Number(arg('runs', '1'));
  const bars = Number(arg('bars', '8760'));
  const seed = Number(arg('seed', '7'));
  const profile = process.argv.includes('--profile');
  const governorOverride = process.argv.includes('--governor') ? (JSON.parse(arg('governor', '{}')) as GovernorConfigInput) : undefined;
  const input: TrainingPipelineInput = {
    collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars, seed },
    trigger: 'test',
    ...(governorOverride ? { governor: governorOverride } : {}),
  };

  let env: TestWorkflowEnvironment | undefined;
  const cleanup = async () => {
    await Promise.all([...live].map(stopWorker));
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
    await env?.teardown();
    env = undefined;
  };
  process.once('SIGINT', () => {
    console.error('SIGINT: stopping the workers and the Temporal server');
    void cleanup().finally(() => process.exit(130));
  });

  const results: RunFigures[] = [];
  try {
    env = await startTemporal();
    for (let k = 1; k <= runs; k++) {
      for (const n of workerCounts) {
        const r = await runConfiguration(env, n, k, input, profile);
        results.push(r);
        console.log(`[${n} worker${n > 1 ? 's' : ''}, run ${k}] steps 3–5 ${r.steps345Seconds.toFixed(1)} s, total ${r.totalSeconds.toFixed(1)} s, overhead ${(100 * r.overheadShare).toFixed(2)} %`);
      }
    }
  } finally {
    await cleanup();
  }

  console.log('');
  printTable(results);
  for (const r of results) printDetails(r);

  const best = (n: number) => Math.min(...results.filter((r) => r.workers === n).map((r) => r.steps345Seconds));
  const speedup = workerCounts.includes(1) && workerCounts.includes(2) ? best(1) / best(2) : undefined;
  const worstOverhead = Math.max(...results.map((r) => r.overheadShare));
  console.log('');
  if (speedup !== undefined) console.log(`speedup (fastest 1-process / fastest 2-process steps 3–5): ${speedup.toFixed(2)} (target >= ${TARGET_SPEEDUP}) → ${speedup >= TARGET_SPEEDUP ? 'MET' : 'NOT MET'}`);
  console.log(`Temporal overhead (worst run): ${(100 * worstOverhead).toFixed(2)} % of steps 3–5 wall (target <= ${100 * TARGET_OVERHEAD} %) → ${worstOverhead <= TARGET_OVERHEAD ? 'MET' : 'NOT MET'}`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  writeFileSync(join(__dirname, 'results', profile ? 'governor-profile.json' : 'governor.json'), JSON.stringify({
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    input,
    governorConfig: governorOverride ? 'overridden' : 'default',
    targets: { speedup: TARGET_SPEEDUP, overheadShare: TARGET_OVERHEAD },
    speedup,
    worstOverheadShare: worstOverhead,
    runs: results,
    loadAverage: loadavg(),
  }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
