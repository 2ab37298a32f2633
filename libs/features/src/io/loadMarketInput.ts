import { DuckDBInstance } from '@duckdb/node-api';
import { downloadDatasetFile, readDatasetManifest, type ArtifactStore, type DatasetManifest } from '@ares/data';
import type { FeatureInput, InputColumn } from '../series';

/** SQL expression per input column, over the dataset's Parquet files joined per bar. */
const SELECT: [InputColumn, string][] = [
  ['openTime', 'c.open_time'], ['closeTime', 'c.close_time'], ['open', 'c.open'], ['high', 'c.high'], ['low', 'c.low'], ['close', 'c.close'],
  ['volume', 'c.volume'], ['quoteVolume', 'c.quote_volume'], ['trades', 'c.trades'],
  ['takerBuyBaseVolume', 'c.taker_buy_base_volume'], ['takerBuyQuoteVolume', 'c.taker_buy_quote_volume'],
  ['buyVolume', 't.buy_volume'], ['sellVolume', 't.sell_volume'], ['buyTrades', 't.buy_trades'], ['sellTrades', 't.sell_trades'], ['largeTradeVolume', 't.large_trade_volume'],
  ['fundingRate', 'f.funding_rate'], ['openInterest', 'o.sum_open_interest'], ['openInterestValue', 'o.sum_open_interest_value'],
];

/**
 * Loads a published market dataset as feature input. Trade flow joins by open time; funding and
 * open interest join AS OF the bar's close (the last value published at or before it), so no bar
 * sees a value from its future. A column with no values at all is left out (features needing it
 * then fail with a clear MissingColumnError).
 */
export async function loadMarketInput(store: ArtifactStore, manifestKey: string, tmpDir: string): Promise<{ input: FeatureInput; manifest: DatasetManifest }> {
  const manifest = await readDatasetManifest(store, manifestKey);
  const paths = {
    candles: await downloadDatasetFile(store, manifest, 'candles', tmpDir),
    tradeFlow: await downloadDatasetFile(store, manifest, 'tradeFlow', tmpDir),
    funding: await downloadDatasetFile(store, manifest, 'funding', tmpDir),
    openInterest: await downloadDatasetFile(store, manifest, 'openInterest', tmpDir),
  };
  const q = (p: string) => `read_parquet('${p.replaceAll("'", "''")}')`;
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const reader = await db.runAndReadAll(`
      SELECT ${SELECT.map(([, e]) => `(${e})::DOUBLE`).join(', ')}
      FROM ${q(paths.candles)} c
      LEFT JOIN ${q(paths.tradeFlow)} t ON t.open_time = c.open_time
      ASOF LEFT JOIN ${q(paths.funding)} f ON c.close_time >= f.funding_time
      ASOF LEFT JOIN ${q(paths.openInterest)} o ON c.close_time >= o.time
      ORDER BY c.open_time`);
    const raw = reader.getColumns();
    const columns: Partial<Record<InputColumn, Float64Array>> = {};
    SELECT.forEach(([name], j) => {
      const values = raw[j]!;
      if (values.every((v) => v === null)) return;
      columns[name] = Float64Array.from(values, (v) => (v === null ? Number.NaN : (v as number)));
    });
    return { input: { length: reader.currentRowCount, interval: manifest.interval, columns }, manifest };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
