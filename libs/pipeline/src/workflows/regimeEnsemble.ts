import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities';
import { trainingTaskQueue, type GovernorRun, type PruningRef, type SearchRef, type UnitRef } from '../contracts';
import { NON_RETRYABLE_ERROR_TYPES } from './definitions';

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
}

/**
 * One regime's ensemble (a child workflow of trainingPipeline, id `<run>-ensemble-<regime>`): its
 * units run in parallel on the training task queue, each retried by itself (a failed unit does not
 * redo the others, and resumes from its checkpoints).
 */
export async function regimeEnsemble(input: RegimeEnsembleInput): Promise<UnitRef[]> {
  const { trainEnsembleUnit } = proxyActivities<Activities>({
    taskQueue: input.taskQueue || trainingTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '4 hours',
    // A killed worker is noticed within this time; the unit then resumes elsewhere from its checkpoints.
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
  });
  return Promise.all(input.units.map((unitId) => trainEnsembleUnit({ run: input.run, pruning: input.pruning, coarse: input.coarse, unitId })));
}
