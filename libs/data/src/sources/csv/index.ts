/**
 * Import of Binance public-data kline CSVs (data.binance.vision) into candle columns.
 *
 * ```ts
 * import { importBinanceKlineCsv } from './sources/csv';
 *
 * const { candles, rejected, timestampUnit } = await importBinanceKlineCsv('BTCUSDT-1h-2024-01.csv', { interval: '1h' });
 * // candles.openTime is in epoch ms whether the file used ms or µs; rejected lists skipped rows by line.
 * ```
 */
export {
  BINANCE_KLINE_CSV_COLUMNS,
  importBinanceKlineCsv,
  parseBinanceKlineCsv,
  type CsvImportResult,
  type ImportBinanceKlineCsvOptions,
  type ParseBinanceKlineCsvOptions,
  type RejectedRow,
} from './importBinanceCsv';
export { isAlignedOpenTime, klineViolations, KLINE_FIELD_NAMES, type KlineFieldNames } from './klineChecks';
