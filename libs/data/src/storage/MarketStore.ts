import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../errors';
import {
  CANDLE_FIELDS,
  intervalMs,
  IntervalSchema,
  SymbolSchema,
  TRADE_FLOW_FIELDS,
  type CandleColumns,
  type FundingRate,
  type Interval,
  type OpenInterest,
  type TradeFlowColumns,
} from '../market/schema';
import { appendDoubleColumns } from './appendColumns';

/** SQL column names of the candle table, in the order of CANDLE_FIELDS. */
const CANDLE_SQL: Record<(typeof CANDLE_FIELDS)[number], string> = {
  openTime: 'open_time', open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume',
  closeTime: 'close_time', quoteVolume: 'quote_volume', trades: 'trades',
  takerBuyBaseVolume: 'taker_buy_base_volume', takerBuyQuoteVolume: 'taker_buy_quote_volume',
};
const FLOW_SQL: Record<(typeof TRADE_FLOW_FIELDS)[number], string> = {
  openTime: 'open_time', buyVolume: 'buy_volume', sellVolume: 'sell_volume', buyTrades: 'buy_trades',
  sellTrades: 'sell_trades', largeTradeVolume: 'large_trade_volume',
};
const INTEGER_COLUMNS = new Set(['open_time', 'close_time', 'trades', 'buy_trades', 'sell_trades']);

/** One rejected input row and why. */
export interface RejectedRow {
  openTime: number;
  reason: string;
}

/** What one append did. */
export interface AppendReport {
  received: number;
  inserted: number;
  /** Rows whose (symbol, interval, open_time) was already stored or repeated within the batch. */
  duplicates: number;
  rejected: RejectedRow[];
}

/** A run of missing bars: `from` is the first missing open time, `bars` how many are missing. */
export interface Gap {
  from: number;
  to: number;
  bars: number;
}

/** Summary of what is stored for a symbol and interval. */
export interface SeriesSummary {
  rows: number;
  firstOpenTime: number | null;
  lastOpenTime: number | null;
  gaps: Gap[];
  missingBars: number;
}

/** The four Parquet files of one dataset export, by table. */
export interface ParquetExport {
  candles: { path: string; rows: number };
  tradeFlow: { path: string; rows: number };
  funding: { path: string; rows: number };
  openInterest: { path: string; rows: number };
}

/**
 * Market data in DuckDB: candles de-duplicated on (symbol, interval, open_time), incremental
 * appends, OHLC consistency checks, gap detection, and Parquet export.
 *
 * Validation lives in SQL so a million-row append stays one pass over typed arrays plus a few
 * set-based statements.
 */
