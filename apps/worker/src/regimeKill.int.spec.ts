/**
 * A run whose worker is killed with SIGKILL in the middle of one regime ensemble's unit completes
 * on the other worker process, the unit resuming from its checkpoints, and its governor bundle is
 * byte for byte the bundle of an uninterrupted run of the same input.
 *
 * Real processes: two `apps/worker` processes (one training slot each) on run A's queue and a third
 * on the reference run's queue and artifacts dir, against the Temporal dev server. The killed
 * unit is retried after its heartbeat timeout (10 s) expires.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { LocalArtifactStore, type ArtifactStore } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { SYMBOL, TRIGGER, type TrainingPipelineInput, type TrainingPipelineResult, type UnitRef } from '@ares/pipeline';
import { SMALL_GOVERNOR, startTemporal } from '@ares/pipeline/testing';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from './testing';

// The run key hashes the code version (git HEAD by default); pinned so that both runs share one
// run prefix even if HEAD moves while the test runs.
const CODE_VERSION = 'regime-kill-test';
const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTemporal();
});
afterAll(async () => {
  await env?.teardown();
});

/** A worker process with one training slot and the pinned code version. */
function startWorker(name: string, taskQueue: string, artifacts: string): Promise<WorkerProcess> {
  return startWorkerProcess(name, { temporalAddress: env.address, taskQueue, artifacts, env: { ARES_TRAINING_SLOTS: '1', ARES_CODE_VERSION: CODE_VERSION } });
}

/** The JSON value of a payload written by the default (json/plain) payload converter. */
function payloadJson<T>(payload: temporal.api.common.v1.IPayload | undefined): T {
  return JSON.parse(Buffer.from(payload!.data!).toString()) as T;
}

interface RunningUnit {
  childId: string;
  activityId: string;
  unitId: string;
  prefix: string;
  checkpoints: string[];
}

/**
 * A trainEnsembleUnit activity `identity` is running, among the parent's child workflows, with at
 * least one checkpoint written; undefined if there is none right now.
 */
async function runningUnitWithCheckpoint(parent: WorkflowHandle, store: ArtifactStore, identity: string): Promise<RunningUnit | undefined> {
  const children = (await parent.describe()).raw.pendingChildren ?? [];
  for (const { workflowId: childId } of children) {
    const child = env.client.workflow.getHandle(childId!);
    const pending = (await child.describe()).raw.pendingActivities ?? [];
    const mine = pending.find((a) => a.lastWorkerIdentity === identity && a.state === STARTED && a.activityType?.name === 'trainEnsembleUnit');
    if (mine === undefined) continue;
    const scheduled = (await child.fetchHistory()).events!.find((e) => e.activityTaskScheduledEventAttributes?.activityId === mine.activityId)!;
    const req = payloadJson<{ run: { prefix: string }; unitId: string }>(scheduled.activityTaskScheduledEventAttributes!.input!.payloads![0]);
    const checkpoints = await store.list(`${req.run.prefix}/checkpoints/${req.unitId}/`);
    if (checkpoints.length > 0) return { childId: childId!, activityId: mine.activityId!, unitId: req.unitId, prefix: req.run.prefix, checkpoints };
  }
  return undefined;
}

/** How the activity `activityId` of workflow `childId` ended: its last attempt, the worker that ran it, the failure before it. */
async function lastAttempt(childId: string, activityId: string) {
  const events = (await env.client.workflow.getHandle(childId).fetchHistory()).events!;
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityId === activityId)!;
  const started = events.find((e) => e.activityTaskStartedEventAttributes && Number(e.activityTaskStartedEventAttributes.scheduledEventId) === Number(scheduled.eventId))!.activityTaskStartedEventAttributes!;
  return { attempt: started.attempt!, identity: started.identity!, lastFailure: started.lastFailure };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The first JSON path where `a` and `b` differ, with both values; undefined if they are equal. */
