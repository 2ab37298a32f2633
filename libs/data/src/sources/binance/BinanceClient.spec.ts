import { ConfigError, InvalidInputError, TransientError } from '../../errors';
import { CANDLE_FIELDS, type CandleColumns } from '../../market/schema';
import { BinanceClient, type BinanceClientOptions } from './BinanceClient';
import {
  binanceError,
  fundingSeries,
  klineSeries,
  openInterestSeries,
  scripted,
  simulateBinance,
  withReplayServer,
  type AggTradeWire,
  type KlineWire,
  type ReplayHandler,
  type ReplayServer,
} from './replayServer';
import { aggregateTradeFlow } from './tradeFlow';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1); // minute-aligned
const BARS = 2500;
const KLINES = klineSeries(BARS, T0, HOUR);
/** 10 s into a minute, long after the last bar closed. */
const LATER = T0 + (BARS + 100) * HOUR + 10_000;

/** A clock that only moves when the client sleeps; records every sleep. */
function fakeTime(start: number) {
  const clock = { t: start, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
}

/** A client against a fresh simulated Binance, with a fake clock and no real waiting. */
async function withBinance(
  setup: { handler?: (sim: ReplayHandler) => ReplayHandler; start?: number; market?: Partial<Parameters<typeof simulateBinance>[0]>; options?: BinanceClientOptions },
  fn: (ctx: { client: BinanceClient; server: ReplayServer; sleeps: number[]; clock: { t: number } }) => Promise<void>,
): Promise<void> {
  const time = fakeTime(setup.start ?? LATER);
  const sim = simulateBinance({ symbol: 'BTCUSDT', klines: KLINES, now: time.now, ...setup.market });
  await withReplayServer(setup.handler ? setup.handler(sim) : sim, async (server) => {
    const client = new BinanceClient({
      spotBaseUrl: server.baseUrl,
      futuresBaseUrl: server.baseUrl,
      now: time.now,
      sleep: time.sleep,
      random: () => 0.5,
      ...setup.options,
    });
    await fn({ client, server, sleeps: time.clock.sleeps, clock: time.clock });
  });
}

function expectColumnsMatchWire(columns: CandleColumns, wire: readonly KlineWire[]): void {
  expect(columns.length).toBe(wire.length);
  wire.forEach((row, i) => {
    CANDLE_FIELDS.forEach((field, f) => {
      if (columns[field][i] !== Number(row[f])) throw new Error(`bar ${i} field ${field}: got ${columns[field][i]}, wire ${row[f]}`);
    });
  });
}

const query = (server: ReplayServer, i: number, name: string) => server.requests[i]?.query.get(name);

describe('BinanceClient klines', () => {
  it('paginates 2500 1h bars over 3 requests, in order, without duplicates, every field read from its position', async () => {
    await withBinance({}, async ({ client, server, sleeps }) => {
      const sizes: number[] = [];
      for await (const page of client.klinePages('BTCUSDT', '1h', { startTime: T0, endTime: T0 + BARS * HOUR })) sizes.push(page.length);
      expect(sizes).toEqual([1000, 1000, 500]);
      expect(server.requests.map((r) => Number(r.query.get('startTime')))).toEqual([T0, T0 + 1000 * HOUR, T0 + 2000 * HOUR]);
      expect(server.requests.every((r) => r.path === '/api/v3/klines' && r.query.get('limit') === '1000' && r.query.get('interval') === '1h')).toBe(true);

      const columns = await client.fetchKlines('BTCUSDT', '1h', { startTime: T0, endTime: T0 + BARS * HOUR });
      expectColumnsMatchWire(columns, KLINES);
      for (let i = 1; i < columns.length; i++) expect(columns.openTime[i]! - columns.openTime[i - 1]!).toBe(HOUR);
      expect(new Set(columns.openTime).size).toBe(BARS);
      expect(sleeps).toEqual([]); // 6 requests of weight 2: far below the budget
    });
  });

  it('resumes after the last stored bar and requests nothing when already up to date', async () => {
    await withBinance({}, async ({ client, server }) => {
      const after = T0 + 1999 * HOUR;
      const columns = await client.fetchKlines('BTCUSDT', '1h', { startTime: T0, endTime: T0 + BARS * HOUR, after });
      expect(query(server, 0, 'startTime')).toBe(String(after + HOUR));
      expect(server.requests).toHaveLength(1);
      expectColumnsMatchWire(columns, KLINES.slice(2000));

      const lastOpen = T0 + (BARS - 1) * HOUR;
      const none = await client.fetchKlines('BTCUSDT', '1h', { startTime: T0, endTime: lastOpen + HOUR - 1, after: lastOpen });
      expect(none.length).toBe(0);
      expect(server.requests).toHaveLength(1);
    });
  });

  it('drops the last bar while it is still open', async () => {
    const lastOpen = T0 + (BARS - 1) * HOUR;
    await withBinance({ start: lastOpen + 30 * 60_000 }, async ({ client }) => {
      const columns = await client.fetchKlines('BTCUSDT', '1h', { startTime: T0 });
      expect(columns.length).toBe(BARS - 1);
      expect(columns.openTime[BARS - 2]).toBe(lastOpen - HOUR);
      expect(columns.closeTime[BARS - 2]).toBe(lastOpen - 1);
    });
  });

  it('rejects a malformed row with the endpoint and the row index', async () => {
    const broken = KLINES.slice(0, 5).map((row) => [...row] as KlineWire);
    broken[3]![2] = 'abc';
    await withBinance({ market: { klines: broken } }, async ({ client }) => {
      const err = await client.fetchKlines('BTCUSDT', '1h', { startTime: T0, endTime: T0 + 5 * HOUR }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as Error).message).toMatch(/GET \/api\/v3\/klines BTCUSDT 1h: row 3 is malformed \(2: must be a decimal string/);
    });
    const inconsistent = KLINES.slice(0, 5).map((row) => [...row] as KlineWire);
    inconsistent[1]![2] = '1.00'; // high below open and close
    await withBinance({ market: { klines: inconsistent } }, async ({ client }) => {
      await expect(client.fetchKlines('BTCUSDT', '1h', { startTime: T0, endTime: T0 + 5 * HOUR })).rejects.toThrow(/row 1 is malformed \(high: high 1 < max\(open, close\)/);
    });
  });

  it('rejects a bad symbol, interval or range before any request', async () => {
    await withBinance({}, async ({ client, server }) => {
      await expect(client.fetchKlines('btcusdt', '1h', { startTime: T0 })).rejects.toThrow(/invalid symbol "btcusdt"/);
      await expect(client.fetchKlines('../x', '1h', { startTime: T0 })).rejects.toThrow(InvalidInputError);
      await expect(client.fetchKlines('BTCUSDT', '2m' as never, { startTime: T0 })).rejects.toThrow(/interval must be one of .*got "2m"/);
      await expect(client.fetchKlines('BTCUSDT', '1h', { startTime: T0 + HOUR, endTime: T0 })).rejects.toThrow(/startTime \d+ \(2024-01-01T01:00:00.000Z\) is after endTime/);
      await expect(client.klinePages('BTCUSDT', '1h', { startTime: T0, limit: 1001 }).next()).rejects.toThrow(/limit must be an integer in 1..1000; got 1001/);
      await expect(client.fetchFundingRates('BTC-USDT', { startTime: T0 })).rejects.toThrow(InvalidInputError);
      await expect(client.fetchOpenInterest('BTCUSDT', '3m' as never, { startTime: T0 })).rejects.toThrow(/period must be one of .*got "3m"/);
      expect(server.requests).toHaveLength(0);
    });
  });
});

describe('BinanceClient errors and retries', () => {
  const range = { startTime: T0, endTime: T0 + 10 * HOUR };

  it('honours Retry-After on 429, then retries the same request', async () => {
    const tooMuch = binanceError(429, -1003, 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.', { 'retry-after': '1' });
    await withBinance({ handler: (sim) => scripted([tooMuch], sim) }, async ({ client, server, sleeps }) => {
      const columns = await client.fetchKlines('BTCUSDT', '1h', range);
      expect(columns.length).toBe(11);
      expect(sleeps).toEqual([1000]);
      expect(server.requests).toHaveLength(2);
      expect(server.requests[1]!.query.toString()).toBe(server.requests[0]!.query.toString());
    });
  });

  it('honours Retry-After on 418 (IP ban), then retries', async () => {
    const banned = binanceError(418, -1003, 'Way too much request weight used; IP banned until 1704067322000.', { 'retry-after': '2' });
    await withBinance({ handler: (sim) => scripted([banned], sim) }, async ({ client, server, sleeps }) => {
      expect((await client.fetchKlines('BTCUSDT', '1h', range)).length).toBe(11);
      expect(sleeps).toEqual([2000]);
      expect(server.requests).toHaveLength(2);
    });
  });

  it('fails at once with a TransientError when a ban outlasts maxRetryAfterMs', async () => {
    const banned = binanceError(418, -1003, 'Way too much request weight used; IP banned.', { 'retry-after': '259200' });
    await withBinance({ handler: (sim) => scripted([banned], sim) }, async ({ client, server, sleeps }) => {
      const err = await client.fetchKlines('BTCUSDT', '1h', range).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientError);
      expect((err as Error).message).toMatch(/\/api\/v3\/klines .*HTTP 418, Binance code -1003.*Retry-After 259200 s/);
      expect(sleeps).toEqual([]);
      expect(server.requests).toHaveLength(1);
    });
  });

  it('backs off exponentially (with jitter) on 5xx, then succeeds', async () => {
    const failures = [binanceError(500, -1000, 'An unknown error occurred while processing the request.'), { status: 502, body: '<html>502 Bad Gateway</html>' }];
    await withBinance({ handler: (sim) => scripted(failures, sim) }, async ({ client, server, sleeps }) => {
      expect((await client.fetchKlines('BTCUSDT', '1h', range)).length).toBe(11);
      // base 500 ms doubling, equal jitter with random() = 0.5: 250 + 125, then 500 + 250.
      expect(sleeps).toEqual([375, 750]);
      expect(server.requests).toHaveLength(3);
    });
  });

  it('retries a dropped connection (network error)', async () => {
    await withBinance({ handler: (sim) => scripted([{ destroy: true }], sim) }, async ({ client, server, sleeps }) => {
      expect((await client.fetchKlines('BTCUSDT', '1h', range)).length).toBe(11);
      expect(sleeps).toEqual([375]);
      expect(server.requests).toHaveLength(2);
    });
  });

  it('throws a TransientError with the path and status when retries run out', async () => {
    const unavailable = () => ({ status: 503, body: '<html>503 Service Unavailable</html>' });
    await withBinance({ handler: () => unavailable, options: { maxRetries: 2 } }, async ({ client, server, sleeps }) => {
      const err = await client.fetchKlines('BTCUSDT', '1h', range).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientError);
      expect((err as TransientError).retryable).toBe(true);
      expect((err as Error).message).toMatch(/GET \/api\/v3\/klines \(symbol BTCUSDT\) failed with HTTP 503.* after 3 attempts/);
      expect(server.requests).toHaveLength(3);
      expect(sleeps).toEqual([375, 750]);
    });
  });

  it('maps a 400 from Binance to InvalidInputError with its code and msg, without retrying', async () => {
    await withBinance({}, async ({ client, server, sleeps }) => {
      const err = await client.fetchKlines('BTCXXX', '1h', range).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).retryable).toBe(false);
      expect((err as Error).message).toMatch(/GET \/api\/v3\/klines rejected the request for symbol BTCXXX: HTTP 400, Binance code -1121: Invalid symbol\./);
      expect(server.requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });
  });
});