export class MarketStore {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  /** Opens (or creates) a store; `':memory:'` for an in-memory one. */
  static async create(path = ':memory:', options: { threads?: number } = {}): Promise<MarketStore> {
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path, options.threads ? { threads: String(options.threads) } : {});
    const connection = await instance.connect();
    const store = new MarketStore(instance, connection, path);
    await store.ensureSchema();
    return store;
  }

  /** DuckDB's version string, e.g. v1.5.6. */
  async version(): Promise<string> {
    return String(await this.scalar('SELECT version()'));
  }

  private async ensureSchema(): Promise<void> {
    const candleCols = CANDLE_FIELDS.map((f) => `${CANDLE_SQL[f]} ${sqlType(CANDLE_SQL[f])} NOT NULL`).join(', ');
    const flowCols = TRADE_FLOW_FIELDS.map((f) => `${FLOW_SQL[f]} ${sqlType(FLOW_SQL[f])} NOT NULL`).join(', ');
    await this.connection.run(`
      CREATE TABLE IF NOT EXISTS candles (symbol VARCHAR NOT NULL, interval VARCHAR NOT NULL, ${candleCols});
      CREATE TABLE IF NOT EXISTS trade_flow (symbol VARCHAR NOT NULL, interval VARCHAR NOT NULL, ${flowCols});
      CREATE TABLE IF NOT EXISTS funding (symbol VARCHAR NOT NULL, funding_time BIGINT NOT NULL, funding_rate DOUBLE NOT NULL, mark_price DOUBLE);
      CREATE TABLE IF NOT EXISTS open_interest (symbol VARCHAR NOT NULL, time BIGINT NOT NULL, sum_open_interest DOUBLE NOT NULL, sum_open_interest_value DOUBLE NOT NULL);
    `);
  }

  /**
   * Appends candles. Rows failing the kline checks (finite values, positive prices,
   * high >= max(open, close), low <= min(open, close), volume >= 0, taker volume <= volume,
   * close_time > open_time, open_time aligned to the interval) are rejected with a reason;
   * rows already stored, or repeated in the batch, are counted as duplicates and skipped.
   */
  async appendCandles(symbol: string, interval: Interval, candles: CandleColumns): Promise<AppendReport> {
    const { sym, ivl } = checkSeries(symbol, interval);
    const step = intervalMs(ivl);
    const stage = await this.stage('stage_candles', CANDLE_FIELDS.map((f) => CANDLE_SQL[f]), CANDLE_FIELDS.map((f) => candles[f].subarray(0, candles.length)));
    const reason = `CASE
        WHEN NOT (isfinite(open) AND isfinite(high) AND isfinite(low) AND isfinite(close) AND isfinite(volume)
                  AND isfinite(quote_volume) AND isfinite(taker_buy_base_volume) AND isfinite(taker_buy_quote_volume)
                  AND isfinite(open_time) AND isfinite(close_time) AND isfinite(trades)) THEN 'non-finite value'
        WHEN open <= 0 OR high <= 0 OR low <= 0 OR close <= 0 THEN 'non-positive price: open ' || open || ', high ' || high || ', low ' || low || ', close ' || close
        WHEN high < greatest(open, close) THEN 'high ' || high || ' < max(open, close) ' || greatest(open, close)
        WHEN low > least(open, close) THEN 'low ' || low || ' > min(open, close) ' || least(open, close)
        WHEN volume < 0 OR quote_volume < 0 OR trades < 0 OR taker_buy_base_volume < 0 OR taker_buy_quote_volume < 0 THEN 'negative volume or trade count'
        WHEN taker_buy_base_volume > volume * (1 + 1e-9) THEN 'taker_buy_base_volume ' || taker_buy_base_volume || ' > volume ' || volume
        WHEN close_time <= open_time THEN 'close_time ' || close_time::BIGINT || ' <= open_time ' || open_time::BIGINT
        WHEN open_time % ${step} <> 0 THEN 'open_time ' || open_time::BIGINT || ' not aligned to ${ivl}'
      END`;
    return this.ingest({ stage, table: 'candles', columns: CANDLE_FIELDS.map((f) => CANDLE_SQL[f]), sym, ivl, reason, received: candles.length });
  }

  /** Appends trade-flow bars, de-duplicated on (symbol, interval, open_time) like candles. */
  async appendTradeFlow(symbol: string, interval: Interval, flow: TradeFlowColumns): Promise<AppendReport> {
    const { sym, ivl } = checkSeries(symbol, interval);
    const cols = TRADE_FLOW_FIELDS.map((f) => FLOW_SQL[f]);
    const stage = await this.stage('stage_flow', cols, TRADE_FLOW_FIELDS.map((f) => flow[f].subarray(0, flow.length)));
    const reason = `CASE
        WHEN NOT (isfinite(buy_volume) AND isfinite(sell_volume) AND isfinite(large_trade_volume)) THEN 'non-finite value'
        WHEN buy_volume < 0 OR sell_volume < 0 OR buy_trades < 0 OR sell_trades < 0 OR large_trade_volume < 0 THEN 'negative volume or trade count'
      END`;
    return this.ingest({ stage, table: 'trade_flow', columns: cols, sym, ivl, reason, received: flow.length });
  }

  /** Appends funding rates, de-duplicated on (symbol, funding_time). */
  async appendFunding(symbol: string, rows: readonly FundingRate[]): Promise<AppendReport> {
    const { sym } = checkSeries(symbol, '1h');
    const cols = ['funding_time', 'funding_rate', 'mark_price'];
    const stage = await this.stage('stage_funding', cols, [
      Float64Array.from(rows, (r) => r.fundingTime),
      Float64Array.from(rows, (r) => r.fundingRate),
      Float64Array.from(rows, (r) => r.markPrice ?? Number.NaN),
    ]);
    const reason = `CASE WHEN NOT isfinite(funding_rate) THEN 'non-finite funding_rate' END`;
    return this.ingest({ stage, table: 'funding', columns: cols, sym, reason, received: rows.length, timeColumn: 'funding_time', nullIfNaN: ['mark_price'] });
  }

  /** Appends open-interest history, de-duplicated on (symbol, time). */
  async appendOpenInterest(symbol: string, rows: readonly OpenInterest[]): Promise<AppendReport> {
    const { sym } = checkSeries(symbol, '1h');
    const cols = ['time', 'sum_open_interest', 'sum_open_interest_value'];
    const stage = await this.stage('stage_oi', cols, [
      Float64Array.from(rows, (r) => r.time),
      Float64Array.from(rows, (r) => r.sumOpenInterest),
      Float64Array.from(rows, (r) => r.sumOpenInterestValue),
    ]);
    const reason = `CASE WHEN NOT (isfinite(sum_open_interest) AND isfinite(sum_open_interest_value)) THEN 'non-finite value'
      WHEN sum_open_interest < 0 OR sum_open_interest_value < 0 THEN 'negative open interest' END`;
    return this.ingest({ stage, table: 'open_interest', columns: cols, sym, reason, received: rows.length, timeColumn: 'time' });
  }

  /** Open time of the last stored candle, for resuming a download; null when none is stored. */
  async lastOpenTime(symbol: string, interval: Interval): Promise<number | null> {
    const v = await this.scalar(`SELECT max(open_time) FROM candles WHERE symbol = $1 AND interval = $2`, [symbol, interval]);
    return v === null ? null : Number(v);
  }

  /** Rows, time range and gaps (runs of missing bars) of a stored series. */
  async summarize(symbol: string, interval: Interval, range: { from?: number; to?: number } = {}): Promise<SeriesSummary> {
    const step = intervalMs(interval);
    const where = `symbol = $1 AND interval = $2 AND open_time >= $3 AND open_time <= $4`;
    const params = [symbol, interval, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER];
    const reader = await this.connection.runAndReadAll(
      `SELECT count(*)::DOUBLE, min(open_time)::DOUBLE, max(open_time)::DOUBLE FROM candles WHERE ${where}`, params);
    const [rows, first, last] = reader.getRows()[0]! as [number, number | null, number | null];
    const gapReader = await this.connection.runAndReadAll(
      `SELECT prev + ${step} AS from_t, open_time - ${step} AS to_t, ((open_time - prev) / ${step} - 1)::DOUBLE AS bars
       FROM (SELECT open_time, lag(open_time) OVER (ORDER BY open_time) AS prev FROM candles WHERE ${where})
       WHERE open_time - prev > ${step} ORDER BY open_time`, params);
    const gaps = gapReader.getRows().map(([from, to, bars]) => ({ from: Number(from), to: Number(to), bars: Number(bars) }));
    return { rows, firstOpenTime: first, lastOpenTime: last, gaps, missingBars: gaps.reduce((s, g) => s + g.bars, 0) };
  }

  /**
   * Writes the series (and its trade flow, funding and open interest over the same time range)
   * to Parquet files in `dir`, ordered by time. Single-threaded COPY keeps the bytes deterministic,
   * so the same data always gives the same sha256.
   */
  async exportParquet(symbol: string, interval: Interval, dir: string, range: { from: number; to: number }): Promise<ParquetExport> {
    await mkdir(dir, { recursive: true });
    const step = intervalMs(interval);
    const files = {
      candles: { path: join(dir, 'candles.parquet'), sql: `SELECT * EXCLUDE (symbol, interval) FROM candles WHERE symbol = '${symbol}' AND interval = '${interval}' AND open_time BETWEEN ${range.from} AND ${range.to} ORDER BY open_time` },
      tradeFlow: { path: join(dir, 'trade_flow.parquet'), sql: `SELECT * EXCLUDE (symbol, interval) FROM trade_flow WHERE symbol = '${symbol}' AND interval = '${interval}' AND open_time BETWEEN ${range.from} AND ${range.to} ORDER BY open_time` },
      funding: { path: join(dir, 'funding.parquet'), sql: `SELECT * EXCLUDE (symbol) FROM funding WHERE symbol = '${symbol}' AND funding_time BETWEEN ${range.from} AND ${range.to + step} ORDER BY funding_time` },
      openInterest: { path: join(dir, 'open_interest.parquet'), sql: `SELECT * EXCLUDE (symbol) FROM open_interest WHERE symbol = '${symbol}' AND time BETWEEN ${range.from} AND ${range.to + step} ORDER BY time` },
    };
    const threads = await this.scalar(`SELECT current_setting('threads')`);
    await this.connection.run(`SET threads = 1`);
    try {
      const out = {} as ParquetExport;
      for (const [name, f] of Object.entries(files) as [keyof ParquetExport, { path: string; sql: string }][]) {
        const reader = await this.connection.runAndReadAll(`COPY (${f.sql}) TO '${f.path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 131072)`);
        out[name] = { path: f.path, rows: Number(reader.getRows()[0]?.[0] ?? 0) };
      }
      return out;
    } finally {
      await this.connection.run(`SET threads = ${Number(threads)}`);
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async stage(name: string, columns: string[], data: Float64Array[]): Promise<string> {
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${name} (${columns.map((c) => `${c} DOUBLE`).join(', ')})`);
    await appendDoubleColumns(this.connection, name, data);
    return name;
  }

  private async ingest(a: {
    stage: string; table: string; columns: string[]; sym: string; ivl?: string; reason: string; received: number;
    timeColumn?: string; nullIfNaN?: string[];
  }): Promise<AppendReport> {
    const time = a.timeColumn ?? 'open_time';
    const seriesKey = a.ivl ? `symbol = '${a.sym}' AND interval = '${a.ivl}'` : `symbol = '${a.sym}'`;
    const rejectedReader = await this.connection.runAndReadAll(
      `SELECT ${time}, reason FROM (SELECT ${time}, ${a.reason} AS reason FROM ${a.stage}) WHERE reason IS NOT NULL ORDER BY ${time}`);
    const rejected = rejectedReader.getRows().map(([t, r]) => ({ openTime: Number(t), reason: String(r) }));
    const select = a.columns.map((c) => {
      const v = a.nullIfNaN?.includes(c) ? `CASE WHEN isnan(s.${c}) THEN NULL ELSE s.${c} END` : `s.${c}`;
      return INTEGER_COLUMNS.has(c) || c === time ? `${v}::BIGINT` : v;
    }).join(', ');
    const prefix = a.ivl ? `'${a.sym}', '${a.ivl}'` : `'${a.sym}'`;
    const reader = await this.connection.runAndReadAll(`
      INSERT INTO ${a.table}
      SELECT ${prefix}, ${select}
      FROM (SELECT *, row_number() OVER (PARTITION BY ${time} ORDER BY rowid) AS dup FROM ${a.stage} WHERE ${a.reason} IS NULL) s
      WHERE s.dup = 1 AND s.${time}::BIGINT NOT IN (SELECT ${time} FROM ${a.table} WHERE ${seriesKey})`);
    const inserted = Number(reader.getRows()[0]?.[0] ?? 0);
    await this.connection.run(`DROP TABLE ${a.stage}`);
    return { received: a.received, inserted, duplicates: a.received - rejected.length - inserted, rejected };
  }

  private async scalar(sql: string, params?: (string | number)[]): Promise<unknown> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRows()[0]?.[0] ?? null;
  }
}

function sqlType(column: string): string {
  return INTEGER_COLUMNS.has(column) ? 'BIGINT' : 'DOUBLE';
}

/** Validates symbol and interval before they reach SQL (they are interpolated as literals). */
function checkSeries(symbol: string, interval: string): { sym: string; ivl: Interval } {
  const s = SymbolSchema.safeParse(symbol);
  if (!s.success) throw new InvalidInputError(`symbol ${JSON.stringify(symbol)}: ${s.error.issues[0]!.message}`);
  const i = IntervalSchema.safeParse(interval);
  if (!i.success) throw new InvalidInputError(`interval ${JSON.stringify(interval)}: ${i.error.issues[0]!.message}`);
  return { sym: s.data, ivl: i.data };
}
