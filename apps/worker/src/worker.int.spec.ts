/**
 * A run whose worker is killed with SIGKILL during collectMarketData completes on another worker
 * process, with the same dataset hash as an uninterrupted run.
 *
 * Real processes: two `apps/worker` processes against the Temporal dev server. The second one
 * picks the activity up after the heartbeat timeout (15 s) expires.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { collectMarketData, LocalArtifactStore, readDatasetManifest } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { SYMBOL, TRIGGER, type TrainingPipelineInput, type TrainingPipelineResult } from '@ares/pipeline';
import { startTemporal } from '@ares/pipeline/testing';

const repoRoot = join(__dirname, '..', '..', '..');
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTemporal();
});
afterAll(async () => {
  await env?.teardown();
});

/** Starts a worker process and resolves once it polls its task queue. */
async function startWorker(name: string, taskQueue: string, artifacts: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, TEMPORAL_ADDRESS: env.address, ARES_TASK_QUEUE: taskQueue, ARES_ARTIFACTS: `file://${artifacts}`, ARES_WORKER_ID: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start polling within 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('polling')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
  return child;
}

test('kill -9 of the worker during collectMarketData: another worker finishes with the same dataset hash', async () => {
  await withTempDir(async (dir) => {
    const artifacts = join(dir, 'artifacts');
    const taskQueue = `kill-${randomUUID()}`;
    // Large enough that the activity is still running when the worker is killed (seconds of work).
    const input: TrainingPipelineInput = { collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1m', bars: 1_500_000, seed: 11 }, trigger: 'test', until: 'collectMarketData' };

    const first = await startWorker('worker-a', taskQueue, artifacts);
    const handle = await env.client.workflow.start('trainingPipeline', {
      taskQueue, workflowId: `kill-${randomUUID()}`, args: [input],
      typedSearchAttributes: [{ key: SYMBOL, value: 'BTCUSDT' }, { key: TRIGGER, value: 'test' }],
    });
    // Wait until worker-a has started the activity, then kill it without warning.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const pending = (await handle.describe()).raw.pendingActivities?.[0];
      if (pending?.lastWorkerIdentity === 'worker-a' && pending.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) break;
      if (Date.now() > deadline) throw new Error(`worker-a never started the activity: ${JSON.stringify(pending)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    first.kill('SIGKILL');
    const second = await startWorker('worker-b', taskQueue, artifacts);
    try {
      const result = (await handle.result()) as TrainingPipelineResult;

      const history = await handle.fetchHistory();
      const started = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!);
      const last = started[started.length - 1]!;
      expect(last.identity).toBe('worker-b');
      expect(last.attempt).toBeGreaterThanOrEqual(2);

      // The uninterrupted reference: the same request collected directly, in this process.
      await withTempDir(async (refDir) => {
        const reference = await collectMarketData(input.collect, { store: await LocalArtifactStore.create(refDir), tmpDir: refDir });
        expect(result.dataset.sha256).toBe(reference.sha256);
        expect(result.dataset.rows).toBe(1_500_000);
      });
      const manifest = await readDatasetManifest(await LocalArtifactStore.create(artifacts), result.dataset.key);
      expect(manifest.rows).toBe(1_500_000);
    } finally {
      second.kill('SIGTERM');
    }
  });
}, 180_000);
