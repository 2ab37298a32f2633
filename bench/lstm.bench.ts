/**
 * Benchmark: LSTM(64) training and prediction throughput on windows of 32 bars × 30 features, per
 * TensorFlow.js backend available here: wasm (with the transposed-matmul fix, and with the stock
 * kernel for comparison), tfjs-node ('tensorflow') when loadable, and the pure-JS cpu backend.
 * Slow configurations run on fewer samples (throughput is per sample, so it is comparable).
 *
 *   npm run bench:lstm -- [--samples 20000] [--epochs 2] [--batch 64]
 *
 * Writes bench/results/lstm.json. Not a test: figures vary with machine load.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
// Deep imports until @ares/models exports the LSTM (libs/models/src/index.ts).
import { LstmModel, type LstmBackendChoice } from '../libs/models/src/lstm';
import { sliceRows, syntheticSequences } from '../libs/models/src/lstm/testing';
import { useFastTransposedMatMul, useStockMatMul } from '../libs/models/src/lstm/wasmMatMul';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SEQUENCE_LENGTH = 32;
const FEATURES = 30;
const samples = arg('samples', 20_000);
const epochs = arg('epochs', 2);
const batchSize = arg('batch', 64);

interface Run {
  name: string;
  backend: LstmBackendChoice;
  samples: number;
  epochs: number;
  stockMatMul?: boolean;
}

interface Result {
  name: string;
  backend: string;
  samples?: number;
  epochs?: number;
  trainSeconds?: number;
  trainSamplesPerSecond?: number;
  predictSamplesPerSecond?: number;
  unavailable?: string;
}

const runs: Run[] = [
  { name: 'wasm', backend: 'wasm', samples, epochs },
  { name: 'wasm (stock BatchMatMul)', backend: 'wasm', samples: Math.min(samples, 4_000), epochs: 1, stockMatMul: true },
  { name: 'tensorflow (tfjs-node)', backend: 'tensorflow', samples, epochs },
  { name: 'cpu (pure JS)', backend: 'cpu', samples: Math.min(samples, 1_000), epochs: 1 },
];

async function measure(run: Run): Promise<Result> {
  // Rows = samples + L − 1: the first L − 1 rows only start windows.
  const set = syntheticSequences({ rows: run.samples + SEQUENCE_LENGTH - 1, seed: 1, cols: FEATURES, labels: 'planted' });
  let model: LstmModel;
  try {
    model = await LstmModel.create(
      { sequenceLength: SEQUENCE_LENGTH, units: [64], dropout: 0, batchSize, epochs: run.epochs, earlyStoppingPatience: 0, reduceLrOnPlateau: false },
      { backend: run.backend, log: () => undefined },
    );
  } catch (err) {
    return { name: run.name, backend: run.backend, unavailable: (err as Error).message };
  }
  if (run.backend === 'wasm') (run.stockMatMul ? useStockMatMul : useFastTransposedMatMul)();
  try {
    const report = await model.fit(set);
    const predictRows = sliceRows(set, 0, Math.min(set.x.rows, 5_000 + SEQUENCE_LENGTH - 1));
    const t0 = performance.now();
    await model.predictProba(predictRows.x);
    const predictSeconds = (performance.now() - t0) / 1000;
    return {
      name: run.name,
      backend: tf.getBackend(),
      samples: report.trainSequences,
      epochs: report.iterations,
      trainSeconds: report.seconds,
      trainSamplesPerSecond: (report.trainSequences * report.iterations) / report.seconds,
      predictSamplesPerSecond: (predictRows.x.rows - SEQUENCE_LENGTH + 1) / predictSeconds,
    };
  } finally {
    model.dispose();
    useFastTransposedMatMul();
  }
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const run of runs) {
    const r = await measure(run);
    results.push(r);
    console.log(
      r.unavailable !== undefined
        ? `${r.name}: unavailable (${r.unavailable.split('\n')[0]})`
        : `${r.name}: ${r.samples!.toLocaleString('en-US')} samples × ${r.epochs} epochs in ${r.trainSeconds!.toFixed(1)} s → ` +
            `train ${r.trainSamplesPerSecond!.toFixed(0)} samples/s, predict ${r.predictSamplesPerSecond!.toFixed(0)} samples/s`,
    );
  }
  const result = {
    date: new Date().toISOString(),
    tfjs: tf.version_core,
    node: process.version,
    network: { sequenceLength: SEQUENCE_LENGTH, features: FEATURES, units: [64], batchSize, optimizer: 'adam' },
    results,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  writeFileSync(join(__dirname, 'results', 'lstm.json'), JSON.stringify(result, null, 2));
}

void main();
