import { ConfigError, InvalidInputError, TransientError } from '../../errors';
import {
  IntervalSchema,
  SymbolSchema,
  intervalMs,
  klinesToColumns,
  type AggTrade,
  type CandleColumns,
  type FundingRate,
  type Interval,
  type Kline,
  type OpenInterest,
} from '../../market/schema';
import {
  AggTradeRowSchema,
  BinanceErrorBodySchema,
  FundingRateRowSchema,
  KlineRowSchema,
  OpenInterestRowSchema,
  describe,
  parseRows,
} from './binanceResponses';
import { RequestWeightLimiter } from './RequestWeightLimiter';
import { REQUEST_WEIGHTS, requestWeight, type BinanceEndpoint } from './weights';

/** Options of {@link BinanceClient}. Every field is optional. */
export interface BinanceClientOptions {
  /**
   * Base URL of the spot REST API (klines, aggTrades).
   * @default 'https://api.binance.com'
   */
  spotBaseUrl?: string;
  /**
   * Base URL of the USDⓈ-M futures REST API (funding rates, open interest).
   * @default 'https://fapi.binance.com'
   */
  futuresBaseUrl?: string;
  /**
   * Request weight this client spends per minute on each host. Binance allows 6000/min on spot
   * (2400/min on futures) per IP; the default leaves room for other clients on the same IP.
   * @default 1200
   */
  weightLimitPerMinute?: number;
  /**
   * Retries after the first attempt, for 429/418, 5xx and network errors.
   * @default 5
   */
  maxRetries?: number;
  /**
   * First back-off delay after a 5xx or network error (ms); it doubles per retry, with jitter.
   * @default 500
   */
  backoffBaseMs?: number;
  /**
   * Largest back-off delay after a 5xx or network error (ms).
   * @default 30_000
   */
  backoffMaxMs?: number;
  /**
   * Longest `Retry-After` this client waits out. A longer ban (418 bans scale from 2 minutes to
   * 3 days) fails at once with a TransientError rather than parking the caller for days.
   * @default 300_000
   */
  maxRetryAfterMs?: number;
  /**
   * Timeout of one HTTP request (ms); a timeout counts as a network error.
   * @default 30_000
   */
  requestTimeoutMs?: number;
  /**
   * The fetch implementation.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Waits `ms` milliseconds (injected by tests so that nothing really waits).
   * @default a setTimeout promise
   */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Clock in epoch milliseconds: decides which bar is still open and when a minute rolls over.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Uniform random number in [0, 1), for back-off jitter (inject a seeded one for tests).
   * @default Math.random
   */
  random?: () => number;
}

type CompiledOptions = Required<BinanceClientOptions>;

/** Time range of a request, epoch milliseconds, both ends inclusive. */
export interface TimeRange {
  startTime: number;
  /** @default now() */
  endTime?: number;
}

/** Range of a kline request. */
export interface KlinePageRange extends TimeRange {
  /**
   * Bars per request, 1..1000.
   * @default 1000
   */
  limit?: number;
}

/** Range of {@link BinanceClient.fetchKlines}. */
export interface FetchKlinesRange extends TimeRange {
  /** Open time of the last bar already stored: fetching resumes at `after + intervalMs(interval)`. */
  after?: number;
}

/** Periods accepted by GET /futures/data/openInterestHist. */
export const OPEN_INTEREST_PERIODS = ['5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d'] as const satisfies readonly Interval[];
export type OpenInterestPeriod = (typeof OPEN_INTEREST_PERIODS)[number];

const KLINE_MAX_LIMIT = 1000;
const AGG_TRADES_LIMIT = 1000;
const FUNDING_LIMIT = 1000;
const OPEN_INTEREST_LIMIT = 500;
/** Binance rejects aggTrades startTime/endTime windows of 1 hour or more (error -1127). */
const AGG_TRADES_WINDOW_MS = 60 * 60_000 - 1;

type Host = 'spot' | 'futures';
type QueryValue = string | number;

