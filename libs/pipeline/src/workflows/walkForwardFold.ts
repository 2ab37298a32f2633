import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities';
import { trainingTaskQueue, type GovernorRun, type SearchRef, type WalkForwardFoldRef } from '../contracts';
import { activityOptions } from './retryPolicy';

export interface WalkForwardFoldInput {
  run: GovernorRun;
  /** The search whose best parameters every fold trains with (the final search; the coarse one when step 5 did not run). */
  search: SearchRef;
  fold: number;
  /** Task queue of the training activities. */
  taskQueue: string;
  /** Time budget of each activity over all its attempts (retryPolicy.ts). */
  retryBudgetMs?: number;
}

/**
 * One walk-forward fold (a child workflow of trainingPipeline, id `<run>-walkforward-fold<k>`): the
 * governor system retrained on the fold's training window, then its out-of-sample decisions. Each
 * fold is retried alone; a retried fold resumes from its units' checkpoints.
 */
export async function walkForwardFold(input: WalkForwardFoldInput): Promise<WalkForwardFoldRef> {
  // A killed worker is noticed within the heartbeat timeout; the work then resumes elsewhere from its checkpoints.
  const { trainWalkForwardFold } = proxyActivities<Activities>(activityOptions('training', input.retryBudgetMs, input.taskQueue || trainingTaskQueue(workflowInfo().taskQueue)));

  return trainWalkForwardFold({ run: input.run, search: input.search, fold: input.fold });
}
