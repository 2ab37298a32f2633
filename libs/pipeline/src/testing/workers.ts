import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ArtifactStore } from '@ares/data';
import { createActivities } from '../activities/createActivities';
import { trainingTaskQueue } from '../contracts';

/**
 * Runs `fn` while this process serves `taskQueue` like an `apps/worker` process does: workflows and
 * light activities there, heavy training activities on its training queue (`trainingSlots` at a time).
 */
export async function withPipelineWorkers<T>(env: TestWorkflowEnvironment, options: { store: ArtifactStore; taskQueue: string; workflowBundle: WorkflowBundleWithSourceMap; trainingSlots?: number }, fn: () => Promise<T>): Promise<T> {
  const activities = createActivities({ store: options.store });
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: options.taskQueue, workflowBundle: options.workflowBundle, activities });
  const training = await Worker.create({ connection: env.nativeConnection, taskQueue: trainingTaskQueue(options.taskQueue), activities, maxConcurrentActivityTaskExecutions: options.trainingSlots ?? 2 });
  return worker.runUntil(() => training.runUntil(fn));
}
