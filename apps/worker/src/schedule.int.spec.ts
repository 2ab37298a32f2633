/**
 * Fleet retraining on Temporal Schedules through the real CLI (`bin/ares.js schedule …`) and two
 * real worker processes, against the Temporal dev server, on a local artifact store: a schedule
 * fires every 10 s and runs a 2 × 2 fleet (steps 1–3 of each market) to completion, `describe`
 * shows the actions, `pause` stops the firing, `backfill` of a past range starts exactly the
 * firings the spec would have made there, and a fleet (or `ares train`) that finds a market's
 * retrain running skips that market (refuses) rather than overlapping it.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { withTempDir } from '@ares/data/testing';
import type { FleetRetrainResult } from '@ares/pipeline';
import { startTemporal } from '@ares/pipeline/testing';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from './testing';

const root = join(__dirname, '..', '..', '..');
let env: TestWorkflowEnvironment;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  env = await startTemporal();
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

interface Described {
  paused: boolean;
  note?: string;
  actionsTaken: number;
  recent: { scheduledAt: string; workflowId: string }[];
  markets?: string[];
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

test('a schedule fires a 2 × 2 fleet to completion; describe, pause, backfill, no overlapping retrains', async () => {
  await withTempDir(async (dir) => {
    const taskQueue = `fleet-${randomUUID().slice(0, 8)}`;
    const artifacts = join(dir, 'artifacts');
    const cliEnv = { ...process.env, TEMPORAL_ADDRESS: env.address, ARES_TASK_QUEUE: taskQueue, ARES_ARTIFACTS: `file://${artifacts}` };
    const ares = (...args: string[]) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'apps', 'scheduler', 'bin', 'ares.js'), ...args], { cwd: root, env: cliEnv });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => resolve({ code, out, err }));
    });
    const ok = async (...args: string[]) => {
      const r = await ares(...args);
      expect({ args, code: r.code, err: r.code === 0 ? '' : r.err }).toEqual({ args, code: 0, err: '' });
      return r.out;
    };
    const describe = async (id: string) => JSON.parse(await ok('schedule', 'describe', id, '--json')) as Described;
    const workers: WorkerProcess[] = await Promise.all([1, 2].map((k) => startWorkerProcess(`fleet-worker-${k}`, { temporalAddress: env.address, taskQueue, artifacts })));
    try {
      const fleet = ['--symbols', 'BTCUSDT', 'ETHUSDT', '--intervals', '1h', '4h', '--bars', '1200', '--seed', '5', '--until', 'buildFeatures', '--concurrency', '2'];
      await ok('schedule', 'create', 'every-10s', ...fleet, '--every', '10s', '--overlap', 'skip', '--catchup-window', '1m', '--note', 'test');

      // It fires, and the first fleet completes: 4 markets, each through steps 1–3, on both workers.
      const first = await until('the first firing', async () => (await describe('every-10s')).recent[0]);
      const result = await env.client.workflow.getHandle(first.workflowId).result() as FleetRetrainResult;
      expect(result.runs.map((r) => `${r.symbol} ${r.interval} ${r.status}`).sort()).toEqual(['BTCUSDT 1h completed', 'BTCUSDT 4h completed', 'ETHUSDT 1h completed', 'ETHUSDT 4h completed']);
      expect(result.runs.every((r) => /^[0-9a-f]{64}$/.test(r.datasetSha256 ?? ''))).toBe(true);
      const text = await ok('schedule', 'describe', 'every-10s');
      expect(text).toContain(first.workflowId);
      expect(text).toMatch(/spec {6}every 10 s; overlap SKIP, catch-up window 60 s/);
      expect(text).toMatch(/fleet {5}BTCUSDT 1h, BTCUSDT 4h, ETHUSDT 1h, ETHUSDT 4h/);
      expect(await ok('schedule', 'list')).toMatch(/every-10s +fleetRetrain +false/);
      const used = new Set(workers.filter((w) => /activity/.test(w.output()) || w.output().includes('collectMarketData')).map((w) => w.name));
      console.log(`fleet ${first.workflowId}: ${result.completed} completed in ${result.seconds.toFixed(1)} s; workers that ran activities: ${[...used].join(', ')}`);

      // Pause: no firing for 25 s (2.5 intervals).
      await ok('schedule', 'pause', 'every-10s', '--note', 'maintenance');
      await sleep(1_000);
      const before = await describe('every-10s');
      expect(before).toMatchObject({ paused: true, note: 'maintenance' });
      await sleep(25_000);
      expect((await describe('every-10s')).actionsTaken).toBe(before.actionsTaken);
      await ok('schedule', 'delete', 'every-10s');

      // Backfill on an hourly schedule (paused, so only the backfill acts): [10:00, 13:00], both ends included
      // (Temporal's semantics) → 10:00, 11:00, 12:00, 13:00.
      await ok('schedule', 'create', 'hourly', '--symbols', 'SOLUSDT', '--intervals', '1h', '--bars', '600', '--until', 'collectMarketData', '--every', '1h');
      await ok('schedule', 'pause', 'hourly', '--note', 'backfill only');
      await ok('schedule', 'backfill', 'hourly', '--start', '2026-01-05T10:00:00Z', '--end', '2026-01-05T13:00:00Z');
      await until('4 backfilled firings', async () => ((await describe('hourly')).recent.length >= 4 ? true : undefined), 180_000);
      await sleep(3_000);
      const after = await describe('hourly');
      expect(after.recent.map((r) => r.scheduledAt)).toEqual(['2026-01-05T10:00:00Z', '2026-01-05T11:00:00Z', '2026-01-05T12:00:00Z', '2026-01-05T13:00:00Z']);
      expect(after.actionsTaken).toBe(4);

      // A fleet that finds a market's retrain running skips that market (ids are retrain-<symbol>-<interval>).
      for (const r of after.recent) await env.client.workflow.getHandle(r.workflowId).result();
      const blocker = await env.client.workflow.start('trainingPipeline', {
        taskQueue, workflowId: 'retrain-SOLUSDT-1h',
        args: [{ collect: { source: 'synthetic', symbol: 'SOLUSDT', interval: '1h', bars: 20_000, seed: 1 }, trigger: 'manual', until: 'pruneFeatures' }],
      });
      await ok('schedule', 'trigger', 'hourly');
      const triggered = await until('the triggered firing', async () => {
        const d = await describe('hourly');
        return d.recent.length >= 5 ? d.recent.at(-1) : undefined;
      });
      const skipped = await env.client.workflow.getHandle(triggered.workflowId).result() as FleetRetrainResult;
      expect(skipped.runs).toEqual([expect.objectContaining({ symbol: 'SOLUSDT', interval: '1h', status: 'skipped', reason: 'skipped: a retrain of SOLUSDT 1h (retrain-SOLUSDT-1h) is already running' })]);
      // On-demand `ares train` of that market defers to the running retrain too.
      const refused = await ares('train', '--symbol', 'SOLUSDT', '--interval', '1h', '--bars', '600', '--until', 'collectMarketData', '--trigger', 'test');
      expect({ code: refused.code, err: refused.err.trim() }).toEqual({ code: 1, err: 'ares: a scheduled retrain of SOLUSDT 1h is running (retrain-SOLUSDT-1h); wait for it (ares runs list --symbol SOLUSDT) or pass --allow-concurrent' });
      await blocker.terminate('test over');
      await ok('schedule', 'delete', 'hourly');
      const gone = await ares('schedule', 'describe', 'hourly');
      expect({ code: gone.code, err: gone.err.trim() }).toEqual({ code: 1, err: "ares: no schedule 'hourly'" });
    } finally {
      await Promise.all(workers.map(stopWorkerProcess));
    }
  });
}, 900_000);
