import { ActivityFailure, ApplicationFailure, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities';
import type { StageStatus, TrainingPipelineInput, TrainingPipelineResult } from '../contracts';
import { DATASET_HASH } from '../searchAttributes';
import { NON_RETRYABLE_ERROR_TYPES, progressQuery } from './definitions';


const { collectMarketData } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  // A worker that dies is noticed within this time and the activity is retried elsewhere.
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
});

/**
 * The training pipeline. It grows stage by stage; today it runs step 1 (collectMarketData) and
 * lists only the stages it actually runs. Carries references, never data.
 */
export async function trainingPipeline(input: TrainingPipelineInput): Promise<TrainingPipelineResult> {
  const stages: StageStatus[] = [{ name: 'collectMarketData', state: 'pending' }];
  setHandler(progressQuery, () => ({ stages }));

  const dataset = await runStage(stages[0]!, () => collectMarketData(input.collect), (d) => `${d.rows} bars, sha256 ${d.sha256.slice(0, 12)}…`);
  upsertSearchAttributes([{ key: DATASET_HASH, value: dataset.sha256 }]);
  return { dataset, stages };
}

async function runStage<T>(stage: StageStatus, fn: () => Promise<T>, summarize: (t: T) => string): Promise<T> {
  stage.state = 'running';
  stage.startedAt = Date.now();
  try {
    const result = await fn();
    stage.state = 'completed';
    stage.summary = summarize(result);
    return result;
  } catch (err) {
    stage.state = 'failed';
    stage.error = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
      // Surface the activity's own message and type as the workflow's failure.
      throw ApplicationFailure.create({ message: `${stage.name}: ${err.cause.message}`, type: err.cause.type ?? undefined, nonRetryable: true, cause: err });
    }
    throw err;
  } finally {
    stage.endedAt = Date.now();
  }
}
