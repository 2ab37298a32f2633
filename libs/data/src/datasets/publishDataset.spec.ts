import { DuckDBInstance } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactInfo, ArtifactStore } from '../artifacts/ArtifactStore';
import { LocalArtifactStore } from '../artifacts/LocalArtifactStore';
import { IntegrityError, InvalidInputError } from '../errors';
import { generateSyntheticMarket } from '../sources/synthetic/SyntheticMarket';
import { MarketStore, type AppendReport } from '../storage/MarketStore';
import { withTempDir } from '../testing/tempDir';
import { DatasetRefSchema } from './DatasetRef';
import { publishDataset } from './publishDataset';
import { buildQualityReport } from './QualityReport';
import { downloadDatasetFile, readDatasetManifest } from './readDataset';
import { rejection } from '../testing';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** A store that records the keys written through it. */
function recording(store: ArtifactStore): ArtifactStore & { writes: string[] } {
  const writes: string[] = [];
  return {
    url: store.url,
    writes,
    put: (k, b) => (writes.push(k), store.put(k, b)),
    putFile: (k, p) => (writes.push(k), store.putFile(k, p)),
    putIfAbsent: (k, b) => (writes.push(k), store.putIfAbsent(k, b)),
    get: (k) => store.get(k),
    getFile: (k, p) => store.getFile(k, p),
    stat: (k) => store.stat(k),
    exists: (k) => store.exists(k),
    list: (p) => store.list(p),
    delete: (k) => store.delete(k),
    close: () => store.close(),
  };
}

/** A fresh local store, a fresh in-memory market store with `bars` synthetic bars, and a scratch dir. */
async function withFixture<T>(bars: number, fn: (f: { store: LocalArtifactStore; market: MarketStore; dir: string; publish: () => ReturnType<typeof publishDataset> }) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(join(dir, 'artifacts'));
    const market = await MarketStore.create();
    try {
      const appends: Record<string, AppendReport> = {};
      if (bars > 0) {
        const m = generateSyntheticMarket({ bars, seed: 5 });
        appends.candles = await market.appendCandles('BTCUSDT', '1h', m.candles);
        appends.funding = await market.appendFunding('BTCUSDT', m.funding);
      }
      const quality = buildQualityReport(await market.summarize('BTCUSDT', '1h'), appends);
      const publish = () => publishDataset({ store, market, symbol: 'BTCUSDT', interval: '1h', source: 'test', quality });
      return await fn({ store, market, dir, publish });
    } finally {
      market.close();
      await store.close();
    }
  });
}


