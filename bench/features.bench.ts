/**
 * Benchmark: the default feature set over 1,000,000 bars, single-threaded (one Node thread; the
 * feature code has no parallelism). Target: <= 5 s and <= 2 GB peak RSS. Also times the
 * triple-barrier labels and the regime classifier on the same bars.
 *
 *   npm run bench:features -- [--bars 1000000]
 *
 * Writes bench/results/features.json. Not a test: figures vary with machine load.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFeatureMatrix, classifyRegimes, DEFAULT_FEATURE_SET, defaultRegistry, tripleBarrierLabels } from '@ares/features';
import { syntheticFeatureInput } from '@ares/features/testing';

const i = process.argv.indexOf('--bars');
const bars = i >= 0 ? Number(process.argv[i + 1]) : 1_000_000;

const input = syntheticFeatureInput(bars, '1h');
const registry = defaultRegistry();
const rssBefore = process.memoryUsage().rss / 2 ** 20;

const t0 = performance.now();
const matrix = buildFeatureMatrix(input, DEFAULT_FEATURE_SET, registry);
const t1 = performance.now();
const c = input.columns;
const ohlc = { openTime: c.openTime!, closeTime: c.closeTime!, open: c.open!, high: c.high!, low: c.low!, close: c.close!, volume: c.volume! };
tripleBarrierLabels(ohlc, { tpMult: 2, slMult: 2, holdingBars: 24, atrPeriod: 14 });
const t2 = performance.now();
classifyRegimes(ohlc, {});
const t3 = performance.now();

const result = {
  date: new Date().toISOString(),
  bars,
  columns: matrix.names.length,
  warmupRows: matrix.warmupRows,
  featureSeconds: (t1 - t0) / 1000,
  labelSeconds: (t2 - t1) / 1000,
  regimeSeconds: (t3 - t2) / 1000,
  inputRssMb: rssBefore,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
};
console.log(`default feature set: ${result.columns} columns × ${bars.toLocaleString('en-US')} bars in ${result.featureSeconds.toFixed(2)} s (target <= 5 s)`);
console.log(`triple-barrier labels: ${result.labelSeconds.toFixed(2)} s; regimes: ${result.regimeSeconds.toFixed(2)} s`);
console.log(`peak RSS ${result.peakRssMb.toFixed(0)} MB (target <= 2048 MB; synthetic input alone ${rssBefore.toFixed(0)} MB)`);
writeFileSync(join(__dirname, 'results', 'features.json'), JSON.stringify(result, null, 2));