describe('BinanceClient request weight', () => {
  it('waits for the minute to roll over when X-MBX-USED-WEIGHT-1M reaches the limit', async () => {
    let first = true;
    const saturateFirst = (sim: ReplayHandler): ReplayHandler => (request) => {
      const reply = sim(request);
      if (!first) return reply;
      first = false;
      return { ...reply, headers: { ...reply.headers, 'x-mbx-used-weight-1m': '1200' } };
    };
    await withBinance({ handler: saturateFirst }, async ({ client, server, sleeps, clock }) => {
      const columns = await client.fetchKlines('BTCUSDT', '1h', { startTime: T0, endTime: T0 + BARS * HOUR });
      expect(columns.length).toBe(BARS);
      expect(sleeps).toEqual([50_000]); // LATER is 10 s into its minute
      expect(clock.t % 60_000).toBe(0);
      expect(server.requests).toHaveLength(3);
    });
  });

  it('keeps its own spending under weightLimitPerMinute over a rolling minute', async () => {
    await withBinance({ options: { weightLimitPerMinute: 4 } }, async ({ client, server, sleeps }) => {
      // klines weigh 2: two requests fit in the minute, the third waits for the first to age out.
      expect((await client.fetchKlines('BTCUSDT', '1h', { startTime: T0, endTime: T0 + BARS * HOUR })).length).toBe(BARS);
      expect(sleeps).toEqual([60_000]);
      expect(server.requests).toHaveLength(3);
    });
  });

  it('rejects contradictory options', () => {
    expect(() => new BinanceClient({ backoffBaseMs: 10_000, backoffMaxMs: 1_000 })).toThrow(ConfigError);
    expect(() => new BinanceClient({ backoffBaseMs: 10_000, backoffMaxMs: 1_000 })).toThrow(/backoffBaseMs \(10000\) must not exceed backoffMaxMs \(1000\)/);
    expect(() => new BinanceClient({ weightLimitPerMinute: 3 })).toThrow(/weightLimitPerMinute must be an integer >= 4/);
    expect(() => new BinanceClient({ spotBaseUrl: 'api.binance.com' })).toThrow(/spotBaseUrl must be an absolute http\(s\) URL/);
  });
});

