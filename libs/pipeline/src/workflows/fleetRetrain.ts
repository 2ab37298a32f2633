import { ApplicationFailure, executeChild, setHandler } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { INTERVAL, SYMBOL, TRIGGER } from '../searchAttributes';
import type { CollectRequest } from '@ares/data';
import type { FleetRetrainInput, FleetRetrainResult, FleetRunSummary, StageStatus, TrainingPipelineResult } from '../contracts';
import { progressQuery } from './definitions';
import { pool } from './pool';
import { trainingPipeline } from './trainingPipeline';

/**
 * Fleet-wide retraining (what a schedule starts): one trainingPipeline child per symbol × interval,
 * at most `concurrency` at a time. A child that fails is recorded and the others go on. Each child's
 * id is `retrain-<symbol>-<interval>`, so two retrains of one market never run at once: a fleet that
 * finds one running (another fleet, or `ares schedule trigger`) records that market as skipped.
 */
export async function fleetRetrain(input: FleetRetrainInput): Promise<FleetRetrainResult> {
  if (input.markets.length === 0) throw ApplicationFailure.create({ message: 'fleetRetrain: markets is empty', type: 'InvalidInputError', nonRetryable: true });
  const stages: StageStatus[] = input.markets.map((m) => ({ name: `${m.symbol} ${m.interval}`, state: 'pending' }));
  setHandler(progressQuery, () => ({ stages }));
  const started = Date.now();
  // A schedule's firing collects up to its own time (workflow time: deterministic on replay).
  const window = input.lookbackMs !== undefined && input.collect.start === undefined ? { start: started - input.lookbackMs, end: started } : {};
  const runs = await pool(input.markets.map((m, i) => async (): Promise<FleetRunSummary> => {
    const stage = stages[i]!;
    const workflowId = `retrain-${m.symbol}-${m.interval}`;
    stage.state = 'running';
    stage.startedAt = Date.now();
    try {
      const r: TrainingPipelineResult = await executeChild(trainingPipeline, {
        workflowId,
        args: [{
          collect: { ...input.collect, ...window, symbol: m.symbol, interval: m.interval } as CollectRequest,
          trigger: input.trigger,
          ...(input.until ? { until: input.until } : {}),
          ...(input.governor ? { governor: input.governor } : {}),
          ...(input.targetSearch ? { targetSearch: input.targetSearch } : {}),
          ...(input.retryBudgetMs !== undefined ? { retryBudgetMs: input.retryBudgetMs } : {}),
        }],
        // Runs of one market share the id: the first one wins while it runs (none is terminated).
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: [{ key: SYMBOL, value: m.symbol }, { key: INTERVAL, value: m.interval }, { key: TRIGGER, value: input.trigger }],
      });
      stage.state = 'completed';
      const promoted = r.published?.promoted;
      stage.summary = promoted === undefined ? `completed (${r.stages.filter((s) => s.state === 'completed').length} stages)` : promoted ? 'promoted' : 'not promoted';
      return { ...m, workflowId, status: 'completed', ...(promoted !== undefined ? { promoted } : {}), reason: r.decision?.reasons.join('; ') ?? stage.summary, datasetSha256: r.dataset.sha256 };
    } catch (err) {
      const skipped = err instanceof WorkflowExecutionAlreadyStartedError;
      stage.state = skipped ? 'completed' : 'failed';
      const reason = skipped ? `skipped: a retrain of ${m.symbol} ${m.interval} (${workflowId}) is already running` : `failed: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`;
      if (skipped) stage.summary = reason;
      else stage.error = reason;
      return { ...m, workflowId, status: skipped ? 'skipped' : 'failed', reason };
    } finally {
      stage.endedAt = Date.now();
    }
  }), input.concurrency ?? 2);
  return {
    runs, seconds: (Date.now() - started) / 1000,
    completed: runs.filter((r) => r.status === 'completed').length,
    failed: runs.filter((r) => r.status === 'failed').length,
    skipped: runs.filter((r) => r.status === 'skipped').length,
    promoted: runs.filter((r) => r.promoted === true).length,
  };
}
