// Test helper (not exported from the barrel): a local HTTP server on 127.0.0.1 that answers like
// Binance's REST API, in Binance's wire format (decimal strings, integer times), from a
// deterministic series. Used by BinanceClient.spec.ts; no test needs the internet.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received. */
export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
}

/** What the server sends back; `destroy` drops the connection instead (a network error). */
export interface ReplayResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  destroy?: boolean;
}

export type ReplayHandler = (request: RecordedRequest) => ReplayResponse;

export interface ReplayServer {
  /** e.g. http://127.0.0.1:40123 */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, on a free port, answering with `handler`. */
export async function startReplayServer(handler: ReplayHandler): Promise<ReplayServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request = { path: url.pathname, query: url.searchParams };
    requests.push(request);
    let reply: ReplayResponse;
    try {
      reply = handler(request);
    } catch (err) {
      reply = { status: 599, body: { code: -1, msg: `replay handler threw: ${String(err)}` } };
    }
    if (reply.destroy) {
      req.socket.destroy();
      return;
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null);
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json;charset=UTF-8', ...reply.headers });
    res.end(text);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Runs `fn` against a fresh server and closes it afterwards, whatever happens. */
export async function withReplayServer<T>(handler: ReplayHandler, fn: (server: ReplayServer) => Promise<T>): Promise<T> {
  const server = await startReplayServer(handler);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** Answers the first requests with `scripted` responses (in order), then defers to `handler`. */
export function scripted(scriptedResponses: ReplayResponse[], handler: ReplayHandler): ReplayHandler {
  const queue = [...scriptedResponses];
  return (request) => queue.shift() ?? handler(request);
}

// ---- Binance wire format ----------------------------------------------------------------------

/** A kline as Binance sends it. */
export type KlineWire = [number, string, string, string, string, string, number, string, number, string, string, string];
/** An aggregated trade as Binance sends it. */
export interface AggTradeWire { a: number; p: string; q: string; f: number; l: number; T: number; m: boolean; M: boolean }
export interface FundingWire { symbol: string; fundingTime: number; fundingRate: string; markPrice: string }
export interface OpenInterestWire { symbol: string; sumOpenInterest: string; sumOpenInterestValue: string; timestamp: number }

/**
 * `count` klines from `startTime`, one every `stepMs`. Each field follows its own formula so a
 * field read from the wrong position is caught: prices near 20000 with 2 decimals, volumes with 8.
 */
export function klineSeries(count: number, startTime: number, stepMs: number): KlineWire[] {
  return Array.from({ length: count }, (_, i): KlineWire => {
    const open = 20_000 + 500 * Math.sin(i / 24) + 3 * i;
    const close = open + 40 * Math.sin(i * 0.7);
    const high = Math.max(open, close) + 5 + (i % 7);
    const low = Math.min(open, close) - 5 - (i % 5);
    const volume = 100 + ((i * 37) % 50) + 0.12345678;
    const takerBuyBase = volume * (0.3 + 0.4 * ((i % 10) / 10));
    const openTime = startTime + i * stepMs;
    return [
      openTime, open.toFixed(2), high.toFixed(2), low.toFixed(2), close.toFixed(2), volume.toFixed(8), openTime + stepMs - 1,
      (volume * (open + close) / 2).toFixed(8), 1000 + ((i * 13) % 500), takerBuyBase.toFixed(8), (takerBuyBase * close).toFixed(8), '0',
    ];
  });
}

export function fundingSeries(symbol: string, count: number, startTime: number): FundingWire[] {
  const eightHours = 8 * 3_600_000;
  return Array.from({ length: count }, (_, i) => ({
    symbol,
    fundingTime: startTime + i * eightHours,
    fundingRate: (0.0001 * Math.sin(i / 5)).toFixed(8),
    // Binance's oldest funding events carry no mark price.
    markPrice: i === 0 ? '' : (20_000 + i).toFixed(8),
  }));
}

export function openInterestSeries(symbol: string, count: number, startTime: number, stepMs: number): OpenInterestWire[] {
  return Array.from({ length: count }, (_, i) => ({
    symbol,
    sumOpenInterest: (80_000 + i * 1.5).toFixed(8),
    sumOpenInterestValue: ((80_000 + i * 1.5) * 20_000).toFixed(8),
    timestamp: startTime + i * stepMs,
  }));
}

// ---- A simulated Binance ------------------------------------------------------------------------

export interface SimulatedMarket {
  /** The only symbol the simulator knows; any other gets Binance's -1121 "Invalid symbol.". */
  symbol: string;
  klines?: KlineWire[];
  aggTrades?: AggTradeWire[];
  funding?: FundingWire[];
  openInterest?: OpenInterestWire[];
  /** Clock for the per-minute `X-MBX-USED-WEIGHT-1M` tally (share the test's fake clock). */
  now?: () => number;
}

// Binance's documented weights (spot rest-api.md; USDⓈ-M market-data docs).
const SERVER_WEIGHTS: Record<string, number> = {
  '/api/v3/klines': 2,
  '/api/v3/aggTrades': 4,
  '/fapi/v1/fundingRate': 0,
  '/futures/data/openInterestHist': 0,
};
const KLINE_INTERVALS = new Set(['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M']);

/**
 * A handler that behaves like Binance for the four endpoints the client uses, including its
 * errors (-1121 invalid symbol, -1120 invalid interval, -1127 aggTrades window of 1 hour or more)
 * and the used-weight header. openInterestHist returns the latest `limit` points of the range,
 * the less convenient of the two possible behaviours.
 */
export function simulateBinance(market: SimulatedMarket): ReplayHandler {
  const usedByMinute = new Map<number, number>();
  const now = market.now ?? Date.now;
  return (request) => {
    const minute = Math.floor(now() / 60_000);
    const used = (usedByMinute.get(minute) ?? 0) + (SERVER_WEIGHTS[request.path] ?? 1);
    usedByMinute.set(minute, used);
    const reply = route(market, request);
    return { ...reply, headers: { 'x-mbx-used-weight-1m': String(used), 'x-mbx-used-weight': String(used), ...reply.headers } };
  };
}

function route(market: SimulatedMarket, { path, query }: RecordedRequest): ReplayResponse {
  if (query.get('symbol') !== market.symbol) return binanceError(400, -1121, 'Invalid symbol.');
  const num = (name: string, fallback: number): number => (query.has(name) ? Number(query.get(name)) : fallback);
  const startTime = num('startTime', 0);
  const endTime = num('endTime', Number.MAX_SAFE_INTEGER);
  switch (path) {
    case '/api/v3/klines': {
      if (!KLINE_INTERVALS.has(query.get('interval') ?? '')) return binanceError(400, -1120, 'Invalid interval.');
      const limit = num('limit', 500);
      if (limit > 1000) return binanceError(400, -1100, "Illegal characters found in parameter 'limit'; legal range is '1..1000'.");
      return { body: (market.klines ?? []).filter((k) => k[0] >= startTime && k[0] <= endTime).slice(0, limit) };
    }
    case '/api/v3/aggTrades': {
      const limit = num('limit', 500);
      const trades = market.aggTrades ?? [];
      if (query.has('fromId')) return { body: trades.filter((t) => t.a >= num('fromId', 0)).slice(0, limit) };
      if (query.has('startTime') && query.has('endTime') && endTime - startTime >= 3_600_000) {
        return binanceError(400, -1127, 'More than 1 hours between startTime and endTime.');
      }
      return { body: trades.filter((t) => t.T >= startTime && t.T <= endTime).slice(0, limit) };
    }
    case '/fapi/v1/fundingRate': {
      const limit = num('limit', 100);
      return { body: (market.funding ?? []).filter((f) => f.fundingTime >= startTime && f.fundingTime <= endTime).slice(0, limit) };
    }
    case '/futures/data/openInterestHist': {
      const limit = num('limit', 30);
      if (limit > 500) return binanceError(400, -1130, 'Data sent for parameter \'limit\' is not valid.');
      const inRange = (market.openInterest ?? []).filter((p) => p.timestamp >= startTime && p.timestamp <= endTime);
      return { body: inRange.slice(Math.max(0, inRange.length - limit)) };
    }
    default:
      return { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>' };
  }
}

export function binanceError(status: number, code: number, msg: string, headers?: Record<string, string>): ReplayResponse {
  return { status, body: { code, msg }, ...(headers ? { headers } : {}) };
}
