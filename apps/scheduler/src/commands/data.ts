import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  collectMarketData,
  createArtifactStore,
  dataDir,
  downloadDatasetFile,
  MarketStore,
  readDatasetManifest,
  type ArtifactStore,
  type QualityReport,
} from '@ares/data';
import { CliError, iso, table } from '../format';
import { buildCollectRequest, type SourceOptions } from './collectRequest';

/**
 * `ares data collect|import`: collects here (no Temporal) into the local DuckDB warehouse
 * (`$ARES_DATA_DIR/market.duckdb`, which Binance downloads resume from) and publishes the dataset.
 */
export async function dataCollect(o: SourceOptions, out: (line: string) => void = console.log): Promise<void> {
  const store = await createArtifactStore();
  const market = await MarketStore.create(join(dataDir(), 'market.duckdb'));
  const tmp = await mkdtemp(join(tmpdir(), 'ares-cli-'));
  try {
    const request = await buildCollectRequest(o, store);
    const ref = await collectMarketData(request, { store, market, tmpDir: tmp, onProgress: (stage, d) => out(`  ${stage} ${d ? JSON.stringify(d) : ''}`) });
    out(`dataset ${ref.key}\n  sha256 ${ref.sha256}\n  ${ref.rows} bars ${ref.symbol} ${ref.interval} ${iso(ref.start)} .. ${iso(ref.end)}`);
    await printQuality(store, ref.key, out);
  } finally {
    market.close();
    await store.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** `ares data inspect <dataset>`: manifest, quality report, and column statistics read from the Parquet. */
export async function dataInspect(dataset: string, out: (line: string) => void = console.log): Promise<void> {
  const store = await createArtifactStore();
  const tmp = await mkdtemp(join(tmpdir(), 'ares-inspect-'));
  try {
    const key = await resolveDataset(store, dataset);
    const m = await readDatasetManifest(store, key);
    out(`dataset   ${key}\nsha256    ${m.datasetHash}\nsource    ${m.source}\nseries    ${m.symbol} ${m.interval}, ${m.rows} bars, ${iso(m.start)} .. ${iso(m.end)}`);
    out(table(['FILE', 'ROWS', 'BYTES', 'SHA256'], Object.values(m.files).map((f) => [f.key.split('/').pop(), f.rows, f.size, f.sha256.slice(0, 16)])));
    await printQuality(store, key, out);
    const path = await downloadDatasetFile(store, m, 'candles', tmp);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const stats = await db.runAndReadAll(`SUMMARIZE SELECT open, high, low, close, volume, quote_volume, trades, taker_buy_base_volume FROM read_parquet('${path}')`);
    db.closeSync();
    out('\ncandle columns');
    out(table(['COLUMN', 'MIN', 'MAX', 'AVG', 'STD', 'NULLS %'], stats.getRowObjects().map((r) => [String(r.column_name), fmt(r.min), fmt(r.max), fmt(r.avg), fmt(r.std), String(r.null_percentage)])));
  } finally {
    await store.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** A manifest key, or a dataset hash prefix looked up under datasets/. */
async function resolveDataset(store: ArtifactStore, dataset: string): Promise<string> {
  if (dataset.endsWith('manifest.json')) return dataset;
  const manifests = (await store.list('datasets/')).filter((k) => k.endsWith('/manifest.json'));
  const matches = manifests.filter((k) => k.split('/')[3]?.startsWith(dataset.slice(0, 16)));
  if (matches.length === 0) throw new CliError(`no dataset matches '${dataset}' in ${store.url} (give a manifest key or a dataset hash prefix)`);
  if (matches.length > 1) throw new CliError(`'${dataset}' matches ${matches.length} datasets: ${matches.join(', ')}`);
  return matches[0]!;
}

async function printQuality(store: ArtifactStore, manifestKey: string, out: (line: string) => void): Promise<void> {
  const m = await readDatasetManifest(store, manifestKey);
  const q = JSON.parse(Buffer.from(await store.get(m.quality.key)).toString()) as QualityReport;
  out(`quality   ${q.rows} rows; ${q.gaps.count} gaps (${q.gaps.missingBars} missing bars); ${q.duplicates} duplicates; ${q.rejected.count} rejected`);
  for (const g of q.gaps.first.slice(0, 5)) out(`  gap ${iso(g.from)} .. ${iso(g.to)} (${g.bars} bars)`);
  for (const [reason, n] of Object.entries(q.rejected.byReason)) out(`  rejected ${n} × ${reason}`);
  for (const r of q.rejected.first.slice(0, 5)) out(`    ${Number.isFinite(r.openTime) ? iso(r.openTime) + ' ' : ''}${r.reason}`);
}

function fmt(v: unknown): string {
  const n = Number(v);
  return Number.isFinite(n) ? (Math.abs(n) >= 1e6 || (Math.abs(n) < 1e-3 && n !== 0) ? n.toExponential(4) : n.toFixed(4)) : String(v);
}
