// collectMarketData({ source: 'binance' }) end to end against a local replay server that answers
// in Binance's wire format (sources/binance/replayServer.ts): resume from a persistent MarketStore,
// Binance's "Invalid symbol." rejection, and a 429 with Retry-After. No test needs the internet.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from './artifacts/ArtifactStore';
import { LocalArtifactStore } from './artifacts/LocalArtifactStore';
import { collectMarketData } from './collect';
import type { DatasetRef } from './datasets/DatasetRef';
import type { QualityReport } from './datasets/QualityReport';
import { downloadDatasetFile, readDatasetManifest } from './datasets/readDataset';
import { InvalidInputError } from './errors';
import {
  binanceError,
  fundingSeries,
  klineSeries,
  openInterestSeries,
  scripted,
  simulateBinance,
  withReplayServer,
  type ReplayServer,
} from './sources/binance/replayServer';
import { MarketStore } from './storage/MarketStore';
import { queryParquet, rejection, withTempDir } from './testing';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1); // long past: every bar is closed by the real clock
const t = (i: number) => T0 + i * H;
const BARS = 300;
const KLINES = klineSeries(BARS, T0, H);
const FUNDING = fundingSeries('BTCUSDT', BARS / 8, T0);
const OPEN_INTEREST = openInterestSeries('BTCUSDT', BARS, T0, H);
const MARKET = { symbol: 'BTCUSDT', klines: KLINES, funding: FUNDING, openInterest: OPEN_INTEREST };

/** A binance collect request for bars first..last (inclusive) against `server`. */
const request = (server: ReplayServer, first: number, last: number, symbol = 'BTCUSDT') => ({
  source: 'binance' as const,
  symbol,
  interval: '1h' as const,
  start: t(first),
  end: t(last),
  spotBaseUrl: server.baseUrl,
  futuresBaseUrl: server.baseUrl,
});

/** A fresh local artifact store, a scratch dir and the temp dir itself (for a MarketStore file). */
async function withLocalStore<T>(fn: (store: LocalArtifactStore, tmpDir: string, dir: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(join(dir, 'artifacts'));
    const tmpDir = join(dir, 'tmp');
    await mkdir(tmpDir);
    try {
      return await fn(store, tmpDir, dir);
    } finally {
      await store.close();
    }
  });
}

async function withMarket<T>(path: string, fn: (market: MarketStore) => Promise<T>): Promise<T> {
  const market = await MarketStore.create(path);
  try {
    return await fn(market);
  } finally {
    market.close();
  }
}

async function quality(store: ArtifactStore, ref: DatasetRef): Promise<QualityReport> {
  const manifest = await readDatasetManifest(store, ref.key);
  return JSON.parse(Buffer.from(await store.get(manifest.quality.key)).toString('utf8')) as QualityReport;
}

/** Rows of a query over one of the dataset's Parquet files, read by a DuckDB of its own. */
async function queryDatasetFile(store: ArtifactStore, ref: DatasetRef, file: 'candles' | 'funding' | 'openInterest', dir: string, sql: string): Promise<number[][]> {
  const manifest = await readDatasetManifest(store, ref.key);
  const path = await downloadDatasetFile(store, manifest, file, join(dir, `download-${ref.sha256.slice(0, 8)}`));
  return queryParquet(path, sql);
}

const klineRequests = (server: ReplayServer) => server.requests.filter((r) => r.path === '/api/v3/klines');

