/**
 * Fault injection on real processes (`npm run test:faults`): a small run (3,000 synthetic bars,
 * the small validation config, steps 1–8) on two `apps/worker` processes with the S3 store on a
 * real MinIO, against a Temporal dev server this suite owns (SQLite file, so it can be killed and
 * restarted). Each case injects one fault; the run must complete and every artifact must have the
 * sha256 of an uninterrupted run (same input, seed and code version), while a poller watches the
 * store's listing for any object seen with other bytes than it ends with (a partial object).
 *
 * Cases: kill -9 of the worker running pruneFeatures, a regime-ensemble unit, the governor, a
 * final-search trial and a walk-forward fold; kill -9 of the Temporal server, down 60 s, restarted;
 * MinIO stopped for 60 s and restarted; the file store's directory made unwritable (chattr +i,
 * which binds root too) for 45 s; 8 concurrent runs with distinct seeds on 2 workers; two
 * concurrent runs of one run key; and no S3 secret key in histories, worker logs, artifacts or
 * CLI output.
 */
import { spawnSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, defaultPayloadConverter, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { LocalArtifactStore, S3ArtifactStore, type ArtifactStore } from '@ares/data';
import { freePort, startMinio, type MinioServer } from '@ares/data/testing';
import { progressQuery, SYMBOL, TRIGGER, type TrainingPipelineInput, type TrainingPipelineResult } from '@ares/pipeline';
import { SMALL_VALIDATION_GOVERNOR } from '@ares/pipeline/testing';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from '../testing';
import { differences, ListingWatcher, resultAcrossOutages, retryCounts, snapshot, TemporalServer, type RetryCounts } from './harness';

const CODE_VERSION = 'fault-suite';
const SECRET = `fault-suite-secret-${randomUUID()}`;
const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
const COLLECT = { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 3000, seed: 31, signal: 0.5, edge: 1 } as const;
const INPUT: TrainingPipelineInput = {
  collect: COLLECT,
  trigger: 'test',
  until: 'compareChampion',
  governor: { ...SMALL_VALIDATION_GOVERNOR, seed: 5 },
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let server: TemporalServer;
let minio: MinioServer;
let minioPort: number;
let connection: Connection;
let client: Client;
let reference: Map<string, string>;
const logs: string[] = [];
const report: string[] = [];
const buckets: S3ArtifactStore[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ares-faults-'));
  server = await TemporalServer.start(join(dir, 'temporal.db'));
  minioPort = await freePort();
  await mkdir(join(dir, 'minio'));
  minio = await startMinio({ dir: join(dir, 'minio'), port: minioPort, secretKey: SECRET });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
}, 120_000);

afterAll(async () => {
  console.log(`fault-injection cases:\n${report.join('\n')}`);
  for (const b of buckets) await b.close().catch(() => undefined);
  await connection?.close();
  await server?.stop();
  await minio?.stop();
  spawnSync('chattr', ['-R', '-i', dir]);
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  handle: WorkflowHandle;
  workers: WorkerProcess[];
  store: ArtifactStore;
  /** Starts one more worker on the run's task queue (stopped with the others when the case ends). */
  addWorker: () => Promise<WorkerProcess>;
}

interface CaseOptions {
  store?: 's3' | 'file';
  input?: TrainingPipelineInput;
  /** Injected while the run goes on; resolves when the fault is over. */
  fault?: (r: Running) => Promise<string>;
}

interface CaseResult {
  result: TrainingPipelineResult;
  files: Map<string, string>;
  counts: RetryCounts;
  seconds: number;
  changed: string[];
  polls: number;
  failedPolls: number;
  store: ArtifactStore;
}

async function newBucket(): Promise<S3ArtifactStore> {
  const store = await S3ArtifactStore.create({ bucket: `faults-${randomUUID().slice(0, 8)}`, prefix: 'artifacts', endpoint: minio.endpoint, createBucket: true });
  buckets.push(store);
  return store;
}

function storeEnv(store: ArtifactStore): Record<string, string> {
  if (store instanceof S3ArtifactStore) {
    const [bucket] = store.url.slice('s3://'.length).split('/');
    return { ARES_ARTIFACTS: `s3://${bucket}/artifacts`, ARES_S3_BUCKET: bucket!, ARES_S3_ENDPOINT: minio.endpoint, AWS_ACCESS_KEY_ID: minio.accessKey, AWS_SECRET_ACCESS_KEY: SECRET, AWS_REGION: 'us-east-1' };
  }
  return { ARES_ARTIFACTS: store.url };
}

function startWorker(name: string, taskQueue: string, store: ArtifactStore): Promise<WorkerProcess> {
  return startWorkerProcess(name, {
    temporalAddress: server.address, taskQueue, artifacts: '/nonexistent',
    env: { ARES_TRAINING_SLOTS: '1', ARES_CODE_VERSION: CODE_VERSION, ...storeEnv(store) },
  });
}

function startWorkers(taskQueue: string, store: ArtifactStore, n = 2): Promise<WorkerProcess[]> {
  return Promise.all(Array.from({ length: n }, (_, k) => startWorker(`fault-worker-${k + 1}`, taskQueue, store)));
}

function start(taskQueue: string, input: TrainingPipelineInput, workflowId = `${taskQueue}-run`): Promise<WorkflowHandle> {
  return client.workflow.start('trainingPipeline', {
    taskQueue, workflowId, args: [input],
    typedSearchAttributes: [{ key: SYMBOL, value: input.collect.symbol }, { key: TRIGGER, value: 'test' }],
  });
}

async function runCase(name: string, options: CaseOptions = {}): Promise<CaseResult> {
  const store = options.store === 'file' ? await LocalArtifactStore.create(join(dir, `file-${randomUUID().slice(0, 8)}`)) : await newBucket();
  const taskQueue = `faults-${name.replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}`;
  const workers = await startWorkers(taskQueue, store);
  const t0 = Date.now();
  const watcher = new ListingWatcher(store);
  try {
    const handle = await start(taskQueue, options.input ?? INPUT);
    const addWorker = async () => {
      const w = await startWorker(`fault-worker-${workers.length + 1}`, taskQueue, store);
      workers.push(w);
      return w;
    };
    const fault = options.fault ? await options.fault({ handle, workers, store, addWorker }) : 'none';
    const result = await resultAcrossOutages<TrainingPipelineResult>(handle, 900_000);
    const seconds = (Date.now() - t0) / 1000;
    await watcher.stop();
    expect(result.stages.every((s) => s.state === 'completed')).toBe(true);
    const files = await snapshot(store);
    const counts = await retryCounts(client, handle.workflowId);
    const changed = watcher.changedSince(files);
    report.push(`  ${name.padEnd(34)} ${fault}; ${seconds.toFixed(1)} s; ${counts.activities} activities in ${counts.workflows} workflows, ${counts.retriedActivities} retried (${counts.failedAttempts} failed attempts, ${counts.heartbeatTimeouts} heartbeat timeouts, max attempt ${Math.max(1, ...Object.values(counts.maxAttempt))}); ${files.size} artifacts; listing polled ${watcher.polls} times (${watcher.failedPolls} failed)`);
    return { result, files, counts, seconds, changed, polls: watcher.polls, failedPolls: watcher.failedPolls, store };
  } catch (err) {
    for (const w of workers) console.error(`--- ${w.name} output ---\n${w.output().slice(-3000)}`);
    throw err;
  } finally {
    await watcher.stop();
    for (const w of workers) logs.push(w.output());
    await Promise.all(workers.map(stopWorkerProcess));
  }
}

/** Every artifact equals the uninterrupted run's, and no object was ever listed with other bytes. */
function expectIdentical(c: CaseResult, name: string): void {
  const d = differences(c.files, reference);
  expect({ name, ...d, changed: c.changed }).toEqual({ name, differing: [], missing: [], extra: [], changed: [] });
  report.push(`  ${''.padEnd(34)} → ${reference.size} of ${reference.size} artifacts byte-identical to the uninterrupted run; no object seen partial`);
}

async function stageRunning(handle: WorkflowHandle, stage: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const p = await handle.query(progressQuery);
      const s = p.stages.find((x) => x.name === stage);
      if (s?.state === 'running') return;
      if (s?.state === 'completed') throw new Error(`stage ${stage} completed before the fault could be injected`);
    } catch (err) {
      if ((err as Error).message.startsWith('stage ')) throw err;
    }
    if (Date.now() > deadline) throw new Error(`stage ${stage} never ran`);
    await sleep(100);
  }
}