function aggTrade(id: number, time: number, qty: string, buyerIsMaker: boolean, price = '42000.10000000'): AggTradeWire {
  return { a: id, p: price, q: qty, f: id * 3, l: id * 3 + 2, T: time, m: buyerIsMaker, M: true };
}

describe('BinanceClient aggTrades', () => {
  // Hours 0 and 1 empty, 2500 trades in hour 2, two in hour 3, one in hour 5.
  const dense = Array.from({ length: 2500 }, (_, k) => aggTrade(1_000_000 + k, T0 + 2 * HOUR + k * 1440, ((k % 17) * 0.01 + 0.001).toFixed(8), k % 3 === 0));
  const trades = [...dense, aggTrade(1_002_500, T0 + 3 * HOUR + 50, '0.5', false), aggTrade(1_002_501, T0 + 3 * HOUR + 500, '0.7', true), aggTrade(1_002_502, T0 + 5 * HOUR + 10, '1.1', false)];

  it('walks empty hours in windows under 1 h, then pages by fromId', async () => {
    await withBinance({ market: { aggTrades: trades } }, async ({ client, server }) => {
      const got = await client.fetchAggTrades('BTCUSDT', { startTime: T0, endTime: T0 + 6 * HOUR - 1 });
      expect(got).toHaveLength(2503);
      expect(got.map((t) => t.id)).toEqual(trades.map((t) => t.a));
      expect(got[2502]).toEqual({ id: 1_002_502, price: 42000.1, quantity: 1.1, firstTradeId: 3_007_506, lastTradeId: 3_007_508, time: T0 + 5 * HOUR + 10, isBuyerMaker: false });

      const windows = server.requests.filter((r) => r.query.has('startTime')).map((r) => [Number(r.query.get('startTime')), Number(r.query.get('endTime'))]);
      expect(windows).toEqual([[T0, T0 + HOUR - 1], [T0 + HOUR, T0 + 2 * HOUR - 1], [T0 + 2 * HOUR, T0 + 3 * HOUR - 1]]);
      expect(server.requests.filter((r) => r.query.has('fromId')).map((r) => Number(r.query.get('fromId')))).toEqual([1_001_000, 1_002_000]);
      expect(server.requests.every((r) => !(r.query.has('fromId') && r.query.has('startTime')))).toBe(true);
    });
  });

  it('stops at the first trade past endTime', async () => {
    await withBinance({ market: { aggTrades: trades } }, async ({ client, server }) => {
      const got = await client.fetchAggTrades('BTCUSDT', { startTime: T0 + 2 * HOUR + 1440, endTime: T0 + 3 * HOUR + 100 });
      expect(got).toHaveLength(2500); // dense[1..2499] plus the trade at 3h + 50 ms
      expect(got[0]!.id).toBe(1_000_001);
      expect(got[got.length - 1]!.time).toBe(T0 + 3 * HOUR + 50);
      expect(server.requests).toHaveLength(3);
    });
  });

  it('aggregates fetched trades into trade flow per bar (hand-computed)', async () => {
    const small = [
      aggTrade(1, T0 + 1_000, '0.50000000', false), // bar 0, taker buy
      aggTrade(2, T0 + 2_000, '2.00000000', true), // bar 0, taker sell, large
      aggTrade(3, T0 + HOUR - 1, '1.25000000', false), // bar 0, last millisecond
      aggTrade(4, T0 + HOUR, '3.00000000', false), // bar 1, first millisecond, large
      aggTrade(5, T0 + HOUR + 400_000, '0.75000000', true), // bar 1, taker sell
      aggTrade(6, T0 + 2 * HOUR, '9.00000000', false), // no bar for it: ignored
    ];
    await withBinance({ market: { aggTrades: small } }, async ({ client }) => {
      const fetched = await client.fetchAggTrades('BTCUSDT', { startTime: T0, endTime: T0 + 3 * HOUR - 1 });
      expect(fetched).toHaveLength(6);
      const flow = aggregateTradeFlow(fetched, '1h', new Float64Array([T0, T0 + HOUR]), 2);
      expect(Array.from(flow.openTime)).toEqual([T0, T0 + HOUR]);
      expect(Array.from(flow.buyVolume)).toEqual([1.75, 3]);
      expect(Array.from(flow.sellVolume)).toEqual([2, 0.75]);
      expect(Array.from(flow.buyTrades)).toEqual([2, 1]);
      expect(Array.from(flow.sellTrades)).toEqual([1, 1]);
      expect(Array.from(flow.largeTradeVolume)).toEqual([2, 3]);
    });
  });
});