/**
 * Binance REST client for market history: klines and aggregated trades (spot), funding rates and
 * open interest (USDⓈ-M futures). Public endpoints only; no API key.
 *
 * - Arguments are validated before any request (symbol, interval, time range).
 * - Every response row is validated with zod against the domain schemas (market/schema.ts).
 * - Request weight is budgeted per host (see weights.ts and RequestWeightLimiter).
 * - 429/418 wait `Retry-After`; 5xx and network errors back off exponentially with jitter; when
 *   `maxRetries` retries are spent a TransientError is thrown. Other 4xx are InvalidInputError.
 *
 * @example
 * const binance = new BinanceClient();
 * const candles = await binance.fetchKlines('BTCUSDT', '1h', { startTime: Date.UTC(2024, 0, 1), after: lastStoredOpenTime });
 */
export class BinanceClient {
  private readonly options: CompiledOptions;
  private readonly limiters: Record<Host, RequestWeightLimiter>;

  constructor(options: BinanceClientOptions = {}) {
    this.options = compileBinanceClientOptions(options);
    const limiterOptions = { limitPerMinute: this.options.weightLimitPerMinute, now: this.options.now, sleep: this.options.sleep };
    this.limiters = { spot: new RequestWeightLimiter(limiterOptions), futures: new RequestWeightLimiter(limiterOptions) };
  }