/** The worker running an activity of `type` (in the run or its child workflows) that matches `accept(input)`; polled every 50 ms. */
async function workerRunning(r: Running, type: string, accept: (input: Record<string, unknown>) => boolean = () => true, skip: ReadonlySet<string> = new Set(), timeoutMs = 600_000): Promise<{ worker: WorkerProcess; workflowId: string; activityId: string }> {
  // Only an attempt that started within the last 1.5 s: most of its work is still ahead of it.
  const fresh = (a: { lastStartedTime?: { seconds?: unknown; nanos?: number | null } | null }) =>
    a.lastStartedTime?.seconds != null && Date.now() - (Number(a.lastStartedTime.seconds) * 1000 + (a.lastStartedTime.nanos ?? 0) / 1e6) < 1_500;
  const deadline = Date.now() + timeoutMs;
  const inputs = new Map<string, Record<string, unknown>>();
  for (;;) {
    const desc = await r.handle.describe();
    const ids = [r.handle.workflowId, ...(desc.raw.pendingChildren ?? []).map((c) => c.workflowId!)];
    for (const id of ids) {
      const h = client.workflow.getHandle(id);
      // A child that is initiated but not started yet is not found: look again on the next poll.
      const d = id === r.handle.workflowId ? desc : await h.describe().catch(() => undefined);
      const pending = d?.raw.pendingActivities ?? [];
      for (const a of pending) {
        if (a.activityType?.name !== type || a.state !== STARTED || !a.lastWorkerIdentity || !fresh(a)) continue;
        const key = `${id}/${a.activityId}`;
        if (!inputs.has(key)) {
          const scheduled = (await h.fetchHistory()).events!.find((e) => e.activityTaskScheduledEventAttributes?.activityId === a.activityId);
          inputs.set(key, JSON.parse(Buffer.from(scheduled!.activityTaskScheduledEventAttributes!.input!.payloads![0]!.data!).toString()) as Record<string, unknown>);
        }
        if (skip.has(key) || !accept(inputs.get(key)!)) continue;
        const worker = r.workers.find((w) => w.name === a.lastWorkerIdentity && w.child.exitCode === null && w.child.signalCode === null);
        if (worker) return { worker, workflowId: id, activityId: a.activityId! };
      }
    }
    if (Date.now() > deadline) throw new Error(`no worker ever ran ${type}`);
    await sleep(50);
  }
}

