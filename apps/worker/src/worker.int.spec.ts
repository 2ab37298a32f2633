/**
 * A run whose worker is killed with SIGKILL during collectMarketData completes on another worker
 * process, with the same dataset hash as an uninterrupted run.
 *
 * Real processes: two `apps/worker` processes against the Temporal dev server. The second one
 * picks the activity up after the heartbeat timeout (15 s) expires.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { collectMarketData, LocalArtifactStore, readDatasetManifest } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { SYMBOL, TRIGGER, type TrainingPipelineInput, type TrainingPipelineResult } from '@ares/pipeline';
import { startTemporal } from '@ares/pipeline/testing';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from './testing';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTemporal();
});
afterAll(async () => {
  await env?.teardown();
});

function startWorker(name: string, taskQueue: string, artifacts: string): Promise<WorkerProcess> {
  return startWorkerProcess(name, { temporalAddress: env.address, taskQueue, artifacts });
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
    first.child.kill('SIGKILL');
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
      await stopWorkerProcess(second);
    }
  });
}, 180_000);