describe('BinanceClient futures', () => {
  it('paginates funding rates by fundingTime', async () => {
    const funding = fundingSeries('BTCUSDT', 2300, T0);
    await withBinance({ market: { funding } }, async ({ client, server }) => {
      const rates = await client.fetchFundingRates('BTCUSDT', { startTime: T0, endTime: T0 + 2300 * 8 * HOUR });
      expect(rates).toHaveLength(2300);
      expect(rates.map((r) => r.fundingTime)).toEqual(funding.map((f) => f.fundingTime));
      expect(rates[0]).toEqual({ fundingTime: T0, fundingRate: 0 }); // "" mark price: left out
      expect(rates[1]).toEqual({ fundingTime: T0 + 8 * HOUR, fundingRate: Number(funding[1]!.fundingRate), markPrice: 20_001 });
      expect(server.requests.map((r) => r.path)).toEqual(Array(3).fill('/fapi/v1/fundingRate'));
      expect(server.requests.map((r) => Number(r.query.get('startTime')))).toEqual([T0, funding[999]!.fundingTime + 1, funding[1999]!.fundingTime + 1]);
    });
  });

  it('paginates open interest in windows of 500 periods', async () => {
    const fiveMinutes = 5 * 60_000;
    const openInterest = openInterestSeries('BTCUSDT', 1200, T0, fiveMinutes);
    await withBinance({ market: { openInterest } }, async ({ client, server }) => {
      const points = await client.fetchOpenInterest('BTCUSDT', '5m', { startTime: T0, endTime: T0 + 1200 * fiveMinutes - 1 });
      expect(points).toHaveLength(1200);
      expect(points.map((p) => p.time)).toEqual(openInterest.map((p) => p.timestamp));
      expect(points[7]).toEqual({ time: T0 + 7 * fiveMinutes, sumOpenInterest: 80_010.5, sumOpenInterestValue: 1_600_210_000 });
      expect(server.requests.map((r) => [r.path, r.query.get('period'), r.query.get('limit')])).toEqual(Array(3).fill(['/futures/data/openInterestHist', '5m', '500']));
    });
  });
});
