import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities';
import { trainingTaskQueue, type GovernorRun, type SearchRef, type WalkForwardFoldRef } from '../contracts';
import { NON_RETRYABLE_ERROR_TYPES } from './definitions';

export interface WalkForwardFoldInput {
  run: GovernorRun;
  /** The search whose best parameters every fold trains with (the final search; the coarse one when step 5 did not run). */
  search: SearchRef;
  fold: number;
  /** Task queue of the training activities. */
  taskQueue: string;
}

/**
 * One walk-forward fold (a child workflow of trainingPipeline, id `<run>-walkforward-fold<k>`): the
 * governor system retrained on the fold's training window, then its out-of-sample decisions. Each
 * fold is retried alone; a retried fold resumes from its units' checkpoints.
 */
export async function walkForwardFold(input: WalkForwardFoldInput): Promise<WalkForwardFoldRef> {
  const { trainWalkForwardFold } = proxyActivities<Activities>({
    taskQueue: input.taskQueue || trainingTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '4 hours',
    // A killed worker is noticed within this time; the fold then resumes elsewhere from its checkpoints.
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
  });
  return trainWalkForwardFold({ run: input.run, search: input.search, fold: input.fold });
}
