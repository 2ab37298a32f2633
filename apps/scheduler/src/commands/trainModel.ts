import { createArtifactStore } from '@ares/data';
import { connectClient, INTERVAL, SYMBOL, temporalConfigFromEnv, TRIGGER, type TrainModelInput, type TrainModelResult } from '@ares/pipeline';
import { CliError, retryBudgetMs, UsageError } from '../format';
import { buildCollectRequest, type SourceOptions } from './collectRequest';
import { degenerateWarnings } from '../report/degenerate';
import { progressMode, watchProgress } from './progress';

export interface TrainModelOptions extends SourceOptions {
  model: string;
  trainRatio?: string;
  skipTuning?: boolean;
  features?: string[];
  trials?: string;
  balance?: string;
  workflowId?: string;
  /** Time budget of each activity over its retries, e.g. '6h' (else ARES_RETRY_BUDGET, else the workflows' 6 hours). */
  retryBudget?: string;
  /** JSON lines on stdout: `started`, `progress` per change, then `result` (the workflow's result). */
  json?: boolean;
}

/** `ares train-model`: starts the trainModel workflow, follows it, prints metrics and the bundle. */
export async function trainModelCommand(o: TrainModelOptions, print: (line: string) => void = console.log, stdout: { isTTY?: boolean } = process.stdout): Promise<TrainModelResult> {
  const mode = progressMode(o, stdout);
  // With --json only JSON lines reach stdout.
  const out = mode === 'json' ? () => undefined : print;
  const trainRatio = o.trainRatio === undefined ? undefined : Number(o.trainRatio);
  if (trainRatio !== undefined && !(trainRatio > 0 && trainRatio < 1)) throw new UsageError(`--train-ratio must be in (0, 1); got '${o.trainRatio}'`);
  if (o.balance && !['none', 'undersample', 'smote'].includes(o.balance)) throw new UsageError(`--balance must be none, undersample or smote; got '${o.balance}'`);
  const trials = o.trials === undefined ? undefined : Number(o.trials);
  if (trials !== undefined && !(Number.isInteger(trials) && trials > 0)) throw new UsageError(`--trials must be a positive integer; got '${o.trials}'`);
  const budget = retryBudgetMs(o.retryBudget);
  const config = temporalConfigFromEnv();
  const store = await createArtifactStore();
  const collect = await buildCollectRequest(o, store).finally(() => store.close());
  const input: TrainModelInput = {
    collect, trigger: 'manual', model: o.model,
    ...(trainRatio !== undefined ? { trainRatio } : {}),
    ...(o.skipTuning ? { skipTuning: true } : {}),
    ...(o.features?.length ? { features: o.features } : {}),
    ...(trials !== undefined ? { tuning: { trials } } : {}),
    ...(o.balance ? { balance: o.balance as TrainModelInput['balance'] } : {}),
    ...(budget !== undefined ? { retryBudgetMs: budget } : {}),
  };
  const client = await connectClient(config);
  try {
    const workflowId = o.workflowId ?? `train-model-${o.model}-${collect.symbol}-${collect.interval}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const handle = await client.workflow.start('trainModel', {
      taskQueue: config.taskQueue, workflowId, args: [input],
      typedSearchAttributes: [{ key: SYMBOL, value: collect.symbol }, { key: INTERVAL, value: collect.interval }, { key: TRIGGER, value: 'manual' }],
    });
    out(`started ${workflowId} (run ${handle.firstExecutionRunId})`);
    const webUi = `${config.uiUrl}/namespaces/${config.namespace}/workflows/${workflowId}/${handle.firstExecutionRunId}/history`;
    out(`web ui  ${webUi}`);
    if (mode === 'json') print(JSON.stringify({ event: 'started', workflowId, runId: handle.firstExecutionRunId, webUi }));
    const stop = watchProgress(handle, { mode, out: print, title: `ares train-model ${workflowId}` });
    let r: TrainModelResult;
    try {
      r = (await handle.result()) as TrainModelResult;
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause;
      throw new CliError(`run ${workflowId} failed: ${cause?.message ?? (err as Error).message}`, 1);
    } finally {
      await stop();
    }
    if (mode === 'json') print(JSON.stringify({ event: 'result', workflowId, runId: handle.firstExecutionRunId, result: r }));
    out('');
    out(`model    ${o.model} on ${r.split.columns} features; train ${r.split.train} / valid ${r.split.valid} / test ${r.split.test} rows (${r.split.purged} purged, ${r.split.dropped.total} dropped in cleaning)`);
    if (r.trials.length) out(`tuning   ${r.trials.length} trials (purged K-fold on the training rows); best params ${JSON.stringify(r.bestParams)}`);
    out(`test     accuracy ${r.metrics.accuracy.toFixed(4)}, macro F1 ${r.metrics.macroF1.toFixed(4)}, log loss ${r.metrics.logLoss.toFixed(4)} on ${r.metrics.testRows} rows`);
    const predicted = r.metrics.predictedCounts?.flatMap((n, c) => Array<number>(n).fill(c - 1));
    for (const w of degenerateWarnings({
      ...(r.metrics.balancedAccuracy !== undefined ? { balancedAccuracy: r.metrics.balancedAccuracy, rows: r.metrics.testRows } : {}),
      ...(predicted ? { predicted } : {}),
      ...(r.fit && o.model !== 'lstm' ? r.fit : {}),
    })) out(`WARNING  ${o.model}: ${w}`);
    out(`bundle   ${r.bundleKey}`);
    out(`metrics  ${r.metrics.metricsKey}`);
    return r;
  } finally {
    await client.connection.close();
  }
}
