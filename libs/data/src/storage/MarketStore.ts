import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../errors';
import {
  barOriginMs,
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
import { appendColumns, type AppendColumn } from './appendColumns';
import { klineRejectReason } from './klineChecks';

/** One rejected input row and why. */
export interface RejectedRow {
  openTime: number;
  reason: string;
}

/** What one append did. */
export interface AppendReport {
  received: number;
  inserted: number;
  /** Rows whose time was already stored for the series, or repeated within the batch. */
  duplicates: number;
  rejected: RejectedRow[];
}

/** A run of missing bars: open times `from`..`to` (inclusive) are missing, `bars` of them. */
export interface Gap {
  from: number;
  to: number;
  bars: number;
}

/** What is stored for a symbol and interval. */
export interface SeriesSummary {
  rows: number;
  firstOpenTime: number | null;
  lastOpenTime: number | null;
  gaps: Gap[];
  missingBars: number;
}

/** The Parquet files of one dataset export. */
export interface ParquetExport {
  candles: { path: string; rows: number };
  tradeFlow: { path: string; rows: number };
  funding: { path: string; rows: number };
  openInterest: { path: string; rows: number };
}

type SeriesKind = 'candles' | 'trade_flow' | 'funding' | 'open_interest';

interface TableSpec {
  table: string;
  /** Column names and types after series_id, in table order. The first is the time key. */
  columns: readonly { name: string; type: AppendColumn['type'] }[];
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const INTEGER_FIELDS = new Set(['openTime', 'closeTime', 'trades', 'buyTrades', 'sellTrades']);

const TABLES: Record<SeriesKind, TableSpec> = {
  candles: { table: 'candle_rows', columns: CANDLE_FIELDS.map((f) => ({ name: snake(f), type: INTEGER_FIELDS.has(f) ? 'BIGINT' : 'DOUBLE' })) },
  trade_flow: { table: 'trade_flow_rows', columns: TRADE_FLOW_FIELDS.map((f) => ({ name: snake(f), type: INTEGER_FIELDS.has(f) ? 'BIGINT' : 'DOUBLE' })) },
  funding: { table: 'funding_rows', columns: [{ name: 'funding_time', type: 'BIGINT' }, { name: 'funding_rate', type: 'DOUBLE' }, { name: 'mark_price', type: 'DOUBLE' }] },
  open_interest: { table: 'open_interest_rows', columns: [{ name: 'time', type: 'BIGINT' }, { name: 'sum_open_interest', type: 'DOUBLE' }, { name: 'sum_open_interest_value', type: 'DOUBLE' }] },
};

/**
 * Market data in DuckDB: candles de-duplicated on (symbol, interval, open_time), incremental
 * appends, kline consistency checks, gap detection, Parquet export.
 *
 * Rows are keyed by an integer series id (symbol × interval × kind, in table `series`) so that a
 * million-row append is a memcpy per column; the views `candles`, `trade_flow`, `funding` and
 * `open_interest` show symbol and interval. A clean batch that starts after the last stored bar
 * goes straight into its table; any other batch goes through a stage table and is de-duplicated in SQL.
 */
export class MarketStore {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  /** Opens (or creates) a store; `':memory:'` for an in-memory one. */
  static async create(path = ':memory:'): Promise<MarketStore> {
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
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
    const ddl = Object.values(TABLES).map((t) =>
      `CREATE TABLE IF NOT EXISTS ${t.table} (series_id INTEGER NOT NULL, ${t.columns.map((c) => `${c.name} ${c.type} ${c.name === 'mark_price' ? '' : 'NOT NULL'}`).join(', ')});`);
    const view = (name: string, table: string, withInterval: boolean) =>
      `CREATE OR REPLACE VIEW ${name} AS SELECT s.symbol, ${withInterval ? 's.interval, ' : ''}r.* EXCLUDE (series_id) FROM ${table} r JOIN series s USING (series_id);`;
    await this.connection.run(`
      CREATE TABLE IF NOT EXISTS series (series_id INTEGER PRIMARY KEY, symbol VARCHAR NOT NULL, interval VARCHAR NOT NULL, kind VARCHAR NOT NULL, UNIQUE (symbol, interval, kind));
      ${ddl.join('\n')}
      ${view('candles', 'candle_rows', true)}
      ${view('trade_flow', 'trade_flow_rows', true)}
      ${view('funding', 'funding_rows', false)}
      ${view('open_interest', 'open_interest_rows', false)}
    `);
  }

  /**
   * Appends candles. Rows failing the kline checks (`klineRejectReason`) are rejected with a
   * reason; rows already stored, or repeated in the batch, count as duplicates and are skipped.
   */
  async appendCandles(symbol: string, interval: Interval, candles: CandleColumns): Promise<AppendReport> {
    const { sym, ivl } = checkSeries(symbol, interval);
    const origin = barOriginMs(ivl);
    const step = intervalMs(ivl);
    const reasons = (i: number) => klineRejectReason(candles, i, ivl, origin, step);
    return this.ingest('candles', sym, ivl, candles.length, CANDLE_FIELDS.map((f) => candles[f]), reasons);
  }

  /** Appends trade-flow bars, de-duplicated on (symbol, interval, open_time) like candles. */
  async appendTradeFlow(symbol: string, interval: Interval, flow: TradeFlowColumns): Promise<AppendReport> {
    const { sym, ivl } = checkSeries(symbol, interval);
    const cols = TRADE_FLOW_FIELDS.map((f) => flow[f]);
    const reasons = (i: number) => {
      let sum = 0;
      for (const c of cols) {
        if (c[i]! < 0) return `negative value in trade flow at open_time ${flow.openTime[i]}`;
        sum += c[i]!;
      }
      return Number.isFinite(sum) ? null : 'non-finite value';
    };
    return this.ingest('trade_flow', sym, ivl, flow.length, cols, reasons);
  }

  /** Appends funding rates, de-duplicated on (symbol, funding_time). */
  async appendFunding(symbol: string, rows: readonly FundingRate[]): Promise<AppendReport> {
    const { sym } = checkSeries(symbol, '1h');
    const cols = [Float64Array.from(rows, (r) => r.fundingTime), Float64Array.from(rows, (r) => r.fundingRate), Float64Array.from(rows, (r) => r.markPrice ?? Number.NaN)];
    const reasons = (i: number) => (Number.isFinite(cols[0]![i]! + cols[1]![i]!) ? null : 'non-finite funding_time or funding_rate');
    return this.ingest('funding', sym, '', rows.length, cols, reasons);
  }

  /** Appends open-interest history, de-duplicated on (symbol, time). */
  async appendOpenInterest(symbol: string, rows: readonly OpenInterest[]): Promise<AppendReport> {
    const { sym } = checkSeries(symbol, '1h');
    const cols = [Float64Array.from(rows, (r) => r.time), Float64Array.from(rows, (r) => r.sumOpenInterest), Float64Array.from(rows, (r) => r.sumOpenInterestValue)];
    const reasons = (i: number) => {
      const a = cols[1]![i]!, b = cols[2]![i]!;
      if (!Number.isFinite(a + b + cols[0]![i]!)) return 'non-finite value';
      return a < 0 || b < 0 ? 'negative open interest' : null;
    };
    return this.ingest('open_interest', sym, '', rows.length, cols, reasons);
  }

  /** Open time of the last stored candle, for resuming a download; null when none is stored. */
  async lastOpenTime(symbol: string, interval: Interval): Promise<number | null> {
    checkSeries(symbol, interval);
    const v = await this.scalar(`SELECT max(open_time)::DOUBLE FROM candles WHERE symbol = $1 AND interval = $2`, [symbol, interval]);
    return v === null ? null : Number(v);
  }

  /** Symbols and intervals with stored candles. */
  async listSeries(): Promise<{ symbol: string; interval: string; rows: number }[]> {
    const r = await this.connection.runAndReadAll(`SELECT symbol, interval, count(*)::DOUBLE FROM candles GROUP BY ALL ORDER BY ALL`);
    return r.getRows().map(([symbol, interval, rows]) => ({ symbol: String(symbol), interval: String(interval), rows: Number(rows) }));
  }

  /** Rows, time range and gaps (runs of missing bars) of a stored series. */
  async summarize(symbol: string, interval: Interval, range: { from?: number; to?: number } = {}): Promise<SeriesSummary> {
    checkSeries(symbol, interval);
    const step = intervalMs(interval);
    const where = `symbol = $1 AND interval = $2 AND open_time BETWEEN $3 AND $4`;
    const params = [symbol, interval, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER];
    const reader = await this.connection.runAndReadAll(
      `SELECT count(*)::DOUBLE, min(open_time)::DOUBLE, max(open_time)::DOUBLE FROM candles WHERE ${where}`, params);
    const [rows, first, last] = reader.getRows()[0]! as [number, number | null, number | null];
    const gapReader = await this.connection.runAndReadAll(
      `SELECT (prev + ${step})::DOUBLE, (open_time - ${step})::DOUBLE, ((open_time - prev) / ${step} - 1)::DOUBLE
       FROM (SELECT open_time, lag(open_time) OVER (ORDER BY open_time) AS prev FROM candles WHERE ${where})
       WHERE open_time - prev > ${step} ORDER BY open_time`, params);
    const gaps = gapReader.getRows().map(([from, to, bars]) => ({ from: Number(from), to: Number(to), bars: Number(bars) }));
    return { rows, firstOpenTime: first, lastOpenTime: last, gaps, missingBars: gaps.reduce((s, g) => s + g.bars, 0) };
  }

  /**
   * Writes the candles in [from, to] and their trade flow, funding and open interest (up to one
   * bar past `to`) to Parquet files in `dir`, ordered by time. The same rows always give the
   * same bytes (checked by a test), so a dataset's sha256 identifies its content.
   */
  async exportParquet(symbol: string, interval: Interval, dir: string, range: { from: number; to: number }): Promise<ParquetExport> {
    const { sym, ivl } = checkSeries(symbol, interval);
    await mkdir(dir, { recursive: true });
    const end = range.to + intervalMs(ivl);
    const ids = await this.seriesIds(sym, ivl);
    const query = (kind: SeriesKind, from: number, to: number) => {
      const t = TABLES[kind];
      const time = t.columns[0]!.name;
      return `SELECT * EXCLUDE (series_id) FROM ${t.table} WHERE series_id = ${ids[kind] ?? -1} AND ${time} BETWEEN ${from} AND ${to} ORDER BY ${time}`;
    };
    const files: [keyof ParquetExport, string, string][] = [
      ['candles', 'candles.parquet', query('candles', range.from, range.to)],
      ['tradeFlow', 'trade_flow.parquet', query('trade_flow', range.from, range.to)],
      ['funding', 'funding.parquet', query('funding', range.from, end)],
      ['openInterest', 'open_interest.parquet', query('open_interest', range.from, end)],
    ];
    const out = {} as ParquetExport;
    for (const [name, file, sql] of files) {
      const path = join(dir, file);
      const reader = await this.connection.runAndReadAll(`COPY (${sql}) TO '${path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 131072)`);
      out[name] = { path, rows: Number(reader.getRows()[0]?.[0] ?? 0) };
    }
    return out;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async ingest(kind: SeriesKind, symbol: string, interval: string, length: number, data: readonly Float64Array[], reasonOf: (i: number) => string | null): Promise<AppendReport> {
    const spec = TABLES[kind];
    const times = data[0]!;
    const rejected: RejectedRow[] = [];
    const keep = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const reason = reasonOf(i);
      if (reason === null) keep[i] = 1;
      else rejected.push({ openTime: times[i]!, reason });
    }
    const good = rejected.length === 0 ? data.map((d) => d.subarray(0, length)) : data.map((d) => d.filter((_, i) => keep[i] === 1));
    const n = good[0]!.length;
    const seriesId = await this.seriesId(symbol, interval, kind);
    const columns: AppendColumn[] = [
      { type: 'INTEGER', data: new Int32Array(n).fill(seriesId) },
      ...spec.columns.map((c, j): AppendColumn => ({ type: c.type, data: good[j]! }) as AppendColumn),
    ];
    const time = spec.columns[0]!.name;
    const last = await this.scalar(`SELECT max(${time})::DOUBLE FROM ${spec.table} WHERE series_id = ${seriesId}`);
    let inserted: number;
    if (n === 0) inserted = 0;
    else if (strictlyIncreasing(good[0]!) && (last === null || good[0]![0]! > Number(last))) {
      await appendColumns(this.connection, spec.table, columns);
      inserted = n;
    } else {
      inserted = await this.insertDeduplicated(spec, seriesId, columns);
    }
    return { received: length, inserted, duplicates: length - rejected.length - inserted, rejected };
  }

  /** Stage, keep the first occurrence of each time in the batch, skip times already stored. */
  private async insertDeduplicated(spec: TableSpec, seriesId: number, columns: AppendColumn[]): Promise<number> {
    const time = spec.columns[0]!.name;
    const stage = `stage_${spec.table}`;
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${stage} AS SELECT * FROM ${spec.table} LIMIT 0`);
    await appendColumns(this.connection, stage, columns);
    const reader = await this.connection.runAndReadAll(`
      INSERT INTO ${spec.table}
      SELECT * EXCLUDE (dup) FROM (SELECT *, row_number() OVER (PARTITION BY ${time} ORDER BY rowid) AS dup FROM ${stage}) s
      WHERE dup = 1 AND ${time} NOT IN (SELECT ${time} FROM ${spec.table} WHERE series_id = ${seriesId})
      ORDER BY ${time}`);
    await this.connection.run(`DROP TABLE ${stage}`);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  }

  private async seriesId(symbol: string, interval: string, kind: SeriesKind): Promise<number> {
    await this.connection.run(
      `INSERT INTO series SELECT coalesce((SELECT max(series_id) FROM series), 0) + 1, $1, $2, $3 ON CONFLICT DO NOTHING`, [symbol, interval, kind]);
    return Number(await this.scalar(`SELECT series_id FROM series WHERE symbol = $1 AND interval = $2 AND kind = $3`, [symbol, interval, kind]));
  }

  private async seriesIds(symbol: string, interval: string): Promise<Partial<Record<SeriesKind, number>>> {
    const r = await this.connection.runAndReadAll(
      `SELECT kind, series_id FROM series WHERE symbol = $1 AND (interval = $2 OR interval = '')`, [symbol, interval]);
    return Object.fromEntries(r.getRows().map(([k, id]) => [String(k), Number(id)]));
  }

  private async scalar(sql: string, params?: (string | number)[]): Promise<unknown> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRows()[0]?.[0] ?? null;
  }
}

function strictlyIncreasing(times: Float64Array): boolean {
  for (let i = 1; i < times.length; i++) if (!(times[i]! > times[i - 1]!)) return false;
  return true;
}

/** Validates symbol and interval before they reach SQL. */
function checkSeries(symbol: string, interval: string): { sym: string; ivl: Interval } {
  const s = SymbolSchema.safeParse(symbol);
  if (!s.success) throw new InvalidInputError(`symbol ${JSON.stringify(symbol)}: ${s.error.issues[0]!.message}`);
  const i = IntervalSchema.safeParse(interval);
  if (!i.success) throw new InvalidInputError(`interval ${JSON.stringify(interval)}: ${i.error.issues[0]!.message}`);
  return { sym: s.data, ivl: i.data };
}