/** The first heartbeat details of a pending activity (in the run or its children) that waits for something. */
async function waitingDetails(handle: WorkflowHandle): Promise<Record<string, unknown> | undefined> {
  const desc = await handle.describe().catch(() => undefined);
  const ids = [handle.workflowId, ...(desc?.raw.pendingChildren ?? []).map((c) => c.workflowId!)];
  for (const id of ids) {
    const d = await client.workflow.getHandle(id).describe().catch(() => undefined);
    for (const a of d?.raw.pendingActivities ?? []) {
      const beat = a.heartbeatDetails?.payloads?.[0];
      // A heartbeat without details is a binary/null payload: the converter reads every encoding.
      const hb = beat ? (defaultPayloadConverter.fromPayload(beat) as Record<string, unknown> | null | undefined) : undefined;
      if (hb && typeof hb.waiting === 'string') return { ...hb, activity: a.activityType?.name, pendingAttempt: a.attempt };
    }
  }
  return undefined;
}

async function kill9(w: WorkerProcess): Promise<void> {
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGKILL');
  await exited;
}

/** Whether the activity is still pending: after its worker died, that means the kill interrupted it. */
async function stillPending(workflowId: string, activityId: string): Promise<boolean> {
  const d = await client.workflow.getHandle(workflowId).describe();
  return (d.raw.pendingActivities ?? []).some((a) => a.activityId === activityId);
}

/**
 * Kills the worker running an activity of `type`. A short activity can complete between the poll
 * that saw it running and the kill; then the kill proves nothing, so a replacement worker is
 * started and the next such activity is the target (at most 5 tries).
 */
function killDuring(type: string, accept?: (input: Record<string, unknown>) => boolean, delayMs = 0): CaseOptions['fault'] {
  return async (r) => {
    const missed = new Set<string>();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const { worker, workflowId, activityId } = await workerRunning(r, type, accept, missed, attempt === 1 ? 600_000 : 120_000);
      if (delayMs > 0) await sleep(delayMs);
      await kill9(worker);
      await sleep(500); // a completion the worker sent just before it died reaches the server
      if (await stillPending(workflowId, activityId)) {
        const late = missed.size === 0 ? '' : `; ${missed.size} earlier kill(s) came after the activity had completed, each replaced by a new worker`;
        return `kill -9 of ${worker.name} during ${type} (${workflowId.replace(r.handle.workflowId, 'run')}${late})`;
      }
      missed.add(`${workflowId}/${activityId}`);
      await r.addWorker();
    }
    throw new Error(`every kill -9 during ${type} came after the activity had completed (${missed.size} tries)`);
  };
}

