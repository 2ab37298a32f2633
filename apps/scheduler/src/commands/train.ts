import { createArtifactStore } from '@ares/data';
import {
  connectClient,
  INTERVAL,
  PIPELINE_STAGES,
  PIPELINE_TASK_QUEUE,
  SYMBOL,
  temporalConfigFromEnv,
  TRIGGER,
  type PipelineStage,
  type TrainingPipelineInput,
  type TrainingPipelineResult,
  type Trigger,
} from '@ares/pipeline';
import { CliError, iso } from '../format';
import { buildCollectRequest, type SourceOptions } from './collectRequest';
import { watchProgress } from './progress';

export interface TrainOptions extends SourceOptions {
  trigger: string;
  wait: boolean;
  workflowId?: string;
  /** Stop after this stage. */
  until?: string;
  trainRatio?: string;
}

/** Starts trainingPipeline, shows live progress per stage, prints the run id, dataset reference and Web UI link. */
export async function train(o: TrainOptions, out: (line: string) => void = console.log): Promise<TrainingPipelineResult | undefined> {
  if (!['manual', 'schedule', 'test'].includes(o.trigger)) throw new CliError(`--trigger must be manual, schedule or test; got '${o.trigger}'`);
  if (o.until && !(PIPELINE_STAGES as readonly string[]).includes(o.until)) throw new CliError(`--until must be one of ${PIPELINE_STAGES.join(', ')}; got '${o.until}'`);
  const trainRatio = o.trainRatio === undefined ? undefined : Number(o.trainRatio);
  if (trainRatio !== undefined && !(trainRatio > 0 && trainRatio < 1)) throw new CliError(`--train-ratio must be in (0, 1); got '${o.trainRatio}'`);
  const config = temporalConfigFromEnv();
  const store = await createArtifactStore();
  const collect = await buildCollectRequest(o, store).finally(() => store.close());
  const client = await connectClient(config);
  try {
    const input: TrainingPipelineInput = {
      collect, trigger: o.trigger as Trigger,
      ...(o.until ? { until: o.until as PipelineStage } : {}),
      ...(trainRatio !== undefined ? { trainRatio } : {}),
    };
    const workflowId = o.workflowId ?? `train-${collect.symbol}-${collect.interval}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const handle = await client.workflow.start('trainingPipeline', {
      taskQueue: PIPELINE_TASK_QUEUE,
      workflowId,
      args: [input],
      typedSearchAttributes: [
        { key: SYMBOL, value: collect.symbol },
        { key: INTERVAL, value: collect.interval },
        { key: TRIGGER, value: o.trigger },
      ],
    });
    const link = `${config.uiUrl}/namespaces/${config.namespace}/workflows/${workflowId}/${handle.firstExecutionRunId}/history`;
    out(`started ${workflowId} (run ${handle.firstExecutionRunId})`);
    out(`web ui  ${link}`);
    if (!o.wait) return undefined;

    const stop = watchProgress(handle, out);
    let result: TrainingPipelineResult;
    try {
      result = (await handle.result()) as TrainingPipelineResult;
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause;
      throw new CliError(`run ${workflowId} failed: ${cause?.message ?? (err as Error).message}\n  see ${link}`, 1);
    } finally {
      await stop();
    }
    const d = result.dataset;
    out('');
    out(`run      ${workflowId} / ${handle.firstExecutionRunId}`);
    out(`dataset  ${d.key}`);
    out(`         sha256 ${d.sha256}`);
    out(`         ${d.rows} bars ${d.symbol} ${d.interval}, ${iso(d.start)} .. ${iso(d.end)}`);
    if (result.targets) {
      const t = result.targets;
      out(`targets  tp ${t.params.tpMult} ATR, sl ${t.params.slMult} ATR, ${t.params.holdingBars} bars (best of ${t.candidates}, training window to ${iso(t.trainEnd)})`);
      out(`         ${t.key}`);
    }
    if (result.features) {
      const f = result.features;
      out(`features ${f.columns} columns × ${f.rows} rows, ${f.labelledRows} labelled; ${f.key}`);
      out(`         inspect: ares features inspect ${f.sha256.slice(0, 16)}`);
    }
    out('stages');
    for (const s of result.stages) out(`  ${s.name.padEnd(22)} ${s.state} in ${(((s.endedAt ?? 0) - (s.startedAt ?? 0)) / 1000).toFixed(1)} s${s.summary ? `: ${s.summary}` : ''}`);
    out(`web ui   ${link}`);
    return result;
  } finally {
    await client.connection.close();
  }
}

