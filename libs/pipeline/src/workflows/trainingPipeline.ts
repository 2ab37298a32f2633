import { ApplicationFailure, patched, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities';
import { PIPELINE_STAGES, type StageStatus, type TrainingPipelineInput, type TrainingPipelineResult } from '../contracts';
import { DATASET_HASH } from '../searchAttributes';
import { NON_RETRYABLE_ERROR_TYPES, progressQuery } from './definitions';
import { runStage } from './runStage';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES };

const { collectMarketData, optimizeTargetParams, buildFeatures } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  // A worker that dies is noticed within this time and the activity is retried elsewhere.
  heartbeatTimeout: '15 seconds',
  retry,
});

/**
 * The training pipeline. It grows stage by stage and lists only the stages it actually runs:
 * 1 collectMarketData → 2 optimizeTargetParams → 3 buildFeatures. Carries references, never data.
 */
export async function trainingPipeline(input: TrainingPipelineInput): Promise<TrainingPipelineResult> {
  // Runs started before the feature stages existed stopped after step 1; `patched` keeps their
  // histories replayable (see histories/ and replay.spec.ts).
  const withFeatures = patched('features-stages-v1');
  const last = withFeatures ? PIPELINE_STAGES.indexOf(input.until ?? 'buildFeatures') : 0;
  if (last < 0) throw ApplicationFailure.create({ message: `until '${input.until}' is not a stage; stages: ${PIPELINE_STAGES.join(', ')}`, type: 'InvalidInputError', nonRetryable: true });
  const stages: StageStatus[] = PIPELINE_STAGES.slice(0, last + 1).map((name) => ({ name, state: 'pending' }));
  setHandler(progressQuery, () => ({ stages }));

  const dataset = await runStage(stages[0]!, () => collectMarketData(input.collect), (d) => `${d.rows} bars, sha256 ${d.sha256.slice(0, 12)}…`);
  upsertSearchAttributes([{ key: DATASET_HASH, value: dataset.sha256 }]);
  if (stages.length === 1) return { dataset, stages };

  const targets = await runStage(stages[1]!, () => optimizeTargetParams({ dataset, trainRatio: input.trainRatio ?? 0.8, search: input.targetSearch ?? {} }),
    (t) => `tp ${t.params.tpMult} / sl ${t.params.slMult} ATR, ${t.params.holdingBars} bars (best of ${t.candidates})`);
  if (stages.length === 2) return { dataset, targets, stages };
  const features = await runStage(stages[2]!, () => buildFeatures({ dataset, targets, ...(input.featureSet ? { featureSet: input.featureSet } : {}) }),
    (f) => `${f.columns} features × ${f.rows} rows, ${f.labelledRows} labelled`);
  return { dataset, targets, features, stages };
}
