/**
 * Import of the kline CSVs in Binance's public-data dumps (https://data.binance.vision; layout in
 * https://github.com/binance/binance-public-data#klines). Each spot or futures daily/monthly zip
 * holds one CSV with the columns of BINANCE_KLINE_CSV_COLUMNS. Futures files start with a header
 * line, spot files do not, and spot files from 2025-01-01 on carry timestamps in microseconds
 * ("The timestamp for SPOT Data from January 1st 2025 onwards will be in microseconds", same README).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InvalidInputError } from '../../errors';
import { allocateCandles, CANDLE_FIELDS, IntervalSchema, type CandleColumns, type Interval, type Kline } from '../../market/schema';
import { isAlignedOpenTime, klineViolations, type KlineFieldNames } from './klineChecks';

/** CSV columns in file order; the first 11 map one-to-one onto CANDLE_FIELDS. */
export const BINANCE_KLINE_CSV_COLUMNS = [
  'open_time', 'open', 'high', 'low', 'close', 'volume', 'close_time',
  'quote_volume', 'count', 'taker_buy_volume', 'taker_buy_quote_volume', 'ignore',
] as const;

/** A row that parsed but broke a kline rule; it is left out of `candles`. */
export interface RejectedRow {
  /** 1-based line number in the file (a header, when present, is line 1). */
  line: number;
  /** What was wrong, naming the column and its values, e.g. "high 41000 < max(open, close) 42000". */
  reason: string;
}

export interface CsvImportResult {
  /** The accepted rows, times in epoch milliseconds, in file order (duplicates kept). */
  candles: CandleColumns;
  /** The unit the file's timestamps were written in (they are converted to ms either way). */
  timestampUnit: 'ms' | 'us';
  hasHeader: boolean;
  /** Data rows read (header and trailing blank lines excluded): `candles.length + rejected.length`. */
  rows: number;
  rejected: RejectedRow[];
}

export interface ParseBinanceKlineCsvOptions {
  /** Name of the file (or other origin) used in error messages, e.g. "BTCUSDT-1h-2024-01.csv". */
  source: string;
  /** Interval of the bars; open times not on its grid are rejected. */
  interval: Interval;
}

export interface ImportBinanceKlineCsvOptions {
  /** Interval of the bars; open times not on its grid are rejected. */
  interval: Interval;
}

/** Open times at or above this are microseconds: 1e14 ms is the year 5138, 1e14 µs is 1973. */
const MICROSECOND_THRESHOLD = 1e14;
const FIELD_COUNT = BINANCE_KLINE_CSV_COLUMNS.length;
const MAX_VALUE_IN_MESSAGE = 40;
/**
 * Global lookups are slow inside a vm context (jest's environment runs every module in one), so the
 * hot path reads module constants instead of `Number.*`.
 */
const MAX_EXACT_INTEGER = Number.MAX_SAFE_INTEGER;
const floor = Math.floor;
/** Any char code minus 48 that is neither a digit, '.' (-2) nor ',' (-4). */
const NOT_A_DIGIT = -100;
/** Powers of ten that doubles hold exactly (10^22 is the last). */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

const CSV_NAMES: KlineFieldNames = {
  openTime: 'open_time', open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume',
  closeTime: 'close_time', quoteVolume: 'quote_volume', trades: 'count',
  takerBuyBaseVolume: 'taker_buy_volume', takerBuyQuoteVolume: 'taker_buy_quote_volume',
};

/** Reads a plain (already unzipped) Binance kline CSV; see parseBinanceKlineCsv for the rules. */
export async function importBinanceKlineCsv(path: string, options: ImportBinanceKlineCsvOptions): Promise<CsvImportResult> {
  const text = await readCsvText(path);
  return parseBinanceKlineCsv(text, { source: basename(path), interval: options.interval });
}

/**
 * Parses the text of a Binance kline CSV into candle columns.
 *
 * Throws InvalidInputError (naming the file and 1-based line) for a malformed row (wrong field
 * count, empty or non-numeric field, blank line before the end), a header with the wrong column
 * count, an open time lower than the previous row's, a file mixing ms and µs timestamps, or a
 * file without a single valid row. Rows that parse but break KlineSchema's rules, or whose open
 * time is off the interval's grid, are skipped and listed in `rejected`.
 */
