import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore } from '../artifacts/ArtifactStore';
import { sha256File, sha256Hex } from '../artifacts/hash';
import { joinKey } from '../artifacts/keys';
import { InvalidInputError } from '../errors';
import type { Interval } from '../market/schema';
import type { MarketStore } from '../storage/MarketStore';
import type { DatasetManifest, DatasetRef } from './DatasetRef';
import type { QualityReport } from './QualityReport';

/**
 * Exports a stored series to Parquet and publishes it as a dataset:
 * `datasets/{symbol}/{interval}/{hash16}/{candles,trade_flow,funding,open_interest}.parquet`,
 * `quality.json`, and `manifest.json` written last. The key is content-addressed, so a retried
 * activity that produced the same data finds its dataset already published and writes nothing.
 */
export async function publishDataset(args: {
  store: ArtifactStore;
  market: MarketStore;
  symbol: string;
  interval: Interval;
  source: string;
  quality: QualityReport;
}): Promise<DatasetRef> {
  const { store, market, symbol, interval, quality } = args;
  if (quality.rows === 0 || quality.start === null || quality.end === null) {
    throw new InvalidInputError(`no valid candles for ${symbol} ${interval} from ${args.source} (${quality.rejected.count} rows rejected${firstReason(quality)})`);
  }
  const dir = await mkdtemp(join(tmpdir(), `ares-dataset-${randomUUID().slice(0, 8)}-`));
  try {
    const exported = await market.exportParquet(symbol, interval, dir, { from: quality.start, to: quality.end });
    const hashed = await Promise.all(
      (Object.entries(exported) as [keyof typeof exported, { path: string; rows: number }][]).map(async ([name, f]) => ({
        name, path: f.path, rows: f.rows, ...(await sha256File(f.path)),
      })),
    );
    const qualityJson = JSON.stringify(quality, null, 2);
    const datasetHash = sha256Hex(JSON.stringify({ symbol, interval, files: hashed.map((h) => [h.name, h.sha256]) }));
    const prefix = joinKey('datasets', symbol, interval, datasetHash.slice(0, 16));
    const manifestKey = joinKey(prefix, 'manifest.json');
    const ref: DatasetRef = { key: manifestKey, sha256: datasetHash, symbol, interval: interval, rows: quality.rows, start: quality.start, end: quality.end };
    if (await store.exists(manifestKey)) return ref;

    const files = {} as DatasetManifest['files'];
    for (const h of hashed) {
      const key = joinKey(prefix, h.path.slice(dir.length + 1));
      const info = await store.putFile(key, h.path);
      files[h.name] = { key, sha256: info.sha256, size: info.size, rows: h.rows };
    }
    const q = await store.put(joinKey(prefix, 'quality.json'), qualityJson);
    const manifest: DatasetManifest = {
      version: 1, datasetHash, symbol: symbol, interval, source: args.source,
      rows: quality.rows, start: quality.start, end: quality.end, files, quality: { key: q.key, sha256: q.sha256 },
    };
    await store.put(manifestKey, JSON.stringify(manifest, null, 2));
    return ref;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function firstReason(q: QualityReport): string {
  const first = q.rejected.first[0];
  return first ? `; first: ${first.reason} at open_time ${first.openTime}` : '';
}
