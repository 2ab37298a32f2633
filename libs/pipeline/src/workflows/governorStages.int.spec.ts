/**
 * Steps 3–5 on real services (Temporal dev server, DuckDB, the native libraries): pruning with the
 * coarse search, one child workflow per regime ensemble with its units on the training task queue,
 * the governor and its bundle, and the final search over the narrowed ranges. The saved bundle,
 * loaded back, predicts the test slice exactly as the in-memory governor did.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { WorkflowFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { LocalArtifactStore, type ArtifactStore } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { loadTrainingData } from '@ares/models';
import { GovernorBundle, POOLED } from '@ares/governor';
import { REGIME_NAMES } from '@ares/features';
import type { TrainingPipelineInput, TrainingPipelineResult } from '../contracts';
import { SMALL_GOVERNOR, startTemporal, withPipelineWorkers } from '../testing';
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

async function runPipeline(store: ArtifactStore, input: TrainingPipelineInput, workflowId = `gov-${randomUUID()}`): Promise<TrainingPipelineResult> {
  const taskQueue = `q-${randomUUID()}`;
  return withPipelineWorkers(env, { store, taskQueue, workflowBundle: bundle }, () => env.client.workflow.execute('trainingPipeline', { taskQueue, workflowId, args: [input] }) as Promise<TrainingPipelineResult>);
}

/** With ARES_RECORD_HISTORIES=1, keeps the run's history for replay.spec.ts. */
async function recordHistory(workflowId: string, name: string): Promise<void> {
  if (process.env.ARES_RECORD_HISTORIES !== '1') return;
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(join(__dirname, 'histories', `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
}


const input: TrainingPipelineInput = {
  collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 4000, seed: 21, signal: 1 },
  trigger: 'test',
  until: 'tuneHyperparameters',
  governor: SMALL_GOVERNOR,
};

test('steps 3–5: pruning, regime ensembles in child workflows, governor bundle, final search; the loaded bundle predicts as in memory', async () => {
  await withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(dir);
    const workflowId = `gov-${randomUUID()}`;
    const r = await runPipeline(store, input, workflowId);
    expect(r.stages.map((s) => [s.name, s.state])).toEqual(
      ['collectMarketData', 'optimizeTargetParams', 'buildFeatures', 'pruneFeatures', 'regimeEnsembles', 'governor', 'tuneHyperparameters'].map((n) => [n, 'completed']),
    );

    // Step 3: pruned list (≤ keepTop), reasons for every dropped feature, narrowed ranges inside the defaults.
    const pruning = JSON.parse(Buffer.from(await store.get(r.pruning!.key)).toString());
    expect(r.pruning!.kept.length).toBeGreaterThan(0);
    expect(r.pruning!.kept.length).toBeLessThanOrEqual(20);
    expect(pruning.kept).toEqual(r.pruning!.kept);
    expect(pruning.dropped.length + pruning.kept.length).toBe(r.features!.columns);
    expect(Object.keys(r.coarseSearch!.ranges!).sort()).toEqual(['lightgbm', 'random_forest', 'xgboost']);
    const lr = r.coarseSearch!.ranges!.lightgbm!.learningRate as { low: number; high: number };
    expect(lr.low).toBeGreaterThanOrEqual(0.01);
    expect(lr.high).toBeLessThanOrEqual(0.2);

    // Step 4: every regime is served; the plan's units all ran, one child workflow per ensemble (deterministic ids).
    const plan = r.plan!;
    expect(Object.keys(plan.sources).sort()).toEqual([...REGIME_NAMES].sort());
    for (const reg of plan.regimes) expect(plan.sources[reg.regime]).toBe(reg.source === 'own' ? reg.regime : POOLED);
    expect(plan.regimes.filter((x) => x.source === 'own').length).toBeGreaterThanOrEqual(2);
    expect(plan.units).toHaveLength(plan.ensembles.length * 4);
    for (const ensemble of plan.ensembles) {
      const child = await env.client.workflow.getHandle(`${workflowId}-ensemble-${ensemble}`).describe();
      expect(child.status.name).toBe('COMPLETED');
      expect(child.type).toBe('regimeEnsemble');
    }
    await recordHistory(workflowId, 'completed-run-overlapped');
    await recordHistory(`${workflowId}-ensemble-${plan.ensembles[0]}`, 'completed-regime-ensemble');

    // The bundle: fallbacks flagged, regularization recorded, and load → predict equals the in-memory governor.
    const loaded = await GovernorBundle.load(store, r.governor!.bundleKey);
    try {
      const m = loaded.manifest!;
      expect(m.fallback.map((f) => f.regime).sort()).toEqual(plan.regimes.filter((x) => x.source === 'pooled').map((x) => x.regime).sort());
      expect(m.regularization).toMatchObject({ trees: { l1: 0, l2: 1 } });
      const saved = JSON.parse(Buffer.from(await store.get(r.governor!.predictionsKey)).toString());
      const manifest = JSON.parse(Buffer.from(await store.get(r.features!.key)).toString());
      const path = `${dir}/features-copy.parquet`;
      await store.getFile(manifest.file.key, path);
      const data = await loadTrainingData(path);
      const rows = Int32Array.from(saved.rows as number[]);
      const cols = data.x.cols;
      const x = { rows: rows.length, cols, columns: data.x.columns, data: new Float32Array(rows.length * cols) };
      rows.forEach((i, k) => x.data.set(data.x.data.subarray(i * cols, (i + 1) * cols), k * cols));
      expect(Array.from(rows, (i) => data.times[i])).toEqual(saved.times);
      const p = await loaded.predict(x, Array.from(rows, (i) => data.regime[i]!));
      const expected = Buffer.from(saved.proba, 'base64');
      expect(Buffer.from(p.proba.buffer, p.proba.byteOffset, p.proba.byteLength).equals(expected)).toBe(true);
      expect(r.governor!.scores.governor.rows).toBe(rows.length);
    } finally {
      loaded.dispose();
    }

    // Step 5: trials per model type inside the narrowed ranges.
    expect(Object.keys(r.finalSearch!.best).sort()).toEqual(['lightgbm', 'random_forest', 'xgboost']);
    const finalTrials = await store.list(`${r.run!.prefix}/search-final/`);
    // Each trial: its result and its out-of-fold probabilities (the DSR's and PBO's trial returns).
    expect(finalTrials.filter((k) => k.endsWith('.json'))).toHaveLength(6);
    expect(finalTrials.filter((k) => k.endsWith('.oof.f64'))).toHaveLength(6);
    expect(finalTrials).toHaveLength(12);
  });
});

test('a bad governor config fails non-retryably, naming the field, before any training', async () => {
  await withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(dir);
    const err = await runPipeline(store, { ...input, governor: { ...SMALL_GOVERNOR, outerFolds: 1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as { message: string; type?: string };
    expect(cause.type).toBe('InvalidInputError');
    expect(cause.message).toMatch(/governor config field 'outerFolds' = 1/);
    expect(await store.list('runs/')).toEqual([]);
  });
});

test('on a pure random walk the whole pipeline stays at chance: the governor finds no edge on the held-out test slice', async () => {
  // signal 0 without volatility regimes: i.i.d. Gaussian returns (libs/data's synthetic source),
  // through the real features, triple-barrier labels, regimes, pruning, ensembles and governor.
  await withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(dir);
    const r = await runPipeline(store, { collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 6000, seed: 5, signal: 0, volatilityRegimes: false }, trigger: 'test', until: 'governor', governor: SMALL_GOVERNOR });
    const g = r.governor!.scores.governor;
    // Balanced accuracy of a chance classifier is 1/3 with SE = sqrt(Σ_c (1/3)(2/3)/n_c)/3; with every
    // class share ≥ 1/9 (n_c ≥ n/9) that is ≤ sqrt(2/(3n)) ≈ 0.028 for n ≈ 830 test rows: ±0.09 > 3 SE.
    console.log(`random walk: governor test balanced accuracy ${g.balancedAccuracy.toFixed(4)} on ${g.rows} rows; ensembles ${Object.entries(r.governor!.scores.ensembles).map(([k, e]) => `${k} ${e.all.balancedAccuracy.toFixed(4)}`).join(', ')}`);
    expect(g.rows).toBeGreaterThan(700);
    expect(Math.abs(g.balancedAccuracy - 1 / 3)).toBeLessThan(0.09);
    for (const e of Object.values(r.governor!.scores.ensembles)) expect(Math.abs(e.all.balancedAccuracy - 1 / 3)).toBeLessThan(0.09);
  });
});