export function parseBinanceKlineCsv(text: string, options: ParseBinanceKlineCsvOptions): CsvImportResult {
  const state = createState(text, options);
  let pos = 0;
  let line = 1;
  const hasHeader = isHeaderLine(state, 0, lineStop(state, 0));
  while (pos < state.end) {
    const stop = lineStop(state, pos);
    if (line === 1 && hasHeader) checkHeader(state, pos, stop);
    else readDataLine(state, pos, stop, line);
    pos = nextLineStart(state, stop);
    line++;
  }
  return finish(state, hasHeader);
}

interface ParseState {
  readonly text: string;
  /** Index after the last non-blank character: trailing blank lines are not rows. */
  readonly end: number;
  readonly source: string;
  readonly interval: Interval;
  readonly cols: CandleColumns;
  /** Scratch row, reused for every line so the hot path allocates nothing per row. */
  readonly row: Kline;
  /** Read position inside the current line. */
  pos: number;
  /** The number readNumber just read. */
  value: number;
  accepted: number;
  rows: number;
  unit: 'ms' | 'us' | undefined;
  unitLine: number;
  previousOpenRaw: number;
  previousLine: number;
  readonly rejected: RejectedRow[];
}

function createState(text: string, options: ParseBinanceKlineCsvOptions): ParseState {
  const interval = checkInterval(options);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return {
    text: body, end: contentEnd(body), source: options.source, interval,
    cols: allocateCandles(countLines(body)),
    row: { openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0, closeTime: 0, quoteVolume: 0, trades: 0, takerBuyBaseVolume: 0, takerBuyQuoteVolume: 0 },
    pos: 0, value: 0, accepted: 0, rows: 0, unit: undefined, unitLine: 0, previousOpenRaw: -Infinity, previousLine: 0, rejected: [],
  };
}

function checkInterval(options: ParseBinanceKlineCsvOptions): Interval {
  const parsed = IntervalSchema.safeParse(options.interval);
  if (!parsed.success) throw new InvalidInputError(`${options.source}: ${parsed.error.issues[0]?.message ?? 'invalid interval'}`);
  return parsed.data;
}

