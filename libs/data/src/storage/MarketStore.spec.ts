import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '../errors';
import { CANDLE_FIELDS, type CandleColumns, type Interval, type Kline } from '../market/schema';
import { generateSyntheticMarket, type SyntheticMarket } from '../sources/synthetic/SyntheticMarket';
import { withTempDir } from '../testing/tempDir';
import { MarketStore } from './MarketStore';
import { rejection } from '../testing';

const H = 3_600_000;
/** 2024-01-01T00:00:00Z, on the 1h grid. */
const T0 = Date.UTC(2024, 0, 1);
const t = (i: number) => T0 + i * H;

/** A fresh in-memory store per test. */
async function withMarketStore<T>(fn: (store: MarketStore) => Promise<T>): Promise<T> {
  const store = await MarketStore.create(':memory:');
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** A separate DuckDB, so files are read back by something other than the store that wrote them. */
async function withDuckDB<T>(fn: (db: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Hand-checkable 1h klines: bar i opens at t(i) with open 100 + i, close 101 + i, high close + 2,
 * low open - 2; `overrides` replace any field of a row.
 */
function klines(indices: readonly number[], overrides: Record<number, Partial<Kline>> = {}): CandleColumns {
  const rows: Kline[] = indices.map((i, row) => ({
    openTime: t(i), open: 100 + i, high: 103 + i, low: 98 + i, close: 101 + i, volume: 10 + i,
    closeTime: t(i) + H - 1, quoteVolume: 1000 + i, trades: 50 + i, takerBuyBaseVolume: 4 + i, takerBuyQuoteVolume: 400 + i,
    ...overrides[row],
  }));
  const cols: Record<string, Float64Array | number> = { length: rows.length };
  for (const f of CANDLE_FIELDS) cols[f] = Float64Array.from(rows, (r) => r[f]);
  return cols as unknown as CandleColumns;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

/** Rows of the `candles` view for BTCUSDT 1h, by open time. */
async function storedCandles(store: MarketStore, columns = 'open_time, close'): Promise<number[][]> {
  const r = await store.connection.runAndReadAll(`SELECT ${columns} FROM candles WHERE symbol = 'BTCUSDT' AND interval = '1h' ORDER BY open_time`);
  return r.getRows().map((row) => row.map(Number));
}

const sha256File = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');


async function appendMarket(store: MarketStore, m: SyntheticMarket): Promise<void> {
  await store.appendCandles(m.symbol, m.interval, m.candles);
  await store.appendTradeFlow(m.symbol, m.interval, m.tradeFlow);
  await store.appendFunding(m.symbol, m.funding);
  await store.appendOpenInterest(m.symbol, m.openInterest);
}

describe('MarketStore appends', () => {
  it('appends a batch and summarizes it', async () => {
    await withMarketStore(async (store) => {
      expect(await store.appendCandles('BTCUSDT', '1h', klines(range(0, 5)))).toEqual({ received: 5, inserted: 5, duplicates: 0, rejected: [] });
      expect(await store.summarize('BTCUSDT', '1h')).toEqual({ rows: 5, firstOpenTime: t(0), lastOpenTime: t(4), gaps: [], missingBars: 0 });
      expect(await storedCandles(store, 'open_time, open, high, low, close, volume, close_time')).toEqual(
        range(0, 5).map((i) => [t(i), 100 + i, 103 + i, 98 + i, 101 + i, 10 + i, t(i) + H - 1]),
      );
      expect(await store.listSeries()).toEqual([{ symbol: 'BTCUSDT', interval: '1h', rows: 5 }]);
      // Another series is separate.
      expect(await store.summarize('ETHUSDT', '1h')).toEqual({ rows: 0, firstOpenTime: null, lastOpenTime: null, gaps: [], missingBars: 0 });
    });
  });

  it('inserts nothing when the same batch is appended again, and counts the duplicates', async () => {
    await withMarketStore(async (store) => {
      await store.appendCandles('BTCUSDT', '1h', klines(range(0, 5)));
      expect(await store.appendCandles('BTCUSDT', '1h', klines(range(0, 5)))).toEqual({ received: 5, inserted: 0, duplicates: 5, rejected: [] });
      expect((await store.summarize('BTCUSDT', '1h')).rows).toBe(5);
    });
  });

  it('inserts only the new rows of an overlapping batch and keeps the stored values of the old ones', async () => {
    await withMarketStore(async (store) => {
      await store.appendCandles('BTCUSDT', '1h', klines(range(0, 10)));
      // Bars 5..14: the first half is already stored; give those rows other closes to see which win.
      const overlap = klines(range(5, 15), Object.fromEntries(range(0, 5).map((k) => [k, { close: 102 + 5 + k }])));
      expect(await store.appendCandles('BTCUSDT', '1h', overlap)).toEqual({ received: 10, inserted: 5, duplicates: 5, rejected: [] });
      expect(await storedCandles(store)).toEqual(range(0, 15).map((i) => [t(i), 101 + i]));
      expect(await store.summarize('BTCUSDT', '1h')).toMatchObject({ rows: 15, firstOpenTime: t(0), lastOpenTime: t(14), gaps: [] });
    });
  });

  it('keeps the first occurrence of a time repeated within one batch', async () => {
    await withMarketStore(async (store) => {
      // Rows: bar 0 (close 101), bar 1, bar 0 again (close 102), bar 2, bar 1 again (close 103).
      const batch = klines([0, 1, 0, 2, 1], { 2: { close: 102 }, 4: { close: 103 } });
      expect(await store.appendCandles('BTCUSDT', '1h', batch)).toEqual({ received: 5, inserted: 3, duplicates: 2, rejected: [] });
      expect(await storedCandles(store)).toEqual([[t(0), 101], [t(1), 102], [t(2), 103]]);
    });
  });

  it('stores an out-of-order batch sorted by open time', async () => {
    await withMarketStore(async (store) => {
      expect(await store.appendCandles('BTCUSDT', '1h', klines([3, 0, 2, 1, 4]))).toMatchObject({ inserted: 5, duplicates: 0 });
      // Physical order of the table (rowid), not just an ORDER BY on the way out.
      const r = await store.connection.runAndReadAll('SELECT open_time FROM candle_rows ORDER BY rowid');
      expect(r.getRows().map(([v]) => Number(v))).toEqual(range(0, 5).map(t));
      expect(await store.summarize('BTCUSDT', '1h')).toMatchObject({ rows: 5, firstOpenTime: t(0), lastOpenTime: t(4), gaps: [] });
    });
  });

  it('accepts a batch that lies before the stored bars', async () => {
    await withMarketStore(async (store) => {
      await store.appendCandles('BTCUSDT', '1h', klines(range(5, 10)));
      expect(await store.appendCandles('BTCUSDT', '1h', klines(range(0, 5)))).toEqual({ received: 5, inserted: 5, duplicates: 0, rejected: [] });
      expect(await storedCandles(store)).toEqual(range(0, 10).map((i) => [t(i), 101 + i]));
    });
  });

  it('rejects inconsistent rows with a reason each and stores the rest', async () => {
    await withMarketStore(async (store) => {
      // Bars 0..7; rows 1, 2, 3, 4 and 6 are broken, rows 0, 5 and 7 are fine.
      const batch = klines(range(0, 8), {
        1: { high: 100 }, // open 101, close 102: high < max(open, close)
        2: { low: 103 }, // open 102, close 103: low > min(open, close)
        3: { volume: -1 },
        4: { close: Number.NaN },
        6: { openTime: t(6) + 60_000, closeTime: t(6) + 60_000 + H - 1 }, // one minute off the 1h grid
      });
      const report = await store.appendCandles('BTCUSDT', '1h', batch);
      expect(report).toEqual({
        received: 8,
        inserted: 3,
        duplicates: 0,
        rejected: [
          { openTime: t(1), reason: 'high 100 < max(open, close) 102' },
          { openTime: t(2), reason: 'low 103 > min(open, close) 102' },
          { openTime: t(3), reason: 'negative volume or trade count' },
          { openTime: t(4), reason: 'non-finite value' },
          { openTime: t(6) + 60_000, reason: `open_time ${t(6) + 60_000} not aligned to 1h bars` },
        ],
      });
      expect((await storedCandles(store)).map(([time]) => time)).toEqual([t(0), t(5), t(7)]);
    });
  });

  it('rejects more rule breaks: taker buy above volume, close before open, non-positive price', async () => {
    await withMarketStore(async (store) => {
      const batch = klines(range(0, 3), {
        0: { takerBuyBaseVolume: 11 }, // volume 10
        1: { closeTime: t(1) },
        2: { open: 0 },
      });
      const report = await store.appendCandles('BTCUSDT', '1h', batch);
      expect(report.inserted).toBe(0);
      expect(report.rejected.map((r) => r.reason)).toEqual([
        'taker_buy_base_volume 11 > volume 10',
        `close_time ${t(1)} <= open_time ${t(1)}`,
        expect.stringMatching(/^non-positive price: open 0,/),
      ]);
    });
  });

  it('accepts Binance weekly bars, which open on Monday 00:00 UTC', async () => {
    await withMarketStore(async (store) => {
      const W = 7 * 24 * H;
      // 2024-01-01 and 2024-01-08 are Mondays (e.g. data.binance.vision BTCUSDT-1w-2024-01.csv).
      const weekly = klines([0, W / H], { 0: { closeTime: T0 + W - 1 }, 1: { closeTime: T0 + 2 * W - 1 } });
      const report = await store.appendCandles('BTCUSDT', '1w', weekly);
      expect(report.rejected).toEqual([]);
      expect(report.inserted).toBe(2);
    });
  });

  it('reports the open time of the last stored bar, or null', async () => {
    await withMarketStore(async (store) => {
      expect(await store.lastOpenTime('BTCUSDT', '1h')).toBeNull();
      await store.appendCandles('BTCUSDT', '1h', klines([0, 1, 7]));
      expect(await store.lastOpenTime('BTCUSDT', '1h')).toBe(t(7));
      expect(await store.lastOpenTime('BTCUSDT', '4h')).toBeNull();
      await store.appendCandles('BTCUSDT', '1h', klines([3]));
      expect(await store.lastOpenTime('BTCUSDT', '1h')).toBe(t(7));
    });
  });
});

describe('MarketStore gaps', () => {
  it('finds each run of missing bars with exact from, to and length', async () => {
    await withMarketStore(async (store) => {
      // 0..19 without 3, 4 and 10, 11, 12.
      const present = range(0, 20).filter((i) => ![3, 4, 10, 11, 12].includes(i));
      await store.appendCandles('BTCUSDT', '1h', klines(present));
      expect(await store.summarize('BTCUSDT', '1h')).toEqual({
        rows: 15,
        firstOpenTime: t(0),
        lastOpenTime: t(19),
        gaps: [
          { from: t(3), to: t(4), bars: 2 },
          { from: t(10), to: t(12), bars: 3 },
        ],
        missingBars: 5,
      });
      // A range restricts rows and gaps alike.
      expect(await store.summarize('BTCUSDT', '1h', { from: t(6), to: t(19) })).toEqual({
        rows: 11, firstOpenTime: t(6), lastOpenTime: t(19), gaps: [{ from: t(10), to: t(12), bars: 3 }], missingBars: 3,
      });
    });
  });

  it('fills a gap when the missing bars arrive later', async () => {
    await withMarketStore(async (store) => {
      await store.appendCandles('BTCUSDT', '1h', klines([0, 1, 5, 6]));
      expect((await store.summarize('BTCUSDT', '1h')).gaps).toEqual([{ from: t(2), to: t(4), bars: 3 }]);
      expect(await store.appendCandles('BTCUSDT', '1h', klines([1, 2, 3, 4]))).toMatchObject({ inserted: 3, duplicates: 1 });
      expect(await store.summarize('BTCUSDT', '1h')).toMatchObject({ rows: 7, gaps: [], missingBars: 0 });
    });
  });
});

describe('MarketStore.exportParquet', () => {
  // 500 bars of 1h: 2024-01-01T00:00Z .. 2024-01-21T19:00Z.
  const market = () => generateSyntheticMarket({ symbol: 'BTCUSDT', interval: '1h', bars: 500, seed: 7 });

  it('writes every table with the stored rows and values, ordered by time', async () => {
    const m = market();
    const n = m.candles.length;
    const from = m.candles.openTime[0]!;
    const to = m.candles.openTime[n - 1]!;
    await withMarketStore(async (store) => {
      await appendMarket(store, m);
      await withTempDir(async (dir) => {
        const out = await store.exportParquet('BTCUSDT', '1h', dir, { from, to });
        // Funding and open interest go up to one bar past the last candle (see exportParquet's doc).
        const expectFunding = m.funding.filter((f) => f.fundingTime >= from && f.fundingTime <= to + H).length;
        const expectOi = m.openInterest.filter((o) => o.time >= from && o.time <= to + H).length;
        expect(expectFunding).toBeGreaterThan(0);
        expect(out).toEqual({
          candles: { path: join(dir, 'candles.parquet'), rows: 500 },
          tradeFlow: { path: join(dir, 'trade_flow.parquet'), rows: 500 },
          funding: { path: join(dir, 'funding.parquet'), rows: expectFunding },
          openInterest: { path: join(dir, 'open_interest.parquet'), rows: expectOi },
        });

        await withDuckDB(async (db) => {
          const read = async (file: string) => (await db.runAndReadAll(`SELECT * FROM read_parquet('${file}')`));
          const candles = await read(out.candles.path);
          expect(candles.columnNames()).toEqual([
            'open_time', 'open', 'high', 'low', 'close', 'volume', 'close_time', 'quote_volume', 'trades', 'taker_buy_base_volume', 'taker_buy_quote_volume',
          ]);
          const cols = candles.getColumns();
          // In file order (no ORDER BY here): the export itself must be sorted. Doubles round-trip exactly.
          expect(cols[0]!.map(Number)).toEqual(Array.from(m.candles.openTime));
          expect(cols[1]).toEqual(Array.from(m.candles.open));
          expect(cols[4]).toEqual(Array.from(m.candles.close));
          expect(cols[5]).toEqual(Array.from(m.candles.volume));
          expect(cols[8]!.map(Number)).toEqual(Array.from(m.candles.trades));
          expect(cols[10]).toEqual(Array.from(m.candles.takerBuyQuoteVolume));

          const flow = await read(out.tradeFlow.path);
          expect(flow.columnNames()).toEqual(['open_time', 'buy_volume', 'sell_volume', 'buy_trades', 'sell_trades', 'large_trade_volume']);
          expect(flow.getColumns()[1]).toEqual(Array.from(m.tradeFlow.buyVolume));

          const funding = await read(out.funding.path);
          const inRange = m.funding.filter((f) => f.fundingTime >= from && f.fundingTime <= to + H);
          expect(funding.getColumns()[0]!.map(Number)).toEqual(inRange.map((f) => f.fundingTime));
          expect(funding.getColumns()[1]).toEqual(inRange.map((f) => f.fundingRate));
        });
      });
    });
  });

  it('exports only the candles of the requested range', async () => {
    const m = market();
    await withMarketStore(async (store) => {
      await appendMarket(store, m);
      await withTempDir(async (dir) => {
        const out = await store.exportParquet('BTCUSDT', '1h', dir, { from: t(100), to: t(199) });
        expect(out.candles.rows).toBe(100);
        expect(out.tradeFlow.rows).toBe(100);
        await withDuckDB(async (db) => {
          const r = await db.runAndReadAll(`SELECT min(open_time)::DOUBLE, max(open_time)::DOUBLE, count(*)::DOUBLE FROM read_parquet('${out.candles.path}')`);
          expect(r.getRows()[0]).toEqual([t(100), t(199), 100]);
        });
      });
    });
  });

  it('gives byte-identical files for the same rows, from the same store or another fed in another order', async () => {
    const m = market();
    const from = m.candles.openTime[0]!;
    const to = m.candles.openTime[m.candles.length - 1]!;
    const hashes = async (store: MarketStore, dir: string) => {
      const out = await store.exportParquet('BTCUSDT', '1h', dir, { from, to });
      return Promise.all([out.candles, out.tradeFlow, out.funding, out.openInterest].map((f) => sha256File(f.path)));
    };
    await withTempDir(async (dir) => {
      const first = await withMarketStore(async (store) => {
        await appendMarket(store, m);
        const a = await hashes(store, join(dir, 'a'));
        expect(await hashes(store, join(dir, 'b'))).toEqual(a);
        return a;
      });
      expect(new Set(first).size).toBe(4);
      // A second store gets the candles in two appends, the later half first.
      const second = await withMarketStore(async (store) => {
        const half = (lo: number, hi: number) => {
          const cols: Record<string, Float64Array | number> = { length: hi - lo };
          for (const f of CANDLE_FIELDS) cols[f] = m.candles[f].slice(lo, hi);
          return cols as unknown as CandleColumns;
        };
        await store.appendCandles('BTCUSDT', '1h', half(250, 500));
        await store.appendCandles('BTCUSDT', '1h', half(0, 250));
        await store.appendTradeFlow('BTCUSDT', '1h', m.tradeFlow);
        await store.appendFunding('BTCUSDT', [...m.funding].reverse());
        await store.appendOpenInterest('BTCUSDT', m.openInterest);
        return hashes(store, join(dir, 'c'));
      });
      expect(second).toEqual(first);
    });
  });
});

describe('MarketStore input checks', () => {
  it.each([
    ['../x', '1h', "symbol \"../x\""],
    ['btc', '1h', 'symbol "btc"'],
    ["BTC'; DROP TABLE series; --", '1h', 'symbol "BTC'],
    ['BTCUSDT', '7m', 'interval "7m"'],
  ])('rejects symbol %p / interval %p with InvalidInputError naming the value', async (symbol, interval, named) => {
    await withMarketStore(async (store) => {
      await withTempDir(async (dir) => {
        const calls = [
          () => store.appendCandles(symbol, interval as Interval, klines([0])),
          () => store.appendTradeFlow(symbol, interval as Interval, generateSyntheticMarket({ bars: 1 }).tradeFlow),
          () => store.exportParquet(symbol, interval as Interval, dir, { from: 0, to: t(1) }),
        ];
        for (const call of calls) {
          const err = await rejection(call());
          expect(err).toBeInstanceOf(InvalidInputError);
          expect(err.message).toContain(named);
        }
        if (interval === '1h') {
          for (const call of [() => store.appendFunding(symbol, []), () => store.appendOpenInterest(symbol, [])]) {
            const err = await rejection(call());
            expect(err).toBeInstanceOf(InvalidInputError);
            expect(err.message).toContain(named);
          }
        }
        // Nothing was created for the bad series.
        const r = await store.connection.runAndReadAll('SELECT count(*)::DOUBLE FROM series');
        expect(r.getRows()[0]).toEqual([0]);
      });
    });
  });

  it('summarize rejects interval "7m" with InvalidInputError naming the value', async () => {
    await withMarketStore(async (store) => {
      const err = await rejection(store.summarize('BTCUSDT', '7m' as Interval));
      expect(err).toBeInstanceOf(InvalidInputError);
      expect(err.message).toContain('interval "7m"');
    });
  });
});