describe('a run rides out infrastructure faults with every artifact intact', () => {
  test('the uninterrupted reference run', async () => {
    const c = await runCase('reference (no fault)');
    reference = c.files;
    expect(c.counts.retriedActivities).toBe(0);
    expect(c.changed).toEqual([]);
    expect(reference.size).toBeGreaterThan(100);
  });

  test.each([
    ['kill -9 during pruneFeatures', 'pruneRunFeatures', undefined, 500],
    // Units of the small config take about a second: killed at once, while most of the unit is ahead.
    ['kill -9 during a regime unit', 'trainEnsembleUnit', undefined, 0],
    ['kill -9 during the governor', 'trainGovernor', undefined, 0],
    ['kill -9 during a final-search trial', 'runSearchTrial', (i: Record<string, unknown>) => i.phase === 'final', 0],
    ['kill -9 during a walk-forward fold', 'trainWalkForwardFold', undefined, 1_500],
  ] as const)('%s', async (name, type, accept, delay) => {
    const c = await runCase(name, { fault: killDuring(type, accept, delay) });
    expect(c.counts.retriedActivities).toBeGreaterThanOrEqual(1);
    expectIdentical(c, name);
  });

  test('kill -9 of the Temporal server, down 60 s, restarted on its database', async () => {
    const c = await runCase('Temporal server down 60 s', {
      fault: async (r) => {
        await stageRunning(r.handle, 'regimeEnsembles');
        await server.kill();
        await sleep(60_000);
        await server.spawn();
        return 'kill -9 of the Temporal server during regimeEnsembles, restarted after 60 s';
      },
    });
    expectIdentical(c, 'temporal');
  });

  test('MinIO stopped for 60 s during the regime ensembles, then restarted', async () => {
    // What `ares train` shows during the outage: an activity's heartbeat saying what it waits for.
    let waiting: Record<string, unknown> | undefined;
    const c = await runCase('S3 down 60 s', {
      fault: async (r) => {
        await stageRunning(r.handle, 'regimeEnsembles');
        await sleep(1_000);
        await minio.stop();
        const until = Date.now() + 60_000;
        while (Date.now() < until) {
          waiting ??= await waitingDetails(r.handle);
          await sleep(1_000);
        }
        minio = await startMinio({ dir: join(dir, 'minio'), port: minioPort, secretKey: SECRET });
        return `MinIO stopped during regimeEnsembles, restarted after 60 s (heartbeat during the outage: ${JSON.stringify(waiting)})`;
      },
    });
    expect(c.failedPolls).toBeGreaterThan(0);
    expect(waiting).toMatchObject({ waiting: 'S3', lastError: expect.stringMatching(/^S3 /) });
    expect(c.counts.retriedActivities).toBeGreaterThanOrEqual(1);
    expectIdentical(c, 's3');
  });

  test('the file store made unwritable (chattr -R +i) for 45 s', async () => {
    const c = await runCase('file store unwritable 45 s', {
      store: 'file',
      fault: async (r) => {
        await stageRunning(r.handle, 'regimeEnsembles');
        const root = (r.store as LocalArtifactStore).url.replace('file://', '');
        const on = spawnSync('chattr', ['-R', '+i', root], { encoding: 'utf8' });
        if (on.status !== 0) throw new Error(`chattr +i failed (the suite needs a file system with immutable attributes): ${on.stderr}`);
        await sleep(45_000);
        const off = spawnSync('chattr', ['-R', '-i', root], { encoding: 'utf8' });
        if (off.status !== 0) throw new Error(`chattr -i failed: ${off.stderr}`);
        return 'artifact directory immutable during regimeEnsembles for 45 s';
      },
    });
    expect(c.counts.retriedActivities).toBeGreaterThanOrEqual(1);
    expectIdentical(c, 'file');
  });

  test('two concurrent runs of one run key never corrupt each other', async () => {
    const store = await newBucket();
    const taskQueue = `faults-same-key-${randomUUID().slice(0, 8)}`;
    const workers = await startWorkers(taskQueue, store);
    const t0 = Date.now();
    const watcher = new ListingWatcher(store);
    try {
      const handles = await Promise.all([start(taskQueue, INPUT, `${taskQueue}-a`), start(taskQueue, INPUT, `${taskQueue}-b`)]);
      const results = await Promise.all(handles.map((h) => resultAcrossOutages<TrainingPipelineResult>(h, 900_000)));
      await watcher.stop();
      expect(results[0]!.run!.prefix).toBe(results[1]!.run!.prefix);
      const files = await snapshot(store);
      expect({ ...differences(files, reference), changed: watcher.changedSince(files) }).toEqual({ differing: [], missing: [], extra: [], changed: [] });
      report.push(`  ${'two runs of one run key'.padEnd(34)} ${((Date.now() - t0) / 1000).toFixed(1)} s; ${files.size} of ${reference.size} artifacts byte-identical to the uninterrupted run`);
    } finally {
      await watcher.stop();
      for (const w of workers) logs.push(w.output());
      await Promise.all(workers.map(stopWorkerProcess));
    }
  });

  test('8 concurrent runs with distinct seeds on 2 workers: no heartbeat timeouts', async () => {
    const store = await newBucket();
    const taskQueue = `faults-load-${randomUUID().slice(0, 8)}`;
    const workers = await startWorkers(taskQueue, store);
    const t0 = Date.now();
    try {
      const inputs = Array.from({ length: 8 }, (_, k): TrainingPipelineInput => ({
        ...INPUT, until: 'tuneHyperparameters',
        collect: { ...COLLECT, seed: 100 + k },
        governor: { ...INPUT.governor, seed: 200 + k },
      }));
      const handles = await Promise.all(inputs.map((input, k) => start(taskQueue, input, `${taskQueue}-${k}`)));
      const results = await Promise.all(handles.map((h) => resultAcrossOutages<TrainingPipelineResult>(h, 1_800_000)));
      expect(results.every((r) => r.stages.every((s) => s.state === 'completed'))).toBe(true);
      const counts = await Promise.all(handles.map((h) => retryCounts(client, h.workflowId)));
      const timeouts = counts.reduce((a, c) => a + c.heartbeatTimeouts, 0);
      const retried = counts.reduce((a, c) => a + c.retriedActivities, 0);
      report.push(`  ${'8 concurrent runs, 2 workers'.padEnd(34)} ${((Date.now() - t0) / 1000).toFixed(1)} s; ${counts.reduce((a, c) => a + c.activities, 0)} activities, ${retried} retried, ${timeouts} heartbeat timeouts`);
      expect(timeouts).toBe(0);
      expect(retried).toBe(0);
    } finally {
      for (const w of workers) logs.push(w.output());
      await Promise.all(workers.map(stopWorkerProcess));
    }
  });

  test('the S3 secret key is in no history, worker log, artifact or CLI output', async () => {
    const needle = Buffer.from(SECRET);
    // The control: the secret is where it must be (the workers' environment), so a leak would be found.
    expect(Buffer.from(JSON.stringify(storeEnv(buckets[0]!))).includes(needle)).toBe(true);
    const leaks: string[] = [];
    let histories = 0;
    for await (const w of client.workflow.list()) {
      const history = await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
      histories++;
      if (Buffer.from(temporal.api.history.v1.History.encode(history).finish()).includes(needle)) leaks.push(`history ${w.workflowId}`);
    }
    logs.forEach((log, i) => {
      if (log.includes(SECRET)) leaks.push(`worker log ${i}`);
    });
    let objects = 0;
    for (const b of buckets) {
      for (const key of await b.list('')) {
        objects++;
        if (Buffer.from(await b.get(key)).includes(needle)) leaks.push(`${b.url}/${key}`);
      }
    }
    const cli = async (...args: string[]) => new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['apps/scheduler/bin/ares.js', ...args], {
        cwd: join(__dirname, '..', '..', '..', '..'),
        env: { ...process.env, TEMPORAL_ADDRESS: server.address, ...storeEnv(buckets[0]!), ARES_DATA_DIR: join(dir, 'cli-data') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', () => resolve(out));
    });
    const outputs = { doctor: await cli('doctor'), 'runs list': await cli('runs', 'list', '--limit', '50') };
    for (const [name, out] of Object.entries(outputs)) if (out.includes(SECRET)) leaks.push(`ares ${name}`);
    expect(outputs.doctor).toMatch(/OK +s3 /);
    expect(leaks).toEqual([]);
    report.push(`  ${'secrets'.padEnd(34)} the S3 secret key found in none of ${histories} histories, ${logs.length} worker logs, ${objects} artifacts, 'ares doctor' and 'ares runs list'`);
  });
});
