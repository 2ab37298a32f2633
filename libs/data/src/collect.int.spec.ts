import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from './artifacts/ArtifactStore';
import { LocalArtifactStore } from './artifacts/LocalArtifactStore';
import { collectMarketData } from './collect';
import { DatasetRefSchema, type DatasetRef } from './datasets/DatasetRef';
import type { QualityReport } from './datasets/QualityReport';
import { downloadDatasetFile, readDatasetManifest } from './datasets/readDataset';
import { InvalidInputError, InvalidKeyError } from './errors';
import { startMinio, withBucket, type MinioServer } from './testing/minio';
import { withTempDir } from './testing/tempDir';
import { queryParquet, rejection } from './testing';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const t = (i: number) => T0 + i * H;
const SYNTHETIC = { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 2000 } as const;

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** A fresh local artifact store and a scratch dir for downloads. */
async function withLocalStore<T>(fn: (store: LocalArtifactStore, tmpDir: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(join(dir, 'artifacts'));
    const tmpDir = join(dir, 'tmp');
    await mkdir(tmpDir);
    try {
      return await fn(store, tmpDir);
    } finally {
      await store.close();
    }
  });
}

/** Counts writes going through a store. */
function recording(store: ArtifactStore): ArtifactStore & { writes: string[] } {
  const writes: string[] = [];
  return {
    url: store.url, writes,
    put: (k, b) => (writes.push(k), store.put(k, b)),
    putFile: (k, p) => (writes.push(k), store.putFile(k, p)),
    putIfAbsent: (k, b) => (writes.push(k), store.putIfAbsent(k, b)),
    get: (k) => store.get(k), getFile: (k, p) => store.getFile(k, p), stat: (k) => store.stat(k),
    exists: (k) => store.exists(k), list: (p) => store.list(p), delete: (k) => store.delete(k), close: () => store.close(),
  };
}


/** Checks a published dataset end to end: manifest, every file's hash, the candles' row count. */
async function checkDataset(store: ArtifactStore, ref: DatasetRef, tmpDir: string): Promise<void> {
  expect(DatasetRefSchema.parse(ref)).toEqual(ref);
  expect(ref.key).toBe(`datasets/${ref.symbol}/${ref.interval}/${ref.sha256.slice(0, 16)}/manifest.json`);
  expect(await store.exists(ref.key)).toBe(true);
  const manifest = await readDatasetManifest(store, ref.key);
  expect(manifest).toMatchObject({ datasetHash: ref.sha256, symbol: ref.symbol, interval: ref.interval, rows: ref.rows, start: ref.start, end: ref.end });
  for (const name of ['candles', 'tradeFlow', 'funding', 'openInterest'] as const) {
    const path = await downloadDatasetFile(store, manifest, name, join(tmpDir, 'download'));
    const bytes = await readFile(path);
    expect({ name, sha256: sha256(bytes), size: bytes.length }).toEqual({ name, sha256: manifest.files[name].sha256, size: manifest.files[name].size });
    expect((await store.stat(manifest.files[name].key))?.sha256).toBe(sha256(bytes));
  }
  const candles = await downloadDatasetFile(store, manifest, 'candles', join(tmpDir, 'download'));
  expect(await queryParquet(candles, 'SELECT count(*), min(open_time), max(open_time) FROM $file')).toEqual([[ref.rows, ref.start, ref.end]]);
}

async function quality(store: ArtifactStore, ref: DatasetRef): Promise<QualityReport> {
  const manifest = await readDatasetManifest(store, ref.key);
  const bytes = await store.get(manifest.quality.key);
  expect(sha256(bytes)).toBe(manifest.quality.sha256);
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as QualityReport;
}


/** One row of a Binance spot kline CSV (no header, ms times) for bar i of 1h from T0. */
function csvRow(openTime: number, o: number, h: number, l: number, c: number, closeTime = openTime + H - 1): string {
  return [openTime, o, h, l, c, 12.5, closeTime, 12.5 * c, 40, 6.25, 6.25 * c, 0].join(',');
}

let minio: MinioServer;
beforeAll(async () => {
  minio = await startMinio();
});
afterAll(async () => {
  await minio?.stop();
});

describe('collectMarketData: synthetic source', () => {
  it('publishes a dataset whose manifest, file hashes and Parquet rows check out', async () => {
    await withLocalStore(async (store, tmpDir) => {
      const stages: string[] = [];
      const ref = await collectMarketData(SYNTHETIC, { store, tmpDir, onProgress: (stage) => stages.push(stage) });
      expect(ref).toMatchObject({ symbol: 'BTCUSDT', interval: '1h', rows: 2000, start: T0, end: t(1999) });
      expect(stages).toEqual(['fetch', 'store', 'publish']);
      await checkDataset(store, ref, tmpDir);
      expect(await quality(store, ref)).toMatchObject({ rows: 2000, gaps: { count: 0, missingBars: 0 }, duplicates: 0, rejected: { count: 0 } });
    });
  });

  it('is idempotent and content-addressed: a rerun gives the same key and hash and writes nothing', async () => {
    await withLocalStore(async (store, tmpDir) => {
      const first = await collectMarketData(SYNTHETIC, { store, tmpDir });
      const keys = await store.list('');
      const rec = recording(store);
      const second = await collectMarketData(SYNTHETIC, { store: rec, tmpDir });
      expect(second).toEqual(first);
      expect(rec.writes).toEqual([]);
      expect(await store.list('')).toEqual(keys);
      // Another seed is other data: another hash and key.
      const other = await collectMarketData({ ...SYNTHETIC, seed: 43 }, { store, tmpDir });
      expect(other.sha256).not.toBe(first.sha256);
      expect(other.key).not.toBe(first.key);
    });
  });

  it('gives the same dataset hash and key on MinIO as in a local store', async () => {
    const local = await withLocalStore((store, tmpDir) => collectMarketData(SYNTHETIC, { store, tmpDir }));
    await withBucket(minio, async (s3) => {
      await withTempDir(async (tmpDir) => {
        const ref = await collectMarketData(SYNTHETIC, { store: s3, tmpDir });
        expect(ref).toEqual(local);
        await checkDataset(s3, ref, tmpDir);
      });
    });
  });

  it.each([
    [{ ...SYNTHETIC, symbol: '../x' }, "field 'symbol'"],
    [{ ...SYNTHETIC, interval: 'abc' }, "field 'interval'"],
  ])('rejects %j with InvalidInputError naming the field, writing nothing', async (req, field) => {
    await withLocalStore(async (store, tmpDir) => {
      const err = await rejection(collectMarketData(req, { store, tmpDir }));
      expect(err).toBeInstanceOf(InvalidInputError);
      expect(err.message).toContain(field);
      expect(await store.list('')).toEqual([]);
    });
  });
});