/** Upper bound on the number of rows: newlines + 1. */
function countLines(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function contentEnd(text: string): number {
  let end = text.length;
  while (end > 0 && isBlankChar(text.charCodeAt(end - 1))) end--;
  return end;
}

function isBlankChar(code: number): boolean {
  return code === 10 || code === 13 || code === 32 || code === 9;
}

/** End of the line starting at `start`, excluding "\n" and a "\r" before it. */
function lineStop(state: ParseState, start: number): number {
  const newline = state.text.indexOf('\n', start);
  const stop = newline === -1 || newline > state.end ? state.end : newline;
  return stop > start && state.text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
}

function nextLineStart(state: ParseState, stop: number): number {
  const newline = state.text.indexOf('\n', stop);
  return newline === -1 ? state.end : newline + 1;
}

/** The first line is a header when its first field is text rather than a number. */
function isHeaderLine(state: ParseState, start: number, stop: number): boolean {
  const comma = state.text.indexOf(',', start);
  const first = state.text.slice(start, comma === -1 || comma > stop ? stop : comma).trim();
  return first !== '' && !Number.isFinite(Number(first));
}

/** Header names are not checked, only their count. */
function checkHeader(state: ParseState, start: number, stop: number): void {
  const header = state.text.slice(start, stop);
  const count = header.split(',').length;
  if (count !== FIELD_COUNT) {
    throw new InvalidInputError(
      `${state.source} line 1: header has ${count} columns, expected ${FIELD_COUNT} (${BINANCE_KLINE_CSV_COLUMNS.join(',')}): ${quote(header)}`,
    );
  }
}

function readDataLine(state: ParseState, start: number, stop: number, line: number): void {
  if (start === stop) throw new InvalidInputError(`${state.source} line ${line}: blank line (only trailing blank lines are allowed)`);
  parseFields(state, start, stop, line);
  // Both read the times from state.row (still in the file's unit) rather than take them as arguments.
  checkUnit(state, line);
  checkOrder(state, line);
  toMilliseconds(state);
  state.rows++;
  const reason = rowViolation(state);
  if (reason === undefined) storeRow(state);
  else state.rejected.push({ line, reason });
}

function parseFields(state: ParseState, start: number, stop: number, line: number): void {
  const r = state.row;
  state.pos = start;
  readNumber(state, stop, line, 0);
  r.openTime = state.value;
  readNumber(state, stop, line, 1);
  r.open = state.value;
  readNumber(state, stop, line, 2);
  r.high = state.value;
  readNumber(state, stop, line, 3);
  r.low = state.value;
  readNumber(state, stop, line, 4);
  r.close = state.value;
  readNumber(state, stop, line, 5);
  r.volume = state.value;
  readNumber(state, stop, line, 6);
  r.closeTime = state.value;
  readNumber(state, stop, line, 7);
  r.quoteVolume = state.value;
  readNumber(state, stop, line, 8);
  r.trades = state.value;
  readNumber(state, stop, line, 9);
  r.takerBuyBaseVolume = state.value;
  readNumber(state, stop, line, 10);
  r.takerBuyQuoteVolume = state.value;
  // The 12th column, "ignore", is unused by Binance's own description, so its content is not checked.
  const extra = state.text.indexOf(',', state.pos);
  if (extra !== -1 && extra < stop) throw fieldCountError(state, start, stop, line);
}

/**
 * Reads the field at `state.pos` (column `column`), which must be followed by a comma on this line,
 * into `state.value` (measured faster than returning it: a returned double may be boxed on the heap).
 * Plain decimals ("42283.58000000", "-1", "47134") are read straight from the char codes without a
 * substring; anything else (exponents, signs, spaces, too many digits) goes through Number().
 */
function readNumber(state: ParseState, stop: number, line: number, column: number): void {
  const text = state.text;
  const start = state.pos;
  let i = start;
  const negative = i < stop && text.charCodeAt(i) === 45; // '-'
  if (negative) i++;
  const digitsStart = i;
  let mantissa = 0;
  let c = 0;
  for (; i < stop; i++) {
    c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
  }
  let scale = 0;
  if (c === -2 && i < stop) { // '.'
    const fractionStart = ++i;
    for (; i < stop; i++) {
      c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
    }
    scale = i - fractionStart;
    if (i === digitsStart + 1) c = NOT_A_DIGIT; // a lone '.'
  }
  if (i >= stop) throw fieldCountError(state, start, stop, line);
  if (c !== -4 || i === digitsStart || mantissa > MAX_EXACT_INTEGER || scale >= POW10.length) { // -4: ','
    state.value = slowNumber(state, stop, line, column);
    return;
  }
  state.pos = i + 1;
  // Exact digits over an exact power of ten: IEEE 754 division rounds the true quotient once, so
  // this is the correctly rounded decimal, the double Number() returns (checked in the spec).
  const magnitude = scale === 0 ? mantissa : mantissa / (POW10[scale] ?? Number.NaN);
  state.value = negative ? -magnitude : magnitude;
}

function slowNumber(state: ParseState, stop: number, line: number, column: number): number {
  const start = state.pos;
  const comma = state.text.indexOf(',', start);
  if (comma === -1 || comma >= stop) throw fieldCountError(state, start, stop, line);
  state.pos = comma + 1;
  const raw = state.text.slice(start, comma);
  const value = Number(raw);
  // Number('') and Number('  ') are 0, so a zero is checked for being an actual digit string.
  if (Number.isFinite(value) && (value !== 0 || raw.trim() !== '')) return value;
  throw fieldError(state, line, column, raw);
}

function fieldError(state: ParseState, line: number, column: number, raw: string): InvalidInputError {
  const name = BINANCE_KLINE_CSV_COLUMNS[column] ?? `#${column + 1}`;
  const what = raw.trim() === '' ? 'is empty' : `is not a number: ${quote(raw)}`;
  return new InvalidInputError(`${state.source} line ${line}: field '${name}' ${what}`);
}

function fieldCountError(state: ParseState, fieldStart: number, stop: number, line: number): InvalidInputError {
  const lineStart = state.text.lastIndexOf('\n', fieldStart - 1) + 1;
  const text = state.text.slice(lineStart, stop);
  const count = text.split(',').length;
  return new InvalidInputError(`${state.source} line ${line}: expected ${FIELD_COUNT} fields, got ${count}: ${quote(text)}`);
}

/**
 * The unit is fixed by the first data row's open_time; every later open_time, and every close_time,
 * must agree (a ms open_time with a µs close_time would otherwise pass as a very long bar).
 */
function checkUnit(state: ParseState, line: number): void {
  const { openTime, closeTime } = state.row;
  const unit = unitOf(openTime);
  if (state.unit === undefined) {
    state.unit = unit;
    state.unitLine = line;
  }
  if (unit !== state.unit) throw mixedUnits(state, line, 'open_time', openTime);
  if (unitOf(closeTime) !== state.unit) throw mixedUnits(state, line, 'close_time', closeTime);
}

function unitOf(time: number): 'ms' | 'us' {
  return time >= MICROSECOND_THRESHOLD ? 'us' : 'ms';
}

function mixedUnits(state: ParseState, line: number, field: string, value: number): InvalidInputError {
  return new InvalidInputError(
    `${state.source} line ${line}: ${field} ${value} is in ${unitName(unitOf(value))} but line ${state.unitLine} set the file's unit to ${unitName(state.unit ?? 'ms')} (mixed timestamp units)`,
  );
}

function unitName(unit: 'ms' | 'us'): string {
  return unit === 'us' ? 'microseconds' : 'milliseconds';
}

/** Open times may repeat (storage de-duplicates) but never go back. Units agree here, so raw values compare. */
function checkOrder(state: ParseState, line: number): void {
  const openRaw = state.row.openTime;
  if (openRaw < state.previousOpenRaw) {
    throw new InvalidInputError(
      `${state.source} line ${line}: open_time ${openRaw} is lower than open_time ${state.previousOpenRaw} on line ${state.previousLine} (timestamps must not decrease)`,
    );
  }
  state.previousOpenRaw = openRaw;
  state.previousLine = line;
}

/**
 * Microsecond open times are divided exactly (a fractional result fails the integer and grid checks);
 * close times are floored, so Binance's 1735693199999999 µs becomes 1735693199999 ms as in ms files.
 */
function toMilliseconds(state: ParseState): void {
  if (state.unit !== 'us') return;
  state.row.openTime /= 1000;
  state.row.closeTime = floor(state.row.closeTime / 1000);
}

function rowViolation(state: ParseState): string | undefined {
  const reason = klineViolations(state.row, CSV_NAMES);
  if (isAlignedOpenTime(state.row.openTime, state.interval)) return reason;
  const misaligned = `open_time ${state.row.openTime} (${isoOrRaw(state.row.openTime)}) is not on the ${state.interval} grid`;
  return reason === undefined ? misaligned : `${reason}; ${misaligned}`;
}

/** Field by field rather than a loop over CANDLE_FIELDS: indexing by a dynamic key was ~15% of the parse time. */
function storeRow(state: ParseState): void {
  const { cols: c, row: r } = state;
  const i = state.accepted++;
  c.openTime[i] = r.openTime;
  c.open[i] = r.open;
  c.high[i] = r.high;
  c.low[i] = r.low;
  c.close[i] = r.close;
  c.volume[i] = r.volume;
  c.closeTime[i] = r.closeTime;
  c.quoteVolume[i] = r.quoteVolume;
  c.trades[i] = r.trades;
  c.takerBuyBaseVolume[i] = r.takerBuyBaseVolume;
  c.takerBuyQuoteVolume[i] = r.takerBuyQuoteVolume;
}

function finish(state: ParseState, hasHeader: boolean): CsvImportResult {
  if (state.accepted === 0 || state.unit === undefined) throw noValidRows(state);
  return { candles: trimCandles(state.cols, state.accepted), timestampUnit: state.unit, hasHeader, rows: state.rows, rejected: state.rejected };
}

function noValidRows(state: ParseState): InvalidInputError {
  const first = state.rejected[0];
  const detail = first === undefined ? 'no data rows' : `${state.rejected.length} of ${state.rows} rows rejected; first, line ${first.line}: ${first.reason}`;
  return new InvalidInputError(`${state.source}: no valid rows (${detail})`);
}

/** Views of the first `length` rows; they share the buffers sized to the line count. */
function trimCandles(cols: CandleColumns, length: number): CandleColumns {
  const out: Record<string, Float64Array | number> = { length };
  for (const f of CANDLE_FIELDS) out[f] = cols[f].subarray(0, length);
  return out as unknown as CandleColumns;
}

async function readCsvText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if (isBadPathError(err)) throw new InvalidInputError(`cannot read Binance kline CSV ${path}: ${err.code}`, { cause: err });
    throw err;
  }
  // "PK\x03\x04" opens a zip archive: the data.binance.vision download itself rather than the CSV inside.
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) {
    throw new InvalidInputError(`${path} is a zip archive; extract the CSV inside it first`);
  }
  return bytes.toString('utf8');
}

function isBadPathError(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'EACCES';
}

function isoOrRaw(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

function quote(value: string): string {
  const short = value.length > MAX_VALUE_IN_MESSAGE ? `${value.slice(0, MAX_VALUE_IN_MESSAGE)}…` : value;
  return JSON.stringify(short);
}