function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Object.is(a, b) ? undefined : `${path}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

/** Every file under `prefix` in `a` and `b`, by sha256; a differing file is named with its first differing JSON field. */
async function compareTrees(a: ArtifactStore, b: ArtifactStore, prefix: string): Promise<{ files: number; differences: string[] }> {
  const [keysA, keysB] = await Promise.all([a.list(prefix), b.list(prefix)]);
  expect(keysA).toEqual(keysB);
  const differences: string[] = [];
  for (const key of keysA) {
    const [bytesA, bytesB] = await Promise.all([a.get(key), b.get(key)]);
    if (sha256(bytesA) === sha256(bytesB)) continue;
    const field = key.endsWith('.json') ? firstDifference(JSON.parse(Buffer.from(bytesA).toString()), JSON.parse(Buffer.from(bytesB).toString())) : undefined;
    differences.push(`${key}: sha256 ${sha256(bytesA).slice(0, 12)} (killed run) vs ${sha256(bytesB).slice(0, 12)} (uninterrupted)${field ? `; first difference at ${field}` : ''}`);
  }
  return { files: keysA.length, differences };
}

test('kill -9 of a worker during one regime ensemble unit: the run completes, the unit resumes from its checkpoints, and the bundle equals an uninterrupted run\'s', async () => {
  await withTempDir(async (dir) => {
    const artifactsA = join(dir, 'a');
    const artifactsB = join(dir, 'b');
    const storeA = await LocalArtifactStore.create(artifactsA);
    const storeB = await LocalArtifactStore.create(artifactsB);
    // Small models (SMALL_GOVERNOR); a unit is 13 fits of ~0.5 s
    // (9 checkpointed out-of-fold fits, the meta-learner, 3 final fits), seconds after its first checkpoint.
    const input: TrainingPipelineInput = {
      collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 4000, seed: 21, signal: 1 },
      trigger: 'test',
      until: 'governor',
      governor: { ...SMALL_GOVERNOR, seed: 7 },
    };
    const queueA = `regime-kill-${randomUUID()}`;
    const queueB = `regime-ref-${randomUUID()}`;
    const workers = await Promise.all([startWorker('worker-a', queueA, artifactsA), startWorker('worker-b', queueA, artifactsA), startWorker('worker-ref', queueB, artifactsB)]);
    const workerA = workers[0]!;
    try {
      const start = (taskQueue: string) => env.client.workflow.start('trainingPipeline', {
        taskQueue, workflowId: `${taskQueue}-run`, args: [input],
        typedSearchAttributes: [{ key: SYMBOL, value: 'BTCUSDT' }, { key: TRIGGER, value: 'test' }],
      });
      // The uninterrupted reference runs alongside, on its own queue, worker and artifacts dir.
      const [handle, reference] = await Promise.all([start(queueA), start(queueB)]);

      // Wait until worker-a is in the middle of a unit (a checkpoint written, so the retry must resume), then kill it.
      let victim: RunningUnit | undefined;
      const deadline = Date.now() + 150_000;
      while (victim === undefined) {
        if (Date.now() > deadline) throw new Error(`worker-a never ran a trainEnsembleUnit with a checkpoint written; stages: ${JSON.stringify((await handle.query('progress')) ?? null)}`);
        victim = await runningUnitWithCheckpoint(handle, storeA, 'worker-a');
        if (victim === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      const killed = new Promise((resolve) => workerA.child.once('exit', resolve));
      workerA.child.kill('SIGKILL');
      await killed;

      const result = (await handle.result()) as TrainingPipelineResult;
      expect(result.stages.map((s) => s.state)).toEqual(result.stages.map(() => 'completed'));

      // The killed unit ran again on worker-b after worker-a's heartbeats stopped, and resumed from the checkpoints.
      const last = await lastAttempt(victim.childId, victim.activityId);
      if (last.attempt === 1) throw new Error(`the window was missed: unit ${victim.unitId} completed on ${last.identity} in its first attempt (worker-a killed with ${victim.checkpoints.length} checkpoint(s) written)`);
      expect(last.identity).toBe('worker-b');
      expect(last.attempt).toBeGreaterThanOrEqual(2);
      expect(last.lastFailure?.timeoutFailureInfo?.timeoutType).toBe(temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
      const units = (await env.client.workflow.getHandle(victim.childId).result()) as UnitRef[];
      const unit = units.find((u) => u.id === victim.unitId)!;
      expect(unit.resumedSteps).toBeGreaterThanOrEqual(victim.checkpoints.length);

      // Same input, same seed: the same run prefix, the same scores, and the same bundle, file for file.
      const expected = (await reference.result()) as TrainingPipelineResult;
      expect(result.run!.prefix).toBe(expected.run!.prefix);
      expect(result.governor!.bundleKey).toBe(expected.governor!.bundleKey);
      const bundle = await compareTrees(storeA, storeB, `${result.run!.prefix}/bundle/`);
      expect(bundle.differences).toEqual([]);
      expect(sha256(await storeA.get(unit.probaKey))).toBe(sha256(await storeB.get(unit.probaKey)));
      expect(result.governor!.scores).toEqual(expected.governor!.scores);
      const manifest = JSON.parse(Buffer.from(await storeA.get(result.governor!.bundleKey)).toString()) as { ensembles: unknown[] };
      expect(bundle.files).toBe(manifest.ensembles.length + 2);
      console.log(`killed worker-a in unit ${victim.unitId} with ${victim.checkpoints.length} checkpoint(s); attempt ${last.attempt} on ${last.identity} resumed ${unit.resumedSteps} fit(s); ${bundle.files} bundle files identical`);
    } catch (error) {
      for (const w of workers) console.error(`--- ${w.name} output ---\n${w.output().slice(-2000)}`);
      throw error;
    } finally {
      await Promise.all(workers.map(stopWorkerProcess));
    }
  });
}, 300_000);