  /**
   * Closed klines of `symbol` from `startTime` to `endTime`, one array per request (GET /api/v3/klines).
   * Pages advance to the last open time + one interval, and stop at `endTime` or on an empty or
   * short page. A bar that has not closed yet (`closeTime >= now()`) is dropped, and ends the walk.
   */
  async *klinePages(symbol: string, interval: Interval, range: KlinePageRange): AsyncGenerator<Kline[], void, undefined> {
    checkSymbol(symbol);
    checkInterval(interval);
    const limit = range.limit ?? KLINE_MAX_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > KLINE_MAX_LIMIT) {
      throw new InvalidInputError(`kline limit must be an integer in 1..${KLINE_MAX_LIMIT}; got ${limit}`);
    }
    const { startTime, endTime } = this.checkRange(range);
    const step = intervalMs(interval);
    const where = `GET /api/v3/klines ${symbol} ${interval}`;
    let from = startTime;
    let previousOpen = -1;
    while (from <= endTime) {
      const body = await this.get('spot', '/api/v3/klines', { symbol, interval, startTime: from, endTime, limit }, symbol);
      const page = parseRows(body, KlineRowSchema, where);
      const now = this.options.now();
      const closed: Kline[] = [];
      let reachedOpenBar = false;
      for (const [index, kline] of page.entries()) {
        checkOrder(where, index, 'openTime', kline.openTime, Math.max(previousOpen + 1, from), endTime);
        previousOpen = kline.openTime;
        if (kline.closeTime >= now) {
          reachedOpenBar = true;
          break;
        }
        closed.push(kline);
      }
      if (closed.length > 0) yield closed;
      if (reachedOpenBar || page.length < limit) return;
      from = previousOpen + step;
    }
  }

  /**
   * All closed klines of `symbol` in the range, as candle columns. With `after` (the open time of
   * the last stored bar) it resumes at `after + intervalMs(interval)`, never before `startTime`;
   * when that is past `endTime` nothing is requested and the columns are empty.
   */
  async fetchKlines(symbol: string, interval: Interval, range: FetchKlinesRange): Promise<CandleColumns> {
    checkSymbol(symbol);
    checkInterval(interval);
    const { startTime, endTime } = this.checkRange(range);
    let from = startTime;
    if (range.after !== undefined) {
      checkTime('after', range.after);
      from = Math.max(startTime, range.after + intervalMs(interval));
    }
    const klines: Kline[] = [];
    if (from > endTime) return klinesToColumns(klines);
    for await (const page of this.klinePages(symbol, interval, { startTime: from, endTime })) {
      for (const kline of page) klines.push(kline);
    }
    return klinesToColumns(klines);
  }

  /**
   * Aggregated trades of `symbol` with `startTime <= time <= endTime`, one array per request
   * (GET /api/v3/aggTrades). Binance accepts startTime/endTime windows under one hour, so the range
   * is walked in windows of at most 1 h - 1 ms until the first trade; from there pages follow by id
   * (`fromId = last a + 1`, which Binance recommends over time windows) until a trade is past
   * `endTime` or a short page says the newest trade was reached.
   */
  async *aggTradePages(symbol: string, range: TimeRange): AsyncGenerator<AggTrade[], void, undefined> {
    checkSymbol(symbol);
    const { startTime, endTime } = this.checkRange(range);
    const where = `GET /api/v3/aggTrades ${symbol}`;
    let windowStart = startTime;
    let fromId: number | undefined;
    let previousId = -1;
    for (;;) {
      let query: Record<string, QueryValue>;
      if (fromId === undefined) {
        if (windowStart > endTime) return;
        const windowEnd = Math.min(windowStart + AGG_TRADES_WINDOW_MS, endTime);
        query = { symbol, startTime: windowStart, endTime: windowEnd, limit: AGG_TRADES_LIMIT };
        windowStart = windowEnd + 1;
      } else {
        query = { symbol, fromId, limit: AGG_TRADES_LIMIT };
      }
      const page = parseRows(await this.get('spot', '/api/v3/aggTrades', query, symbol), AggTradeRowSchema, where);
      const inRange: AggTrade[] = [];
      for (const [index, trade] of page.entries()) {
        checkOrder(where, index, 'id', trade.id, Math.max(previousId + 1, fromId ?? 0), Number.MAX_SAFE_INTEGER);
        previousId = trade.id;
        if (trade.time > endTime) break;
        if (trade.time >= startTime) inRange.push(trade);
      }
      if (inRange.length > 0) yield inRange;
      const last = page[page.length - 1];
      if (last === undefined) {
        if (fromId === undefined) continue; // an hour without trades: next window
        return;
      }
      if (last.time > endTime) return;
      if (fromId !== undefined && page.length < AGG_TRADES_LIMIT) return; // reached the newest trade
      fromId = last.id + 1;
    }
  }

  /** All aggregated trades of `symbol` in the range (see {@link aggTradePages}). */
  async fetchAggTrades(symbol: string, range: TimeRange): Promise<AggTrade[]> {
    const trades: AggTrade[] = [];
    for await (const page of this.aggTradePages(symbol, range)) for (const t of page) trades.push(t);
    return trades;
  }

  /**
   * Funding rates of the perpetual `symbol` in the range (GET /fapi/v1/fundingRate, 1000 per
   * request, pages advance to the last fundingTime + 1 ms).
   */
  async fetchFundingRates(symbol: string, range: TimeRange): Promise<FundingRate[]> {
    checkSymbol(symbol);
    const { startTime, endTime } = this.checkRange(range);
    const where = `GET /fapi/v1/fundingRate ${symbol}`;
    const rates: FundingRate[] = [];
    let from = startTime;
    while (from <= endTime) {
      const body = await this.get('futures', '/fapi/v1/fundingRate', { symbol, startTime: from, endTime, limit: FUNDING_LIMIT }, symbol);
      const page = parseRows(body, FundingRateRowSchema, where);
      for (const [index, rate] of page.entries()) {
        checkOrder(where, index, 'fundingTime', rate.fundingTime, from, endTime);
        from = rate.fundingTime + 1;
        rates.push(rate);
      }
      if (page.length < FUNDING_LIMIT) break;
    }
    return rates;
  }

  /**
   * Open-interest history of `symbol` at `period` in the range (GET /futures/data/openInterestHist;
   * Binance keeps only the last 30 days). The range is walked in windows of 500 periods, the page
   * size, so every window fits one page whichever end Binance fills a page from.
   */
  async fetchOpenInterest(symbol: string, period: OpenInterestPeriod, range: TimeRange): Promise<OpenInterest[]> {
    checkSymbol(symbol);
    if (!(OPEN_INTEREST_PERIODS as readonly string[]).includes(period)) {
      throw new InvalidInputError(`open-interest period must be one of ${OPEN_INTEREST_PERIODS.join(', ')}; got ${JSON.stringify(period)}`);
    }
    const { startTime, endTime } = this.checkRange(range);
    const where = `GET /futures/data/openInterestHist ${symbol} ${period}`;
    const span = OPEN_INTEREST_LIMIT * intervalMs(period);
    const points: OpenInterest[] = [];
    for (let windowStart = startTime; windowStart <= endTime; windowStart += span) {
      const windowEnd = Math.min(windowStart + span - 1, endTime);
      const query = { symbol, period, startTime: windowStart, endTime: windowEnd, limit: OPEN_INTEREST_LIMIT };
      const page = parseRows(await this.get('futures', '/futures/data/openInterestHist', query, symbol), OpenInterestRowSchema, where);
      let previous = windowStart - 1;
      for (const [index, point] of page.entries()) {
        checkOrder(where, index, 'timestamp', point.time, previous + 1, windowEnd);
        previous = point.time;
        points.push(point);
      }
    }
    return points;
  }

  /** GET with weight budgeting, retries and Binance's error mapping; returns the parsed JSON body. */
  private async get(host: Host, endpoint: BinanceEndpoint, query: Record<string, QueryValue>, symbol: string): Promise<unknown> {
    const base = host === 'spot' ? this.options.spotBaseUrl : this.options.futuresBaseUrl;
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) search.set(key, String(value));
    const url = `${base}${endpoint}?${search.toString()}`;
    const limiter = this.limiters[host];
    const weight = requestWeight(endpoint, Number(query.limit ?? 500));
    const { maxRetries } = this.options;
    for (let attempt = 0; ; attempt++) {
      const attempts = `${attempt + 1} attempt${attempt === 0 ? '' : 's'}`;
      await limiter.acquire(weight);
      let response: Response;
      let body: string;
      try {
        response = await this.options.fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.options.requestTimeoutMs) });
        body = await response.text();
      } catch (err) {
        if (attempt >= maxRetries) {
          throw new TransientError(`GET ${endpoint} (symbol ${symbol}) failed after ${attempts}: network error: ${errorMessage(err)}`, { cause: err });
        }
        await this.options.sleep(this.backoff(attempt));
        continue;
      }
      const used = Number(response.headers.get('x-mbx-used-weight-1m'));
      if (response.headers.has('x-mbx-used-weight-1m')) limiter.observeUsedWeight(used);

      if (response.ok) {
        try {
          return JSON.parse(body) as unknown;
        } catch (err) {
          throw new InvalidInputError(`GET ${endpoint} (symbol ${symbol}) returned HTTP ${response.status} with a body that is not JSON: ${describe(body)}`, { cause: err });
        }
      }
      const status = response.status;
      const detail = binanceErrorDetail(body);
      if (status === 429 || status === 418) {
        const waitMs = this.retryAfterMs(response.headers.get('retry-after')) ?? this.backoff(attempt);
        limiter.block(waitMs);
        if (attempt >= maxRetries || waitMs > this.options.maxRetryAfterMs) {
          throw new TransientError(
            `GET ${endpoint} (symbol ${symbol}) was rate-limited: HTTP ${status}${detail}, Retry-After ${Math.ceil(waitMs / 1000)} s, after ${attempts}`,
          );
        }
        continue; // the limiter holds the next attempt (and every other request to this host) for waitMs
      }
      if (status >= 500) {
        if (attempt >= maxRetries) throw new TransientError(`GET ${endpoint} (symbol ${symbol}) failed with HTTP ${status}${detail} after ${attempts}`);
        await this.options.sleep(this.backoff(attempt));
        continue;
      }
      throw new InvalidInputError(`GET ${endpoint} rejected the request for symbol ${symbol}: HTTP ${status}${detail}; query ${search.toString()}`);
    }
  }

  /** Exponential back-off with "equal jitter": half the delay fixed, half random. */
  private backoff(attempt: number): number {
    const delay = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** attempt);
    return Math.round(delay / 2 + this.options.random() * (delay / 2));
  }

  /** `Retry-After` in milliseconds: Binance sends seconds; an HTTP date is accepted too. */
  private retryAfterMs(header: string | null): number | undefined {
    if (header === null || header.trim() === '') return undefined;
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - this.options.now());
  }

  private checkRange(range: TimeRange): { startTime: number; endTime: number } {
    const endTime = range.endTime ?? this.options.now();
    checkTime('startTime', range.startTime);
    checkTime('endTime', endTime);
    if (range.startTime > endTime) {
      throw new InvalidInputError(
        `startTime ${range.startTime} (${iso(range.startTime)}) is after endTime ${endTime} (${iso(endTime)})`,
      );
    }
    return { startTime: range.startTime, endTime };
  }
}