describe('collectMarketData: CSV source', () => {
  it('imports an uploaded Binance CSV, de-duplicates it and reports rejected rows and gaps', async () => {
    await withLocalStore(async (store, tmpDir) => {
      const csv = [
        csvRow(t(0), 100, 103, 99, 102), // line 1
        csvRow(t(1), 102, 104, 101, 103), // line 2
        csvRow(t(2), 103, 101, 100, 102), // line 3: high 101 < max(open, close) 103
        csvRow(t(3), 102, 106, 101, 105), // line 4
        csvRow(t(3), 102, 107, 101, 106), // line 5: repeats bar 3; the first occurrence is kept
        csvRow(t(5), 105, 108, 104, 107), // line 6: bar 4 is missing
      ].join('\n');
      await store.put('imports/x.csv', csv);
      const ref = await collectMarketData({ source: 'csv', symbol: 'BTCUSDT', interval: '1h', files: ['imports/x.csv'] }, { store, tmpDir });
      expect(ref).toMatchObject({ symbol: 'BTCUSDT', interval: '1h', rows: 4, start: t(0), end: t(5) });
      await checkDataset(store, ref, tmpDir);

      const manifest = await readDatasetManifest(store, ref.key);
      expect(manifest.source).toBe('csv(imports/x.csv)');
      const candles = await downloadDatasetFile(store, manifest, 'candles', tmpDir);
      expect(await queryParquet(candles, 'SELECT open_time, open, high, low, close FROM $file')).toEqual([
        [t(0), 100, 103, 99, 102],
        [t(1), 102, 104, 101, 103],
        [t(3), 102, 106, 101, 105],
        [t(5), 105, 108, 104, 107],
      ]);

      const q = await quality(store, ref);
      expect(q).toMatchObject({
        rows: 4,
        duplicates: 1,
        gaps: { count: 2, missingBars: 2, first: [{ from: t(2), to: t(2), bars: 1 }, { from: t(4), to: t(4), bars: 1 }] },
        rejected: { count: 1 },
      });
      expect(q.rejected.first).toHaveLength(1);
      expect(q.rejected.first[0]!.reason).toBe('x.csv line 3: high 101 < max(open, close) 103');
    });
  });

  it('rejects a CSV in which every row is invalid with InvalidInputError, publishing nothing', async () => {
    await withLocalStore(async (store, tmpDir) => {
      // high < low on every row.
      await store.put('imports/bad.csv', [0, 1, 2].map((i) => csvRow(t(i), 100, 95, 105, 100)).join('\n'));
      const err = await rejection(collectMarketData({ source: 'csv', symbol: 'BTCUSDT', interval: '1h', files: ['imports/bad.csv'] }, { store, tmpDir }));
      expect(err).toBeInstanceOf(InvalidInputError);
      // Today the CSV importer refuses the file ("bad.csv: no valid rows (3 of 3 rows rejected; …)")
      // before publishDataset could say "no valid candles"; either way the file and first reason are named.
      expect(err.message).toMatch(/no valid (rows|candles)/);
      expect(err.message).toContain('bad.csv');
      expect(err.message).toContain('high 95 < max(open, close) 100');
      expect(await store.list('datasets/')).toEqual([]);
    });
  });

  it('rejects a file key that is not a valid artifact key', async () => {
    await withLocalStore(async (store, tmpDir) => {
      const err = await rejection(collectMarketData({ source: 'csv', symbol: 'BTCUSDT', interval: '1h', files: ['../x.csv'] }, { store, tmpDir }));
      expect(err).toBeInstanceOf(InvalidKeyError);
      expect(err.message).toContain("'../x.csv'");
    });
  });

  it('collects a weekly Binance CSV (bars open on Monday 00:00 UTC)', async () => {
    await withLocalStore(async (store, tmpDir) => {
      const W = 7 * 24 * H;
      await store.put('imports/w.csv', [csvRow(T0, 100, 110, 90, 105, T0 + W - 1), csvRow(T0 + W, 105, 115, 95, 110, T0 + 2 * W - 1)].join('\n'));
      const ref = await collectMarketData({ source: 'csv', symbol: 'BTCUSDT', interval: '1w', files: ['imports/w.csv'] }, { store, tmpDir });
      expect(ref).toMatchObject({ rows: 2, start: T0, end: T0 + W });
    });
  });
});
