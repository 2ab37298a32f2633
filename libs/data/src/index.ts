/**
 * @ares/data — market data sources, DuckDB + Parquet storage, and the artifact store.
 *
 * ```ts
 * import { createArtifactStore, collectMarketData } from '@ares/data';
 *
 * const store = await createArtifactStore(); // ARES_ARTIFACTS=file://.data/artifacts (default) or s3://bucket/prefix
 * const ref = await collectMarketData({ source: 'synthetic', symbol: 'BTCUSDT', interval: '1h' }, { store, tmpDir: '/tmp' });
 * console.log(ref.key, ref.sha256, ref.rows);
 * ```
 */
export type { ArtifactInfo, ArtifactStore } from './artifacts/ArtifactStore';
export { LocalArtifactStore } from './artifacts/LocalArtifactStore';
export { S3ArtifactStore, type S3ArtifactStoreOptions } from './artifacts/S3ArtifactStore';
export { createArtifactStore } from './artifacts/createArtifactStore';
export { sha256File, sha256Hex } from './artifacts/hash';
export { joinKey, validateKey } from './artifacts/keys';
export { applyEnvFile, artifactLocationFromEnv, dataDir, parseArtifactUrl, type ArtifactLocation } from './config';
export { CollectRequestSchema, collectMarketData, parseCollectRequest, syntheticMarketOptionsOf, type CollectDeps, type CollectRequest, type ParsedCollectRequest } from './collect';
export { DatasetManifestSchema, DatasetRefSchema, type DatasetManifest, type DatasetRef } from './datasets/DatasetRef';
export { buildQualityReport, type QualityReport } from './datasets/QualityReport';
export { publishDataset } from './datasets/publishDataset';
export { downloadDatasetFile, readDatasetManifest } from './datasets/readDataset';
export {
  ArtifactNotFoundError,
  ConfigError,
  DataError,
  IntegrityError,
  InvalidInputError,
  InvalidKeyError,
  TransientError,
} from './errors';
export * from './market/schema';
export { Rng } from './random/Rng';
export { BinanceClient, aggregateTradeFlow } from './sources/binance';
export { importBinanceKlineCsv, parseBinanceKlineCsv } from './sources/csv';
export {
  PRESSURE_DRIFT,
  PRESSURE_FLOW,
  PRESSURE_LAG,
  PRESSURE_MEAN_HOURS,
  SYNTHETIC_STATES,
  SyntheticMarketOptionsSchema,
  generateSyntheticMarket,
  type SyntheticMarket,
  type SyntheticMarketOptions,
} from './sources/synthetic/SyntheticMarket';
export { OracleOptionsSchema, oracleSharpe, oracleStrategy, type OracleOptions, type OracleResult } from './sources/synthetic/oracle';
export { appendColumns, type AppendColumn } from './storage/appendColumns';
export { MarketStore, type AppendReport, type Gap, type ParquetExport, type RejectedRow, type SeriesSummary } from './storage/MarketStore';
export { toolPaths, toolsDir, type ToolPaths } from './tools';