/** Applies defaults and rejects contradictory options (ConfigError names the fields). */
export function compileBinanceClientOptions(options: BinanceClientOptions): CompiledOptions {
  const compiled: CompiledOptions = {
    spotBaseUrl: baseUrl('spotBaseUrl', options.spotBaseUrl ?? 'https://api.binance.com'),
    futuresBaseUrl: baseUrl('futuresBaseUrl', options.futuresBaseUrl ?? 'https://fapi.binance.com'),
    weightLimitPerMinute: options.weightLimitPerMinute ?? 1200,
    maxRetries: options.maxRetries ?? 5,
    backoffBaseMs: options.backoffBaseMs ?? 500,
    backoffMaxMs: options.backoffMaxMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 300_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    sleep: options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
  const heaviest = Math.max(...Object.values(REQUEST_WEIGHTS).map((w) => w(KLINE_MAX_LIMIT)));
  if (!Number.isInteger(compiled.weightLimitPerMinute) || compiled.weightLimitPerMinute < heaviest) {
    throw new ConfigError(`weightLimitPerMinute must be an integer >= ${heaviest} (the heaviest request); got ${compiled.weightLimitPerMinute}`);
  }
  if (!Number.isInteger(compiled.maxRetries) || compiled.maxRetries < 0) {
    throw new ConfigError(`maxRetries must be an integer >= 0; got ${compiled.maxRetries}`);
  }
  for (const field of ['backoffBaseMs', 'backoffMaxMs', 'maxRetryAfterMs', 'requestTimeoutMs'] as const) {
    if (!Number.isFinite(compiled[field]) || compiled[field] < 0) throw new ConfigError(`${field} must be a finite number >= 0; got ${compiled[field]}`);
  }
  if (compiled.backoffBaseMs > compiled.backoffMaxMs) {
    throw new ConfigError(`backoffBaseMs (${compiled.backoffBaseMs}) must not exceed backoffMaxMs (${compiled.backoffMaxMs})`);
  }
  return compiled;
}

function baseUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (err) {
    throw new ConfigError(`${field} must be an absolute http(s) URL; got ${JSON.stringify(value)}`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${field} must be an absolute http(s) URL; got ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, '');
}

function checkSymbol(symbol: string): void {
  const result = SymbolSchema.safeParse(symbol);
  if (!result.success) throw new InvalidInputError(`invalid symbol ${JSON.stringify(symbol)}: ${result.error.issues[0]?.message ?? 'rejected'}`);
}

function checkInterval(interval: string): void {
  const result = IntervalSchema.safeParse(interval);
  if (!result.success) throw new InvalidInputError(result.error.issues[0]?.message ?? `invalid interval ${JSON.stringify(interval)}`);
}

function checkTime(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(`${field} must be epoch milliseconds (an integer >= 0); got ${value}`);
  }
}

/** Rows must be strictly ascending and inside what was asked for; anything else is a bad response. */
function checkOrder(where: string, index: number, field: string, value: number, min: number, max: number): void {
  if (value < min || value > max) {
    throw new InvalidInputError(`${where}: row ${index} has ${field} ${value}, outside the expected ${min}..${max} (out of order, duplicated or out of range)`);
  }
}

/** ", Binance code -1121: Invalid symbol." from an error body, or the raw body when it is not Binance's shape. */
function binanceErrorDetail(body: string): string {
  try {
    const parsed = BinanceErrorBodySchema.safeParse(JSON.parse(body));
    if (parsed.success) return `, Binance code ${parsed.data.code}: ${parsed.data.msg}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim() === '' ? '' : `, body ${describe(body)}`;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.name}: ${err.message}${cause}`;
  }
  return String(err);
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}