describe('collectMarketData: binance source (local replay server)', () => {
  it('resumes after the last stored bar: the second collect downloads only the new klines, giving 300 rows without gaps or duplicates', async () => {
    await withReplayServer(simulateBinance(MARKET), async (server) => {
      await withLocalStore(async (store, tmpDir, dir) => {
        const marketPath = join(dir, 'market', 'market.duckdb');

        // First collect: bars 0..199 into a persistent market store.
        const first = await withMarket(marketPath, (market) => collectMarketData(request(server, 0, 199), { store, tmpDir, market }));
        expect(first).toMatchObject({ symbol: 'BTCUSDT', interval: '1h', rows: 200, start: t(0), end: t(199) });
        expect(await quality(store, first)).toMatchObject({ rows: 200, gaps: { count: 0, missingBars: 0 }, duplicates: 0, rejected: { count: 0 } });
        expect(klineRequests(server).map((r) => Number(r.query.get('startTime')))).toEqual([t(0)]);
        // Funding and open interest went to the futures endpoints of the same server.
        expect(new Set(server.requests.map((r) => r.path))).toEqual(new Set(['/api/v3/klines', '/fapi/v1/fundingRate', '/futures/data/openInterestHist']));

        // Second collect: bars 0..299, with the same market store file (reopened, as a new process would).
        const before = server.requests.length;
        const second = await withMarket(marketPath, async (market) => {
          expect(await market.lastOpenTime('BTCUSDT', '1h')).toBe(t(199));
          return collectMarketData(request(server, 0, 299), { store, tmpDir, market });
        });
        const secondKlines = klineRequests({ ...server, requests: server.requests.slice(before) });
        expect(secondKlines.length).toBeGreaterThan(0);
        // Every klines request of the second call starts at (last stored open time + 1h) or later: nothing stored is fetched again.
        expect(Number(secondKlines[0]!.query.get('startTime'))).toBe(t(199) + H);
        expect(secondKlines.every((r) => Number(r.query.get('startTime')) >= t(200))).toBe(true);

        expect(second).toMatchObject({ symbol: 'BTCUSDT', interval: '1h', rows: 300, start: t(0), end: t(299) });
        expect(second.sha256).not.toBe(first.sha256);
        const q = await quality(store, second);
        expect(q).toMatchObject({ rows: 300, start: t(0), end: t(299), gaps: { count: 0, missingBars: 0, first: [] }, duplicates: 0, rejected: { count: 0 } });
        // Only the 100 new bars were received and inserted in the second call.
        expect(q.tables.candles).toEqual({ received: 100, inserted: 100, duplicates: 0, rejected: 0 });

        // The published candles: 300 distinct consecutive open times, values as Binance sent them.
        expect(await queryDatasetFile(store, second, 'candles', tmpDir, 'SELECT count(*), count(DISTINCT open_time), min(open_time), max(open_time) FROM $file'))
          .toEqual([[300, 300, t(0), t(299)]]);
        const closes = await queryDatasetFile(store, second, 'candles', tmpDir, 'SELECT open_time, close FROM $file ORDER BY open_time');
        expect(closes).toEqual(KLINES.map((k) => [k[0], Number(k[4])]));
        // Derivatives cover the whole dataset too (funding every 8 h, open interest hourly; export reaches one bar past the end).
        expect(await queryDatasetFile(store, second, 'funding', tmpDir, 'SELECT count(*) FROM $file')).toEqual([[FUNDING.length]]);
        expect(await queryDatasetFile(store, second, 'openInterest', tmpDir, 'SELECT count(*), count(DISTINCT time) FROM $file')).toEqual([[BARS, BARS]]);
      });
    });
  });

  it('does not resume past missing leading bars: stored 100..199, then 0..299 downloads from bar 0 and gives all 300 rows', async () => {
    await withReplayServer(simulateBinance(MARKET), async (server) => {
      await withLocalStore(async (store, tmpDir, dir) => {
        const marketPath = join(dir, 'market', 'market.duckdb');
        await withMarket(marketPath, (market) => collectMarketData(request(server, 100, 199), { store, tmpDir, market }));
        const before = server.requests.length;
        const second = await withMarket(marketPath, (market) => collectMarketData(request(server, 0, 299), { store, tmpDir, market }));
        const secondKlines = klineRequests({ ...server, requests: server.requests.slice(before) });
        expect(Number(secondKlines[0]!.query.get('startTime'))).toBe(t(0));
        expect(second).toMatchObject({ rows: 300, start: t(0), end: t(299) });
        expect(await quality(store, second)).toMatchObject({ rows: 300, gaps: { count: 0 }, duplicates: 100 });
      });
    });
  });

  it("rejects Binance's 400 -1121 \"Invalid symbol.\" with InvalidInputError and publishes nothing", async () => {
    // The simulator only knows ETHUSDT, so BTCUSDT gets Binance's real error body.
    await withReplayServer(simulateBinance({ ...MARKET, symbol: 'ETHUSDT' }), async (server) => {
      await withLocalStore(async (store, tmpDir) => {
        const err = await rejection(collectMarketData(request(server, 0, 199), { store, tmpDir }));
        expect(err).toBeInstanceOf(InvalidInputError);
        expect(err.message).toContain('Invalid symbol');
        expect(err.message).toContain('-1121');
        expect(err.message).toContain('BTCUSDT');
        // A 4xx other than 429/418 is not retried.
        expect(server.requests).toHaveLength(1);
        expect(await store.list('')).toEqual([]);
      });
    });
  });

  it('waits out a 429 with Retry-After and still collects the dataset', async () => {
    const tooMany = binanceError(429, -1003, 'Too many requests; current limit of IP is 6000 requests per minute.', { 'retry-after': '1' });
    await withReplayServer(scripted([tooMany], simulateBinance(MARKET)), async (server) => {
      await withLocalStore(async (store, tmpDir) => {
        const started = Date.now();
        const ref = await collectMarketData(request(server, 0, 99), { store, tmpDir });
        const elapsed = Date.now() - started;
        expect(ref).toMatchObject({ rows: 100, start: t(0), end: t(99) });
        expect(await quality(store, ref)).toMatchObject({ rows: 100, gaps: { count: 0 }, duplicates: 0, rejected: { count: 0 } });
        // The rate-limited klines request was repeated, unchanged, after Retry-After (1 s).
        const [limited, retried] = server.requests;
        expect(limited!.path).toBe('/api/v3/klines');
        expect(retried!.path).toBe('/api/v3/klines');
        expect(retried!.query.toString()).toBe(limited!.query.toString());
        expect(klineRequests(server)).toHaveLength(2);
        expect(elapsed).toBeGreaterThanOrEqual(900);
      });
    });
  });
});
