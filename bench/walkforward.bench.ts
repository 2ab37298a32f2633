/**
 * Benchmark of step 6: walk-forward with K folds (default 5), each a child workflow that retrains
 * the whole governor system in fold, with 1 and then 2 worker processes (ARES_TRAINING_SLOTS=1
 * each, so a fold is one core). Runs trainingPipeline to the end of walkForward on a fresh
 * artifacts directory per configuration and reports the walkForward stage's wall time, the
 * speedup, each fold's time and worker, and the out-of-sample figures (identical in both runs:
 * the same seed gives the same models).
 *
 *   node --import tsx bench/walkforward.bench.ts [--folds 5] [--bars 8760] [--seed 42] [--edge 1]
 *
 * The input is the demo's market (synthetic BTCUSDT 1h, one year) with the planted order-flow
 * edge and the demo's 24-bar target search, and the default configuration. Writes bench/results/walkforward.json. Not a test: figures
 * vary with machine load (both configurations run back to back on the same machine).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TrainingPipelineInput, TrainingPipelineResult, WalkForwardFoldRef } from '@ares/pipeline';
import { EDGE_TARGET_SEARCH, startTemporal } from '@ares/pipeline/testing';
import { live, liveDirs, startWorker, stopWorker } from './lib/workers';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

interface Figures {
  processes: number;
  walkForwardSeconds: number;
  stepsSeconds: Record<string, number>;
  folds: { fold: number; seconds: number; worker: string; trainRows: number; testRows: number }[];
  sharpe: number | null;
  trades: number | null;
}

async function run(env: TestWorkflowEnvironment, input: TrainingPipelineInput, processes: number): Promise<Figures> {
  const artifacts = mkdtempSync(join(tmpdir(), 'ares-wf-bench-'));
  liveDirs.add(artifacts);
  const taskQueue = `bench-wf-${randomUUID()}`;
  const workers = await Promise.all(Array.from({ length: processes }, (_, k) => startWorker(env, `wf-worker-${k + 1}`, taskQueue, artifacts)));
  try {
    const workflowId = `bench-wf-${processes}-${randomUUID().slice(0, 8)}`;
    const result = (await env.client.workflow.execute('trainingPipeline', { taskQueue, workflowId, args: [input] })) as TrainingPipelineResult;
    const stage = result.stages.find((s) => s.name === 'walkForward')!;
    const folds: Figures['folds'] = [];
    for (const f of result.walkForward!.folds) {
      const child = env.client.workflow.getHandle(`${workflowId}-walkforward-fold${f.fold}`);
      const ref = (await child.result()) as WalkForwardFoldRef;
      // The fold's own work: its activity's last start to its completion (a child waits in the
      // queue while the training slots are busy, which is not the fold's time).
      const events = (await child.fetchHistory()).events ?? [];
      const at = (e: (typeof events)[number]): number => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);
      const started = events.filter((e) => e.activityTaskStartedEventAttributes).map(at);
      const completed = events.filter((e) => e.activityTaskCompletedEventAttributes).map(at);
      const seconds = (Math.max(...completed) - Math.max(...started)) / 1000;
      folds.push({ fold: f.fold, seconds, worker: ref.worker, trainRows: ref.trainRows, testRows: ref.testRows });
    }
    return {
      processes,
      walkForwardSeconds: ((stage.endedAt ?? 0) - (stage.startedAt ?? 0)) / 1000,
      stepsSeconds: Object.fromEntries(result.stages.map((s) => [s.name, ((s.endedAt ?? 0) - (s.startedAt ?? 0)) / 1000])),
      folds,
      sharpe: result.walkForward!.metrics.sharpe ?? null,
      trades: result.walkForward!.metrics.tradeCount ?? null,
    };
  } finally {
    await Promise.all(workers.map(stopWorker));
    rmSync(artifacts, { recursive: true, force: true });
    liveDirs.delete(artifacts);
  }
}

async function main(): Promise<void> {
  const folds = Number(arg('folds', '5'));
  const input: TrainingPipelineInput = {
    collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: Number(arg('bars', '8760')), seed: Number(arg('seed', '42')), edge: Number(arg('edge', '1')) },
    trigger: 'test',
    until: 'walkForward',
    // The demo's target search for the edge market (labels 24 bars ahead: EDGE_TARGET_SEARCH).
    targetSearch: EDGE_TARGET_SEARCH,
    governor: { validation: { walkForward: { folds } } },
  };
  const env = await startTemporal();
  process.once('SIGINT', () => {
    for (const w of live) w.child.kill('SIGKILL');
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
    process.exit(130);
  });
  try {
    const loadBefore = loadavg();
    const one = await run(env, input, 1);
    console.log(`1 process:  walkForward ${one.walkForwardSeconds.toFixed(1)} s (${one.folds.map((f) => `fold ${f.fold} ${f.seconds.toFixed(1)} s`).join(', ')})`);
    const two = await run(env, input, 2);
    console.log(`2 processes: walkForward ${two.walkForwardSeconds.toFixed(1)} s (${two.folds.map((f) => `fold ${f.fold} ${f.seconds.toFixed(1)} s on ${f.worker}`).join(', ')})`);
    const speedup = one.walkForwardSeconds / two.walkForwardSeconds;
    // With K folds of one training slot each on 2 processes, the wall time is at least the longest
    // fold and at least half the folds' total work (both measured on 1 process).
    const longest = Math.max(...one.folds.map((f) => f.seconds));
    const work = one.folds.reduce((a, f) => a + f.seconds, 0);
    const bound = one.walkForwardSeconds / Math.max(longest, work / 2);
    console.log(`speedup ${speedup.toFixed(2)} (ideal on 2 processes for these fold lengths ≤ ${bound.toFixed(2)}); out-of-sample Sharpe ${one.sharpe?.toFixed(3)} / ${two.sharpe?.toFixed(3)}, trades ${one.trades} / ${two.trades}`);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'walkforward.json'), JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, loadBefore, loadAfter: loadavg(), input, runs: [one, two], speedup, idealBound: bound }, null, 2));
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
