/**
 * Memory of one worker process over consecutive runs: N pipelines (steps 1–5, each on its own
 * synthetic market: seed, seed + 1, …, so nothing resumes from an earlier run's checkpoints) on ONE
 * apps/worker process with one training slot. After each run it reads the process's resident set
 * (VmRSS) and its peak (VmHWM) from /proc. A leak of native handles (LightGBM/XGBoost datasets,
 * boosters) or of cached data shows as RSS growing run after run; the first run also pays for
 * warm-up (modules, the training thread, allocator pools), so the growth is measured from run 2.
 *
 *   node --import tsx bench/worker-memory.bench.ts [--runs 10] [--bars 4000] [--seed 100]
 *
 * Writes bench/results/worker-memory.json. Not a test: RSS depends on the allocator and on V8's
 * garbage collector timing: a single reading swings by ±5 % with the garbage not yet collected, so
 * the bench compares the MEDIAN of the first third of runs 2..N with that of the last third, and
 * reports the least-squares trend too. (A leaked booster or data set per fit would add tens of MB a
 * run: a run makes ~280 fits.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TrainingPipelineInput, TrainingPipelineResult } from '@ares/pipeline';
import { startTemporal } from '@ares/pipeline/testing';
import { rssMb, startWorker, stopWorker, type WorkerProcess } from './lib/workers';

/** The median RSS of the last third of the runs may exceed that of the first third (after run 1) by at most this share. */
const TARGET_GROWTH = 0.05;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Least-squares slope of ys over 0, 1, 2, … */
function slope(ys: number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs', '10'));
  const bars = Number(arg('bars', '4000'));
  const seed = Number(arg('seed', '100'));
  const artifacts = mkdtempSync(join(tmpdir(), 'ares-memory-bench-'));
  let env: TestWorkflowEnvironment | undefined;
  let worker: WorkerProcess | undefined;
  const figures: { run: number; seed: number; seconds: number; rssMb: number; peakRssMb: number; balancedAccuracy: number }[] = [];
  try {
    env = await startTemporal();
    const taskQueue = `bench-memory-${randomUUID()}`;
    worker = await startWorker(env, 'bench-memory-worker', taskQueue, artifacts);
    for (let k = 0; k < runs; k++) {
      const input: TrainingPipelineInput = { collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars, seed: seed + k }, trigger: 'test' };
      const t0 = Date.now();
      const result = (await env.client.workflow.execute('trainingPipeline', { taskQueue, workflowId: `bench-memory-${k}-${randomUUID().slice(0, 8)}`, args: [input] })) as TrainingPipelineResult;
      const f = { run: k + 1, seed: seed + k, seconds: (Date.now() - t0) / 1000, rssMb: rssMb(worker.child.pid!, 'current'), peakRssMb: rssMb(worker.child.pid!, 'peak'), balancedAccuracy: result.governor!.scores.governor.balancedAccuracy };
      figures.push(f);
      console.log(`run ${f.run} (seed ${f.seed}): ${f.seconds.toFixed(1)} s, RSS ${f.rssMb.toFixed(0)} MB, peak ${f.peakRssMb.toFixed(0)} MB`);
    }
  } finally {
    if (worker) await stopWorker(worker);
    await env?.teardown();
    rmSync(artifacts, { recursive: true, force: true });
  }
  const after = figures.slice(1).map((f) => f.rssMb);
  const third = Math.max(1, Math.floor(after.length / 3));
  const first = median(after.slice(0, third));
  const last = median(after.slice(-third));
  const growth = last / first - 1;
  const perRun = slope(after);
  console.log(`\nmedian RSS of runs 2–${1 + third}: ${first.toFixed(0)} MB, of runs ${runs - third + 1}–${runs}: ${last.toFixed(0)} MB: growth ${(100 * growth).toFixed(1)} % (target <= ${100 * TARGET_GROWTH} %) → ${growth <= TARGET_GROWTH ? 'MET' : 'NOT MET'}; trend ${perRun.toFixed(1)} MB a run; peak ${Math.max(...figures.map((f) => f.peakRssMb)).toFixed(0)} MB`);
  writeFileSync(join(__dirname, 'results', 'worker-memory.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, runs, bars, target: { growth: TARGET_GROWTH }, growth, trendMbPerRun: perRun, figures }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
