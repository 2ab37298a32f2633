/**
 * The LSTM path through a real worker process on a loaded machine: one CPU-bound process per core
 * competes with it, the trainModel fit's heartbeat timeout (5 s) is shorter than one of its epochs
 * takes, and the fit still completes on attempt 1 — it heartbeats between batches. Before, tfjs'
 * microtask-settled `data()` let no timer run during a fit, and every attempt timed out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { LocalArtifactStore } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { SYMBOL, TRIGGER, type TrainModelInput, type TrainModelResult } from '@ares/pipeline';
import { startTemporal } from '@ares/pipeline/testing';
import { startWorkerProcess, stopWorkerProcess } from './testing';

const HEARTBEAT_TIMEOUT_MS = 5_000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTemporal();
});
afterAll(async () => {
  await env?.teardown();
});

test('an LSTM fit on a loaded machine, with a heartbeat timeout shorter than an epoch, completes on attempt 1', async () => {
  await withTempDir(async (dir) => {
    const artifacts = join(dir, 'artifacts');
    const store = await LocalArtifactStore.create(artifacts);
    const taskQueue = `lstm-load-${Date.now()}`;
    const worker = await startWorkerProcess('lstm-worker', { temporalAddress: env.address, taskQueue, artifacts });
    const hogs: ChildProcess[] = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    try {
      const input: TrainModelInput = {
        collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 3000, seed: 1 },
        trigger: 'test', model: 'lstm', skipTuning: true, seed: 1,
        params: { epochs: 3, earlyStoppingPatience: 0 },
        heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
      };
      const handle = await env.client.workflow.start('trainModel', {
        taskQueue, workflowId: `${taskQueue}-run`, args: [input],
        typedSearchAttributes: [{ key: SYMBOL, value: 'BTCUSDT' }, { key: TRIGGER, value: 'test' }],
      });
      // What `ares train-model` shows while the fit runs: the heartbeat's epoch and batch.
      const beats: Record<string, unknown>[] = [];
      const watching = (async () => {
        for (;;) {
          const d = await handle.describe();
          if (d.status.name !== 'RUNNING') return;
          for (const a of d.raw.pendingActivities ?? []) {
            const payload = a.activityType?.name === 'trainModel' ? a.heartbeatDetails?.payloads?.[0] : undefined;
            // A heartbeat without details is a binary/null payload: the converter reads every encoding.
            const details = payload ? (defaultPayloadConverter.fromPayload(payload) as Record<string, unknown> | null | undefined) : undefined;
            if (details) beats.push(details);
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      })();
      const result = await handle.result() as TrainModelResult;
      await watching;

      const events = (await handle.fetchHistory()).events!;
      const started = events.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!);
      expect(started.map((s) => s.attempt)).toEqual(started.map(() => 1));
      expect(events.filter((e) => e.activityTaskTimedOutEventAttributes || e.activityTaskFailedEventAttributes)).toEqual([]);
      expect(result.stages.find((s) => s.name === 'train')?.state).toBe('completed');
      expect(beats.some((b) => b.stage === 'fit' && typeof b.epoch === 'number' && typeof b.batch === 'number' && typeof b.loss === 'number')).toBe(true);

      // The test proves something only if an epoch outlasts the heartbeat timeout.
      const stagedKey = (await store.list('models/')).find((k) => k.endsWith('/staged.json'))!;
      const staged = JSON.parse(Buffer.from(await store.get(stagedKey)).toString()) as { report: { seconds: number; iterations: number } };
      const epochSeconds = staged.report.seconds / staged.report.iterations;
      console.log(`LSTM under load: ${staged.report.iterations} epochs, ${epochSeconds.toFixed(1)} s per epoch, heartbeat timeout ${HEARTBEAT_TIMEOUT_MS / 1000} s, ${beats.length} heartbeats seen`);
      expect(epochSeconds).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS / 1000);
    } finally {
      for (const h of hogs) h.kill('SIGKILL');
      await stopWorkerProcess(worker);
    }
  });
}, 600_000);
