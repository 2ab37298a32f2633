import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { LocalArtifactStore } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { workflowsPath, type TrainingPipelineInput, type TrainingPipelineResult } from '@ares/pipeline';
import { startTemporal, withPipelineWorkers } from '@ares/pipeline/testing';

test('probe', async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await startTemporal();
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  try {
    await withTempDir(async (dir) => {
      const store = await LocalArtifactStore.create(dir);
      const taskQueue = `q-${randomUUID()}`;
      const workflowId = `p-${randomUUID()}`;
      const input: TrainingPipelineInput = {
        collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 4000, seed: 21, signal: 1 }, trigger: 'test', until: 'governor',
        governor: { minRegimeRows: 150, coarseTrials: 2, finalTrials: 2, searchFolds: 2, baseModels: { lightgbm: { numIterations: 25 }, random_forest: { numIterations: 25 }, xgboost: { nEstimators: 25 } }, meta: { numIterations: 30 }, prune: { keepTop: 20 } },
      };
      const t0 = Date.now();
      const r = await withPipelineWorkers(env, { store, taskQueue, workflowBundle: bundle, trainingSlots: 2 }, () => env.client.workflow.execute('trainingPipeline', { taskQueue, workflowId, args: [input] }) as Promise<TrainingPipelineResult>);
      console.log('total', Date.now() - t0, JSON.stringify(r.plan!.regimes), r.plan!.ensembles, JSON.stringify(r.plan!.units));
      for (const s of r.stages) console.log(JSON.stringify(s));
      for (const e of r.plan!.ensembles) {
        const h = await env.client.workflow.getHandle(`${workflowId}-ensemble-${e}`).fetchHistory();
        const sched = new Map<string, number>();
        for (const ev of h.events!) {
          const t = Number(ev.eventTime!.seconds) * 1000 + Math.round((ev.eventTime!.nanos ?? 0) / 1e6);
          if (ev.activityTaskStartedEventAttributes) sched.set(String(ev.activityTaskStartedEventAttributes.scheduledEventId), t);
          if (ev.activityTaskCompletedEventAttributes) console.log(e, 'unit took', t - sched.get(String(ev.activityTaskCompletedEventAttributes.scheduledEventId))!);
        }
      }
    });
  } finally {
    await env.teardown();
  }
}, 300_000);
