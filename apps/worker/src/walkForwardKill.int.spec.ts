/**
 * A run whose worker is killed with SIGKILL in the middle of a walk-forward fold completes on the
 * other worker process, the fold resuming from its units' checkpoints, and its walk-forward
 * results — every fold's out-of-sample decisions and probabilities, the backtest returns, the
 * trades — are byte for byte those of an uninterrupted run of the same input.
 *
 * Real processes: two `apps/worker` processes (one training slot each) on run A's queue and a
 * third on the reference run's queue and artifacts dir, against the Temporal dev server. The
 * killed fold is retried after its heartbeat timeout (10 s) expires.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { LocalArtifactStore, type ArtifactStore } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { SYMBOL, TRIGGER, type TrainingPipelineInput, type TrainingPipelineResult, type WalkForwardFoldRef } from '@ares/pipeline';
import { startTemporal, SMALL_VALIDATION_GOVERNOR } from '@ares/pipeline/testing';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from './testing';

const CODE_VERSION = 'walkforward-kill-test';
const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTemporal();
});
afterAll(async () => {
  await env?.teardown();
});

function startWorker(name: string, taskQueue: string, artifacts: string): Promise<WorkerProcess> {
  return startWorkerProcess(name, { temporalAddress: env.address, taskQueue, artifacts, env: { ARES_TRAINING_SLOTS: '1', ARES_CODE_VERSION: CODE_VERSION } });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface RunningFold {
  childId: string;
  activityId: string;
  fold: number;
  checkpoints: string[];
}

/** A trainWalkForwardFold activity `identity` is running with at least one unit checkpoint written. */
async function runningFoldWithCheckpoint(parent: WorkflowHandle, store: ArtifactStore, identity: string): Promise<RunningFold | undefined> {
  const children = (await parent.describe()).raw.pendingChildren ?? [];
  for (const { workflowId: childId } of children) {
    if (!childId?.includes('-walkforward-fold')) continue;
    const child = env.client.workflow.getHandle(childId);
    const pending = (await child.describe()).raw.pendingActivities ?? [];
    const mine = pending.find((a) => a.lastWorkerIdentity === identity && a.state === STARTED && a.activityType?.name === 'trainWalkForwardFold');
    if (mine === undefined) continue;
    const scheduled = (await child.fetchHistory()).events!.find((e) => e.activityTaskScheduledEventAttributes?.activityId === mine.activityId)!;
    const req = JSON.parse(Buffer.from(scheduled.activityTaskScheduledEventAttributes!.input!.payloads![0]!.data!).toString()) as { run: { prefix: string }; fold: number };
    const checkpoints = await store.list(`${req.run.prefix}/walkforward/fold${req.fold}/units/`);
    if (checkpoints.length > 0) return { childId, activityId: mine.activityId!, fold: req.fold, checkpoints };
  }
  return undefined;
}

test('kill -9 of a worker during a walk-forward fold: the run completes with results identical to an uninterrupted run', async () => {
  await withTempDir(async (dir) => {
    const [artifactsA, artifactsB] = [join(dir, 'a'), join(dir, 'b')];
    const [storeA, storeB] = [await LocalArtifactStore.create(artifactsA), await LocalArtifactStore.create(artifactsB)];
    const input: TrainingPipelineInput = {
      collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 4000, seed: 23, signal: 0.5, edge: 1 },
      trigger: 'test',
      until: 'walkForward',
      governor: { ...SMALL_VALIDATION_GOVERNOR, seed: 9 },
    };
    const queueA = `wf-kill-${randomUUID()}`;
    const queueB = `wf-ref-${randomUUID()}`;
    const workers = await Promise.all([startWorker('worker-a', queueA, artifactsA), startWorker('worker-b', queueA, artifactsA), startWorker('worker-ref', queueB, artifactsB)]);
    const workerA = workers[0]!;
    try {
      const start = (taskQueue: string) => env.client.workflow.start('trainingPipeline', {
        taskQueue, workflowId: `${taskQueue}-run`, args: [input],
        typedSearchAttributes: [{ key: SYMBOL, value: 'BTCUSDT' }, { key: TRIGGER, value: 'test' }],
      });
      const [handle, reference] = await Promise.all([start(queueA), start(queueB)]);

      let victim: RunningFold | undefined;
      const deadline = Date.now() + 400_000;
      while (victim === undefined) {
        if (Date.now() > deadline) throw new Error(`worker-a never ran a walk-forward fold with a unit checkpoint written; stages: ${JSON.stringify((await handle.query('progress')) ?? null)}`);
        victim = await runningFoldWithCheckpoint(handle, storeA, 'worker-a');
        if (victim === undefined) await new Promise((r) => setTimeout(r, 200));
      }
      const killed = new Promise((resolve) => workerA.child.once('exit', resolve));
      workerA.child.kill('SIGKILL');
      await killed;

      const result = (await handle.result()) as TrainingPipelineResult;
      expect(result.stages.map((s) => s.state)).toEqual(result.stages.map(() => 'completed'));
      const fold = ((await env.client.workflow.getHandle(victim.childId).result()) as WalkForwardFoldRef);
      expect(fold.worker).toBe('worker-b');
      expect(fold.attempt).toBeGreaterThanOrEqual(2);

      const expected = (await reference.result()) as TrainingPipelineResult;
      expect(result.run!.prefix).toBe(expected.run!.prefix);
      expect(result.walkForward!.metrics).toEqual(expected.walkForward!.metrics);
      const keys = (await storeB.list(`${expected.run!.prefix}/walkforward/`)).filter((k) => !k.includes('/units/') && !k.endsWith('walkforward.json'));
      const differing: string[] = [];
      for (const key of keys) if (sha256(await storeA.get(key)) !== sha256(await storeB.get(key))) differing.push(key);
      expect(differing).toEqual([]);
      console.log(`killed worker-a in walk-forward fold ${victim.fold} with ${victim.checkpoints.length} unit checkpoint(s); attempt ${fold.attempt} on ${fold.worker}; ${keys.length} walk-forward files identical; OOS Sharpe ${result.walkForward!.metrics.sharpe}`);
    } catch (error) {
      for (const w of workers) console.error(`--- ${w.name} output ---\n${w.output().slice(-2000)}`);
      throw error;
    } finally {
      await Promise.all(workers.map(stopWorkerProcess));
    }
  });
}, 900_000);
