/**
 * trainModel on real services (Temporal dev server, DuckDB, the native libraries): features via the
 * child pipeline → load and split → tune (purged K-fold trials) → train → evaluate → save; the
 * saved bundle loads and predicts exactly as evaluated; bad input fails once, non-retryably.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { LocalArtifactStore } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { loadBundle, loadModel } from '@ares/models';
import { createActivities } from '../activities/createActivities';
import type { TrainModelInput, TrainModelResult } from '../contracts';
import { startTemporal } from '../testing';
import { workflowsPath } from '../workflowsPath';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  [env, bundle] = await Promise.all([startTemporal(), bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') })]);
});
afterAll(async () => {
  await env?.teardown();
});

async function run(store: LocalArtifactStore, input: TrainModelInput, workflowId = `tm-${randomUUID()}`): Promise<TrainModelResult> {
  const taskQueue = `q-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: createActivities({ store }) });
  return worker.runUntil(env.client.workflow.execute('trainModel', { taskQueue, workflowId, args: [input] }) as Promise<TrainModelResult>);
}

const collect = { source: 'synthetic' as const, symbol: 'BTCUSDT', interval: '1h' as const, bars: 3000, seed: 7, signal: 1 };

test('xgboost with a 2-trial purged search: every stage runs, and the bundle reloads with its metrics and lineage', async () => {
  await withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(dir);
    const r = await run(store, { collect, trigger: 'test', model: 'xgboost', tuning: { trials: 2, folds: 2, concurrency: 2 }, params: { nEstimators: 60, nthread: 1 } });
    expect(r.stages.map((s) => [s.name, s.state])).toEqual(['features', 'loadAndSplit', 'tune', 'train', 'evaluate', 'save'].map((n) => [n, 'completed']));
    expect(r.trials).toHaveLength(2);
    for (const t of r.trials) expect(t.scores).toHaveLength(2);
    expect(r.bestParams).toEqual(r.trials.reduce((a, b) => (b.mean > a.mean ? b : a)).params);
    expect(r.split.train + r.split.valid + r.split.test).toBeLessThanOrEqual(r.split.rowsRead);
    expect(r.metrics.testRows).toBe(r.split.test);

    const { manifest, saved } = await loadBundle(store, r.bundleKey);
    expect(manifest).toMatchObject({ type: 'xgboost', symbol: 'BTCUSDT', interval: '1h', seed: 42, library: { name: 'xgboost' } });
    expect(manifest.features.original.length).toBe(r.split.columns);
    expect(manifest.scaler!.mean).toHaveLength(r.split.columns);
    expect((manifest.metrics as { accuracy: number }).accuracy).toBe(r.metrics.accuracy);
    expect(manifest.lineage).toMatchObject({ features: { key: r.features.key } });
    const model = await loadModel(saved);
    model.dispose();
  });
});

test('lightgbm with tuning skipped runs features → split → train → evaluate → save', async () => {
  await withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(dir);
    const r = await run(store, { collect, trigger: 'test', model: 'lightgbm', skipTuning: true, params: { numIterations: 50, numThreads: 1 } });
    expect(r.stages.map((s) => s.name)).toEqual(['features', 'loadAndSplit', 'train', 'evaluate', 'save']);
    expect(r.trials).toEqual([]);
    expect((await loadBundle(store, r.bundleKey)).manifest.type).toBe('lightgbm');
  });
});

test.each([
  ['an unknown model type', { model: 'catboost' }, 'UnknownModelTypeError', /unknown model type 'catboost'/],
  ['train_ratio outside (0, 1)', { model: 'xgboost', trainRatio: 1.5 }, 'InvalidInputError', /trainRatio 1.5/],
])('%s fails once, non-retryably, naming the value', async (_name, patch, type, message) => {
  await withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(dir);
    const err = await run(store, { collect, trigger: 'test', skipTuning: true, ...patch } as TrainModelInput).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as { message: string; type?: string };
    expect(cause.message).toMatch(message);
    expect(cause.type).toBe(type);
    expect(await store.list('models/')).toEqual([]);
    if (type === 'UnknownModelTypeError') expect(await store.list('')).toEqual([]); // rejected before any data work
  });
});
