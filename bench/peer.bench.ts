/**
 * Benchmark against the Python peer (bench/peer/): steps 3–5 of trainingPipeline with one worker
 * process (ARES_TRAINING_SLOTS=1) against a straightforward Python script doing the same fits on
 * the same feature Parquet (bench/peer/peer.py: LightGBM/XGBoost Python packages, one thread per
 * fit, joblib), interleaved — ours, peer, ours, peer — so that machine load hits both alike.
 *
 * The peer is what a user would write by hand: the same 284 fits on the same rows, folds and
 * parameters, each with its fixed round count on all its training rows (its plan is exported with
 * `earlyStoppingShare: 0`) and a Dataset/DMatrix built per fit. Ours runs with the product's
 * defaults, where each fit early-stops inside its own training rows — the redundant rounds are
 * the work we do not do, and the test scores show what that costs (nothing beyond noise).
 * Reports each side's steps 3–5 seconds, the ratio ours / peer (target <= 0.33), and the
 * governor's held-out test balanced accuracy and log loss on both sides.
 *
 *   node --import tsx bench/peer.bench.ts [--rounds 2] [--bars 8760] [--seed 7] [--processes 1]
 *
 * The input is the demo's: synthetic BTCUSDT 1h, one year, the default configuration. Our steps 3–5
 * time is workflow time from the pruneFeatures stage's start to the end of the last stage; the
 * peer's is its own perf_counter total (it also reads the Parquet, which ours counts too).
 * Writes bench/results/peer.json. Not a test: figures vary with machine load.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { toolPaths } from '@ares/data';
import type { TrainingPipelineInput, TrainingPipelineResult } from '@ares/pipeline';
import { startTemporal } from '@ares/pipeline/testing';
import { live, liveDirs, peakRssMb, startWorker, stopWorker } from './lib/workers';

const TARGET_RATIO = 0.33;
/** The straightforward script's configuration: the defaults, every fit with its fixed rounds on all its rows. */
const PEER_CONFIG = { earlyStoppingShare: 0 };
const repoRoot = join(__dirname, '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

interface SideFigures {
  seconds: number;
  balancedAccuracy: number;
  logLoss: number;
  testRows: number;
}

interface OursFigures extends SideFigures {
  workflowId: string;
  peakRssMb: number;
}

/** One run of our pipeline with one worker process; copies the feature Parquet out when `keepFeatures` is given. */
async function runOurs(env: TestWorkflowEnvironment, input: TrainingPipelineInput, keepFeatures?: string): Promise<OursFigures> {
  const artifacts = mkdtempSync(join(tmpdir(), 'ares-peer-bench-'));
  liveDirs.add(artifacts);
  const taskQueue = `bench-peer-${randomUUID()}`;
  const worker = await startWorker(env, 'bench-peer-worker', taskQueue, artifacts);
  try {
    const workflowId = `bench-peer-${randomUUID().slice(0, 8)}`;
    const result = (await env.client.workflow.execute('trainingPipeline', { taskQueue, workflowId, args: [input] })) as TrainingPipelineResult;
    const peak = peakRssMb(worker.child.pid!);
    const from = result.stages.find((s) => s.name === 'pruneFeatures')!.startedAt!;
    const to = Math.max(...result.stages.map((s) => s.endedAt ?? 0));
    const g = result.governor!.scores.governor;
    if (keepFeatures) {
      const manifest = JSON.parse(readFileSync(join(artifacts, result.features!.key), 'utf8')) as { file: { key: string } };
      copyFileSync(join(artifacts, manifest.file.key), keepFeatures);
    }
    return { workflowId, seconds: (to - from) / 1000, balancedAccuracy: g.balancedAccuracy, logLoss: g.logLoss, testRows: g.rows, peakRssMb: peak };
  } catch (err) {
    console.error(`--- worker output (tail) ---\n${worker.output().slice(-4000)}`);
    throw err;
  } finally {
    await stopWorker(worker);
    rmSync(artifacts, { recursive: true, force: true });
    liveDirs.delete(artifacts);
  }
}

interface PeerResult {
  seconds: number;
  phases: Record<string, number>;
  fits: number;
  test: { rows: number; balancedAccuracy: number; logLoss: number };
  versions: Record<string, string>;
}

/** One run of the Python peer on the feature Parquet and the plan. */
function runPeer(features: string, plan: string, processes: number, dir: string): PeerResult & SideFigures {
  const out = join(dir, `peer-${randomUUID().slice(0, 8)}.json`);
  execFileSync(toolPaths().python, [join(repoRoot, 'bench', 'peer', 'peer.py'), '--features', features, '--plan', plan, '--processes', String(processes), '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  const r = JSON.parse(readFileSync(out, 'utf8')) as PeerResult;
  return { ...r, balancedAccuracy: r.test.balancedAccuracy, logLoss: r.test.logLoss, testRows: r.test.rows };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const rounds = Number(arg('rounds', '2'));
  const bars = Number(arg('bars', '8760'));
  const seed = Number(arg('seed', '7'));
  const processes = Number(arg('processes', '1'));
  const input: TrainingPipelineInput = { collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars, seed }, trigger: 'test' };
  const dir = mkdtempSync(join(tmpdir(), 'ares-peer-'));
  const features = join(dir, 'features.parquet');
  const plan = join(dir, 'plan.json');

  let env: TestWorkflowEnvironment | undefined;
  const cleanup = async () => {
    await Promise.all([...live].map(stopWorker));
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
    await env?.teardown();
    env = undefined;
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  const ours: OursFigures[] = [];
  const peer: (PeerResult & SideFigures)[] = [];
  try {
    env = await startTemporal();
    for (let k = 1; k <= rounds; k++) {
      const o = await runOurs(env, input, k === 1 ? features : undefined);
      ours.push(o);
      console.log(`[round ${k}] ours: steps 3–5 ${o.seconds.toFixed(1)} s, test balanced accuracy ${o.balancedAccuracy.toFixed(4)}, log loss ${o.logLoss.toFixed(4)} (${o.testRows} rows), peak RSS ${o.peakRssMb.toFixed(0)} MB`);
      if (k === 1) execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench', 'peer', 'exportPlan.ts'), '--features', features, '--out', plan, '--governor', JSON.stringify(PEER_CONFIG)], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
      const p = runPeer(features, plan, processes, dir);
      peer.push(p);
      console.log(`[round ${k}] peer: ${p.seconds.toFixed(1)} s (${p.fits} fits, ${processes} process${processes > 1 ? 'es' : ''}), test balanced accuracy ${p.balancedAccuracy.toFixed(4)}, log loss ${p.logLoss.toFixed(4)} (${p.testRows} rows)`);
    }
  } finally {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }

  const ratio = mean(ours.map((o) => o.seconds)) / mean(peer.map((p) => p.seconds));
  // Tolerance: on n test rows a balanced accuracy near 1/3 has a standard error of about
  // sqrt((1/3)(2/3)/n) (0.013 for n = 1242); two runs on the same rows differ by chance by up to
  // ~2 standard errors of a difference (2·√2·se ≈ 0.038). Log loss: the same two-sided bound on
  // the mean of per-row log losses, whose standard deviation is ~0.1 near chance (se ≈ 0.003).
  const n = ours[0]!.testRows;
  const baTolerance = 2 * Math.SQRT2 * Math.sqrt((1 / 3) * (2 / 3) / n);
  const ba = { ours: mean(ours.map((o) => o.balancedAccuracy)), peer: mean(peer.map((p) => p.balancedAccuracy)) };
  const ll = { ours: mean(ours.map((o) => o.logLoss)), peer: mean(peer.map((p) => p.logLoss)) };
  console.log('');
  console.log(`steps 3–5, mean of ${rounds}: ours ${mean(ours.map((o) => o.seconds)).toFixed(1)} s (1 worker process), peer ${mean(peer.map((p) => p.seconds)).toFixed(1)} s (${processes} process${processes > 1 ? 'es' : ''})`);
  console.log(`ratio ours / peer: ${ratio.toFixed(3)} (target <= ${TARGET_RATIO}) → ${ratio <= TARGET_RATIO ? 'MET' : 'NOT MET'}`);
  console.log(`test balanced accuracy: ours ${ba.ours.toFixed(4)}, peer ${ba.peer.toFixed(4)}; |difference| ${Math.abs(ba.ours - ba.peer).toFixed(4)} (tolerance ${baTolerance.toFixed(4)} = 2·√2 standard errors on ${n} rows) → ${Math.abs(ba.ours - ba.peer) <= baTolerance ? 'within noise' : 'OUTSIDE noise'}`);
  console.log(`test log loss: ours ${ll.ours.toFixed(4)}, peer ${ll.peer.toFixed(4)} (lower is better; ours ${ll.ours <= ll.peer ? 'not worse' : `worse by ${(ll.ours - ll.peer).toFixed(4)}`})`);
  console.log(`peak RSS of our worker: ${Math.max(...ours.map((o) => o.peakRssMb)).toFixed(0)} MB; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  writeFileSync(join(__dirname, 'results', 'peer.json'), JSON.stringify({
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    input,
    processes,
    target: { ratio: TARGET_RATIO },
    ratio,
    tolerance: { balancedAccuracy: baTolerance },
    ours,
    peer,
    loadAverage: loadavg(),
  }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
