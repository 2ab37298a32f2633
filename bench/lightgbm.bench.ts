/**
 * Benchmark: LightGBMModel.fit (worker thread over the C API through koffi) against the same
 * training through the Python lightgbm package (lgb.train, same parameter map, same rows), in
 * the same run. 3 classes, 200,000 rows × 100 features (seeded, with signal in 6 features),
 * 300 rounds, num_threads 2, no validation set (no early stopping). Target: ours / Python <= 1.1.
 *
 *   node --import tsx bench/lightgbm.bench.ts [--rows 200000] [--cols 100] [--rounds 300] [--threads 2] [--runs 1]
 *
 * Runs alternate which side goes first; the ratio uses each side's fastest run (the least
 * disturbed by other load), the median ratio of the pairs is reported next to it. Our time covers everything fit does: copying the rows for the worker, starting it,
 * building the Dataset, boosting, model text back to the main thread and loading it there. Python's
 * covers lgb.Dataset + lgb.train. Writes bench/results/lightgbm.json. Not a test: figures vary
 * with machine load (check loadAverage in the result).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Rng, toolPaths } from '@ares/data';
import type { TrainingSet } from '../libs/models/src/core/Model';
// Deep import until libs/models/src/index.ts re-exports the lightgbm entry.
import { LightGBMModel } from '../libs/models/src/lightgbm';

const run = promisify(execFile);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Gaussian features; the class is the tertile of a score mixing 6 features (one interaction) plus noise. */
function syntheticSet(rows: number, cols: number, seed: number): TrainingSet {
  const rng = new Rng(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  const score = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const x = (j: number) => data[r * cols + j]!;
    score[r] = x(0) + 0.8 * x(1) - 0.6 * x(2) + 0.5 * x(3) * x(4) + 0.4 * Math.abs(x(5)) + rng.normal();
  }
  const sorted = Float64Array.from(score).sort();
  const [lo, hi] = [sorted[Math.floor(rows / 3)]!, sorted[Math.floor((2 * rows) / 3)]!];
  const y = Int32Array.from(score, (s) => (s < lo ? 0 : s >= hi ? 2 : 1));
  return { x: { rows, cols, data, columns: Array.from({ length: cols }, (_, j) => `f${j}`) }, y };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const trees = (text: string) => text.slice(text.indexOf('Tree=0'), text.indexOf('end of trees'));

async function main(): Promise<void> {
  const [rows, cols, rounds, threads, runs] = [arg('rows', 200_000), arg('cols', 100), arg('rounds', 300), arg('threads', 2), arg('runs', 1)];
  const dir = mkdtempSync(join(tmpdir(), 'ares-lgbm-bench-'));
  try {
    const set = syntheticSet(rows, cols, 2024);
    const model = await LightGBMModel.create({ numIterations: rounds, numThreads: threads, earlyStoppingRounds: 0 });
    writeFileSync(join(dir, 'x.bin'), new Uint8Array(set.x.data.buffer));
    writeFileSync(join(dir, 'y.bin'), new Uint8Array(Float32Array.from(set.y).buffer));
    writeFileSync(join(dir, 'params.json'), JSON.stringify(model.params));
    const ours: number[] = [];
    const python: number[] = [];
    let identicalTrees = true;
    const runOurs = async () => {
      const t0 = performance.now();
      await model.fit(set);
      ours.push((performance.now() - t0) / 1000);
    };
    const runPython = async () => {
      const { stdout } = await run(toolPaths().python, [join(__dirname, 'lightgbm_bench.py'), dir, String(rows), String(cols)], { maxBuffer: 1 << 20 });
      python.push((JSON.parse(stdout) as { trainSeconds: number }).trainSeconds);
    };
    for (let k = 0; k < runs; k++) {
      // Alternate which side goes first, so neither always inherits the other's cache and heat.
      for (const side of k % 2 === 0 ? [runOurs, runPython] : [runPython, runOurs]) await side();
      const ourText = new TextDecoder().decode(model.save().files['model.txt']);
      identicalTrees &&= trees(ourText) === trees(readFileSync(join(dir, 'python_model.txt'), 'utf8'));
      console.log(`run ${k + 1}: ours ${ours[k]!.toFixed(2)} s, python ${python[k]!.toFixed(2)} s`);
    }
    model.dispose();
    const best = { ours: Math.min(...ours), python: Math.min(...python) };
    const result = {
      date: new Date().toISOString(),
      rows,
      cols,
      classes: 3,
      rounds,
      numThreads: threads,
      lightgbm: toolPaths().lightgbmVersion,
      oursSeconds: ours,
      pythonSeconds: python,
      ratio: best.ours / best.python,
      medianPairRatio: median(ours.map((o, k) => o / python[k]!)),
      target: 1.1,
      identicalTrees,
      loadAverage: loadavg(),
    };
    console.log(`LightGBMModel.fit ${best.ours.toFixed(2)} s; python lgb.train ${best.python.toFixed(2)} s; ratio ours/python ${result.ratio.toFixed(3)} (target <= 1.1); median pair ratio ${result.medianPairRatio.toFixed(3)}`);
    console.log(`identical trees: ${identicalTrees}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    writeFileSync(join(__dirname, 'results', 'lightgbm.json'), JSON.stringify(result, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