describe('publishDataset', () => {
  it('publishes Parquet files, quality.json and a manifest under a content-addressed key', async () => {
    await withFixture(300, async ({ store, dir, publish }) => {
      const ref = await publish();
      expect(DatasetRefSchema.parse(ref)).toEqual(ref);
      const prefix = `datasets/BTCUSDT/1h/${ref.sha256.slice(0, 16)}`;
      expect(ref).toEqual({ key: `${prefix}/manifest.json`, sha256: ref.sha256, symbol: 'BTCUSDT', interval: '1h', rows: 300, start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 0, 1) + 299 * 3_600_000 });
      expect(await store.list('')).toEqual(
        ['candles.parquet', 'funding.parquet', 'manifest.json', 'open_interest.parquet', 'quality.json', 'trade_flow.parquet'].map((f) => `${prefix}/${f}`),
      );

      const manifest = await readDatasetManifest(store, ref.key);
      expect(manifest).toMatchObject({ version: 1, datasetHash: ref.sha256, symbol: 'BTCUSDT', interval: '1h', source: 'test', rows: 300, start: ref.start, end: ref.end });
      expect(manifest.files.candles).toMatchObject({ key: `${prefix}/candles.parquet`, rows: 300 });
      expect(manifest.files.tradeFlow.rows).toBe(0);
      expect(manifest.files.funding.rows).toBeGreaterThan(0);
      for (const name of ['candles', 'tradeFlow', 'funding', 'openInterest'] as const) {
        const entry = manifest.files[name];
        const path = await downloadDatasetFile(store, manifest, name, join(dir, 'down'));
        const bytes = await readFile(path);
        expect({ name, sha256: sha256(bytes), size: bytes.length }).toEqual({ name, sha256: entry.sha256, size: entry.size });
      }
      const quality = await store.get(manifest.quality.key);
      expect(sha256(quality)).toBe(manifest.quality.sha256);
      expect(JSON.parse(Buffer.from(quality).toString())).toMatchObject({ rows: 300, gaps: { count: 0 }, rejected: { count: 0 } });

      const instance = await DuckDBInstance.create(':memory:');
      const db = await instance.connect();
      try {
        const path = await downloadDatasetFile(store, manifest, 'candles', join(dir, 'down2'));
        const r = await db.runAndReadAll(`SELECT count(*)::DOUBLE, min(open_time)::DOUBLE, max(open_time)::DOUBLE FROM read_parquet('${path}')`);
        expect(r.getRows()[0]).toEqual([300, ref.start, ref.end]);
      } finally {
        db.closeSync();
        instance.closeSync();
      }
    });
  });

  it('writes nothing when the same data is published again, and returns the same ref', async () => {
    await withFixture(200, async ({ store, market, publish }) => {
      const first = await publish();
      const rec = recording(store);
      const quality = buildQualityReport(await market.summarize('BTCUSDT', '1h'), {});
      const again = await publishDataset({ store: rec, market, symbol: 'BTCUSDT', interval: '1h', source: 'test', quality });
      expect(again).toEqual(first);
      expect(rec.writes).toEqual([]);
    });
  });

  it('gives a different dataset hash for different data', async () => {
    const a = await withFixture(200, ({ publish }) => publish());
    const b = await withFixture(201, ({ publish }) => publish());
    expect(b.sha256).not.toBe(a.sha256);
    expect(b.key).not.toBe(a.key);
  });

  it('refuses to publish an empty series: InvalidInputError "no valid candles", nothing written', async () => {
    await withFixture(0, async ({ store, publish }) => {
      const err = await rejection(publish());
      expect(err).toBeInstanceOf(InvalidInputError);
      expect(err.message).toMatch(/^no valid candles for BTCUSDT 1h from test \(0 rows rejected\)/);
      expect(await store.list('')).toEqual([]);
    });
  });
});

describe('readDatasetManifest and downloadDatasetFile', () => {
  it('throw IntegrityError when a file no longer matches the manifest', async () => {
    await withFixture(100, async ({ store, dir, publish }) => {
      const ref = await publish();
      const manifest = await readDatasetManifest(store, ref.key);
      await store.put(manifest.files.candles.key, 'not the parquet file');
      const err = await rejection(downloadDatasetFile(store, manifest, 'candles', dir));
      expect(err).toBeInstanceOf(IntegrityError);
      expect(err.message).toContain(manifest.files.candles.key);
      expect(err.message).toContain(sha256('not the parquet file'));
      expect(err.message).toContain(manifest.files.candles.sha256);
    });
  });

  it('rejects a manifest that breaks the schema, naming the field', async () => {
    await withFixture(100, async ({ store, publish }) => {
      const ref = await publish();
      const manifest = JSON.parse(Buffer.from(await store.get(ref.key)).toString());
      await store.put('bad/manifest.json', JSON.stringify({ ...manifest, interval: '7m' }));
      const err = await rejection(readDatasetManifest(store, 'bad/manifest.json'));
      expect(err).toBeInstanceOf(InvalidInputError);
      expect(err.message).toContain("dataset manifest bad/manifest.json: field 'interval'");
    });
  });
});

// Keeps the recording wrapper honest: it forwards to the store it wraps.
it('recording store forwards writes', async () => {
  await withTempDir(async (dir) => {
    const rec = recording(await LocalArtifactStore.create(dir));
    const info: ArtifactInfo = await rec.put('a', 'abc');
    expect(info.size).toBe(3);
    expect(rec.writes).toEqual(['a']);
    expect(await rec.list('')).toEqual(['a']);
  });
});
