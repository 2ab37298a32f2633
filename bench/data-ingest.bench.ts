/**
 * Benchmark: synthetic generation + DuckDB storage + Parquet export of 1,000,000 1m bars.
 * Target: >= 500k bars/s end to end, peak RSS <= 1.5 GB.
 *
 *   npm run bench -- [--bars 1000000] [--runs 3] [--duckdb memory|file]
 *
 * Each run is a fresh child process (so peak RSS is that run's own); the parent prints the
 * median and writes bench/results/data-ingest.json. Not a test: figures vary with machine load.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticMarket, MarketStore } from '@ares/data';

interface RunResult {
  bars: number;
  duckdb: string;
  generateMs: number;
  storeMs: number;
  exportMs: number;
  totalMs: number;
  barsPerSecond: number;
  peakRssMb: number;
  parquetRows: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

async function once(bars: number, duckdb: string): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ares-bench-'));
  try {
    const t0 = performance.now();
    const m = generateSyntheticMarket({ symbol: 'BTCUSDT', interval: '1m', bars, seed: 1 });
    const t1 = performance.now();
    const store = await MarketStore.create(duckdb === 'file' ? join(dir, 'market.duckdb') : ':memory:');
    await store.appendCandles(m.symbol, m.interval, m.candles);
    await store.appendTradeFlow(m.symbol, m.interval, m.tradeFlow);
    await store.appendFunding(m.symbol, m.funding);
    await store.appendOpenInterest(m.symbol, m.openInterest);
    const summary = await store.summarize(m.symbol, m.interval);
    const t2 = performance.now();
    const out = await store.exportParquet(m.symbol, m.interval, join(dir, 'parquet'), { from: summary.firstOpenTime!, to: summary.lastOpenTime! });
    const t3 = performance.now();
    store.close();
    return {
      bars, duckdb,
      generateMs: t1 - t0, storeMs: t2 - t1, exportMs: t3 - t2, totalMs: t3 - t0,
      barsPerSecond: bars / ((t3 - t0) / 1000),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      parquetRows: out.candles.rows,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const bars = Number(arg('bars', '1000000'));
  if (process.argv.includes('--child')) {
    process.stdout.write(JSON.stringify(await once(bars, arg('duckdb', 'memory'))));
    return;
  }
  const runs = Number(arg('runs', '3'));
  const modes = process.argv.includes('--duckdb') ? [arg('duckdb', 'memory')] : ['memory', 'file'];
  const report: Record<string, RunResult[]> = {};
  for (const mode of modes) {
    report[mode] = [];
    for (let r = 0; r < runs; r++) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', '--bars', String(bars), '--duckdb', mode], { encoding: 'utf8' });
      const res = JSON.parse(out) as RunResult;
      if (res.parquetRows !== bars) throw new Error(`exported ${res.parquetRows} rows, expected ${bars}`);
      report[mode].push(res);
      console.log(`${mode} run ${r + 1}: ${fmt(res)}`);
    }
  }
  const summary = Object.fromEntries(Object.entries(report).map(([mode, rs]) => [mode, median(rs)]));
  console.log('\nmedian of runs (target: >= 500,000 bars/s, peak RSS <= 1,536 MB)');
  for (const [mode, res] of Object.entries(summary)) console.log(`  duckdb ${mode.padEnd(6)} ${fmt(res)}`);
  writeFileSync(join(__dirname, 'results', 'data-ingest.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: require('node:os').cpus().length, summary, runs: report }, null, 2));
}

function median(rs: RunResult[]): RunResult {
  const sorted = [...rs].sort((a, b) => a.totalMs - b.totalMs);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function fmt(r: RunResult): string {
  return `${Math.round(r.barsPerSecond).toLocaleString('en-US')} bars/s (generate ${r.generateMs.toFixed(0)} ms, store ${r.storeMs.toFixed(0)} ms, export ${r.exportMs.toFixed(0)} ms, total ${r.totalMs.toFixed(0)} ms), peak RSS ${r.peakRssMb.toFixed(0)} MB`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
