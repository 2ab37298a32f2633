/**
 * Benchmark: parsing 1,000,000 lines of a Binance kline CSV dump (parseBinanceKlineCsv).
 * Target: well under 2 s (the median of --runs). Moved here from a timed unit test, which failed
 * whenever the shared machine was busy.
 *
 *   node --import tsx bench/csv-parse.bench.ts [--lines 1000000] [--runs 3]
 */
import { parseBinanceKlineCsv } from '@ares/data';

const TARGET_MS = 2000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

const n = Number(arg('lines', '1000000'));
const runs = Number(arg('runs', '3'));
const start = 1704067200000;
const lines = Array.from({ length: n }, (_, i) => {
  const t = start + i * 60_000;
  return `${t},42283.58000000,42554.57000000,42261.02000000,42475.23000000,1271.68108000,${t + 59_999},53957248.97378900,47134,682.57581000,28957416.81965600,0`;
});
const text = lines.join('\n');
const times: number[] = [];
for (let r = 0; r < runs; r++) {
  const began = performance.now();
  const result = parseBinanceKlineCsv(text, { source: 'bench.csv', interval: '1m' });
  times.push(performance.now() - began);
  if (result.candles.length !== n) throw new Error(`parsed ${result.candles.length} of ${n} lines`);
}
const median = [...times].sort((a, b) => a - b)[Math.floor(runs / 2)]!;
console.log(`${n} lines: ${times.map((t) => `${t.toFixed(0)} ms`).join(', ')}; median ${median.toFixed(0)} ms (target < ${TARGET_MS} ms) → ${median < TARGET_MS ? 'MET' : 'NOT MET'}`);
