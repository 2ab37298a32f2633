import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities';
import { trainingTaskQueue, type GovernorRun, type PruningRef, type SearchRef, type UnitRef } from '../contracts';
import { activityOptions } from './retryPolicy';

export interface RegimeEnsembleInput {
  run: GovernorRun;
  pruning: PruningRef;
  coarse: SearchRef;
  /** Regime name or POOLED. */
  ensemble: string;
  /** The ensemble's units: one per outer fold, and the final one. */
  units: string[];
  /** Task queue of the training activities. */
  taskQueue: string;
  /** Time budget of each activity over all its attempts (retryPolicy.ts). */
  retryBudgetMs?: number;
}

/**
 * One regime's ensemble (a child workflow of trainingPipeline, id `<run>-ensemble-<regime>`): its
 * units run in parallel on the training task queue, each retried by itself (a failed unit does not
 * redo the others, and resumes from its checkpoints).
 */
export async function regimeEnsemble(input: RegimeEnsembleInput): Promise<UnitRef[]> {
  // A killed worker is noticed within the heartbeat timeout; the work then resumes elsewhere from its checkpoints.
  const { trainEnsembleUnit } = proxyActivities<Activities>(activityOptions('training', input.retryBudgetMs, input.taskQueue || trainingTaskQueue(workflowInfo().taskQueue)));

  return Promise.all(input.units.map((unitId) => trainEnsembleUnit({ run: input.run, pruning: input.pruning, coarse: input.coarse, unitId })));
}
