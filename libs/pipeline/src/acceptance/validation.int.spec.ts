/**
 * Acceptance of steps 6–9 on real services (Temporal dev server, DuckDB, the native libraries, a
 * local artifact store): walk-forward with the governor system retrained in every fold, the
 * backtest after costs, Monte Carlo, the overfitting gates, the champion comparison, the registry
 * and the published manifest.
 *
 * - A market with planted, learnable structure (informed order flow leading price: `edge`) is
 *   learnt: out-of-sample Sharpe after costs clearly positive (compared with the oracle ceiling),
 *   the gates pass, the run is promoted; a second run on the same data with a worse configuration
 *   does not replace the champion.
 * - On zero-signal markets (martingales) no seed is promoted and the out-of-sample Sharpe's PSR is
 *   not significant.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { LocalArtifactStore, type ArtifactStore } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { ModelRegistry } from '@ares/validation';
import type { GovernorConfigInput, TrainingPipelineInput, TrainingPipelineResult } from '../contracts';
import { EDGE_TARGET_SEARCH, startTemporal, VALIDATION_GOVERNOR, withPipelineWorkers } from '../testing';
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

async function runPipeline(store: ArtifactStore, input: TrainingPipelineInput, workflowId = `val-${randomUUID()}`): Promise<TrainingPipelineResult> {
  const taskQueue = `q-${randomUUID()}`;
  return withPipelineWorkers(env, { store, taskQueue, workflowBundle: bundle }, () => env.client.workflow.execute('trainingPipeline', { taskQueue, workflowId, args: [input] }) as Promise<TrainingPipelineResult>);
}

/** With ARES_RECORD_HISTORIES=1, keeps the run's history (steps 1–9) for replay.spec.ts. */
async function recordHistory(workflowId: string, name: string): Promise<void> {
  if (process.env.ARES_RECORD_HISTORIES !== '1') return;
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(join(__dirname, '../workflows/histories', `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
}

const market = (seed: number, edge: number, signal = 0, volatilityRegimes = true): TrainingPipelineInput['collect'] => ({ source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 8760, seed, signal, edge, volatilityRegimes });

test('learnable market: positive out-of-sample Sharpe after costs, gates pass, promotion; two runs finishing together never both become champion; a worse config does not replace the champion', async () => {
  await withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(dir);
    // Two runs of the same market with different seeds, started together: both pass the gates on
    // their own, and their steps 8–9 meet one registry.
    const firstId = `val-learnable-${randomUUID()}`;
    const [first, twin] = await Promise.all([
      runPipeline(store, { collect: market(31, 1), trigger: 'test', targetSearch: EDGE_TARGET_SEARCH, governor: VALIDATION_GOVERNOR }, firstId),
      runPipeline(store, { collect: market(31, 1), trigger: 'test', targetSearch: EDGE_TARGET_SEARCH, governor: { ...VALIDATION_GOVERNOR, seed: 7 } }),
    ]);
    for (const r of [first, twin]) {
      expect(r.stages.map((s) => s.state)).toEqual(r.stages.map(() => 'completed'));
      const wf = r.walkForward!;
      const d = r.decision!;
      console.log(`learnable (seed ${r.run!.config.seed}): OOS Sharpe ${wf.metrics.sharpe?.toFixed(2)} after costs (oracle ${wf.oracle?.sharpe.toFixed(2)}), ${wf.metrics.tradeCount} trades, ${wf.stability.profitableFolds}/${wf.folds.length} folds profitable, DSR ${d.dsr.toFixed(4)}, PSR ${d.psr.toFixed(4)}, PBO ${d.pbo?.toFixed(3)}, N ${d.trials.count}; promoted ${r.published!.promoted}: ${r.published!.reasons.join('; ')}`);
      expect(wf.metrics.sharpe!).toBeGreaterThan(1);
      expect(wf.oracle!.sharpe).toBeGreaterThan(wf.metrics.sharpe!);
      expect(d.gates.filter((g) => g.name !== 'beatsChampion').every((g) => g.passed)).toBe(true);
    }
    await recordHistory(firstId, 'completed-run-validation');
    const registry = ModelRegistry.of(store, 'BTCUSDT', '1h');
    const afterFirst = await registry.state();
    // The registry holds one event per promotion, each naming the champion it replaced: whichever
    // published second was compared again with the first (same bars) and only promoted if it beat
    // it significantly.
    const promoted = [first, twin].filter((r) => r.published!.promoted);
    expect(promoted.length).toBeGreaterThanOrEqual(1);
    expect(afterFirst.head).toBe(promoted.length);
    expect(afterFirst.events.map((e) => e.previous ?? null)).toEqual(afterFirst.events.map((_, i) => (i === 0 ? null : afterFirst.events[i - 1]!.runId)));
    const champion = afterFirst.champion!;
    const championRun = [first, twin].find((r) => r.run!.runKey === champion.runId)!;
    expect(championRun.published!.registrySeq).toBe(afterFirst.head);

    // The manifest is complete and names every artifact with its sha256.
    const manifest = JSON.parse(Buffer.from(await store.get(championRun.published!.manifestKey)).toString());
    expect(manifest.lineage.dataset.sha256).toBe(championRun.dataset.sha256);
    expect(manifest.lineage.features.sha256).toBe(championRun.features!.sha256);
    for (const a of manifest.lineage.artifacts.slice(0, 20)) expect((await store.stat(a.key))?.sha256).toBe(a.sha256);
    expect(manifest.walkForwardFolds).toHaveLength(championRun.walkForward!.folds.length);

    // Same data, a worse configuration (a confidence threshold that leaves few trades): refused, champion kept.
    const worse: GovernorConfigInput = { ...VALIDATION_GOVERNOR, threshold: 0.9 };
    const second = await runPipeline(store, { collect: market(31, 1), trigger: 'test', targetSearch: EDGE_TARGET_SEARCH, governor: worse });
    console.log(`worse config: OOS Sharpe ${second.walkForward!.metrics.sharpe?.toFixed(2)}, ${second.walkForward!.metrics.tradeCount} trades; ${second.decision!.reasons.join('; ')}`);
    expect(second.published!.promoted).toBe(false);
    expect(second.decision!.champion).toBe(champion.runId);
    const afterSecond = await registry.state();
    expect([afterSecond.head, afterSecond.champion?.runId]).toEqual([afterFirst.head, champion.runId]);
  });
}, 1_200_000);

test('zero-signal markets: no promotion in any of 5 seeds, and the out-of-sample PSR is not significant', async () => {
  await withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(dir);
    for (const seed of [101, 102, 103, 104, 105]) {
      const r = await runPipeline(store, { collect: market(seed, 0, 0, seed % 2 === 0), trigger: 'test', targetSearch: EDGE_TARGET_SEARCH, governor: VALIDATION_GOVERNOR });
      const d = r.decision!;
      console.log(`zero signal seed ${seed}: OOS Sharpe ${r.walkForward!.metrics.sharpe?.toFixed(2)}, ${r.walkForward!.metrics.tradeCount} trades, PSR ${d.psr.toFixed(3)}, DSR ${d.dsr.toFixed(3)}, PBO ${d.pbo?.toFixed(3)}; ${d.reasons.join('; ')}`);
      expect(r.published!.promoted).toBe(false);
      expect(d.psr).toBeLessThan(0.95);
    }
    expect((await ModelRegistry.of(store, 'BTCUSDT', '1h').state()).head).toBe(0);
  });
}, 1_800_000);
