import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { appendColumns, joinKey, sha256File, sha256Hex, type AppendColumn, type ArtifactStore, type Interval } from '@ares/data';
import { z } from 'zod';
import type { FeatureMatrix } from '../featureSet/buildFeatureMatrix';

/** Reference to a published feature dataset (what the pipeline passes on). */
export const FeatureDatasetRefSchema = z.object({
  key: z.string(),
  sha256: z.string(),
  rows: z.number().int(),
  columns: z.number().int(),
  /** Rows with a valid label (the rest are kept for prediction but not for training). */
  labelledRows: z.number().int(),
});
export type FeatureDatasetRef = z.infer<typeof FeatureDatasetRefSchema>;

/** Labels aligned to the matrix rows: label −1/0/1 (NaN when invalid), its end time t1 and realised return. */
export interface AlignedLabels {
  label: Float64Array;
  t1: Float64Array;
  ret: Float64Array;
  method: string;
  params: unknown;
}

/** Regime codes aligned to the matrix rows, with the code → name table. */
export interface AlignedRegimes {
  code: Float64Array;
  names: readonly string[];
  params: unknown;
}

export interface FeatureManifest {
  version: 1;
  kind: 'features';
  symbol: string;
  interval: Interval;
  source: { key: string; sha256: string };
  featureSet: unknown;
  rows: number;
  warmupRows: number;
  columns: FeatureMatrix['provenance'];
  labels: { method: string; params: unknown; labelled: number; balance: Record<string, number> };
  regimes: { names: readonly string[]; params: unknown; shares: Record<string, number> };
  file: { key: string; sha256: string; size: number };
  contentHash: string;
}

/**
 * Stores the matrix with labels and regimes in DuckDB, exports it as one Parquet file and publishes
 * it under a content-addressed key with its manifest (written last). Returns the reference.
 */
export async function publishFeatureDataset(args: {
  store: ArtifactStore;
  symbol: string;
  interval: Interval;
  source: { key: string; sha256: string };
  featureSet: unknown;
  matrix: FeatureMatrix;
  labels: AlignedLabels;
  regimes: AlignedRegimes;
}): Promise<FeatureDatasetRef> {
  const { store, matrix, labels, regimes } = args;
  const n = matrix.length;
  for (const [what, c] of [['label', labels.label], ['t1', labels.t1], ['ret', labels.ret], ['regime', regimes.code]] as const) {
    if (c.length !== n) throw new Error(`${what} has ${c.length} rows, the matrix ${n}`);
  }
  const dir = await mkdtemp(join(tmpdir(), `ares-features-${randomUUID().slice(0, 8)}-`));
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const names = ['open_time', 'close_time', ...matrix.names, 'label', 't1', 'label_ret', 'regime_code'];
    await db.run(`CREATE TABLE m (${names.map((c) => `"${c}" DOUBLE`).join(', ')})`);
    const cols: AppendColumn[] = [matrix.openTime, matrix.closeTime, ...matrix.columns, labels.label, labels.t1, labels.ret, regimes.code].map((data) => ({ type: 'DOUBLE', data }));
    await appendColumns(db, 'm', cols);
    const path = join(dir, 'features.parquet');
    const nullIfNaN = (c: string) => `CASE WHEN isnan("${c}") THEN NULL ELSE "${c}" END`;
    const regimeList = `[${regimes.names.map((r) => `'${r}'`).join(', ')}]`;
    await db.run(`COPY (SELECT open_time::BIGINT AS open_time, close_time::BIGINT AS close_time, ${matrix.names.map((c) => `"${c}"`).join(', ')},
        (${nullIfNaN('label')})::TINYINT AS label, (${nullIfNaN('t1')})::BIGINT AS t1, ${nullIfNaN('label_ret')} AS label_ret,
        list_extract(${regimeList}, regime_code::INTEGER + 1) AS regime
      FROM m ORDER BY open_time) TO '${path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 131072)`);
    const { sha256 } = await sha256File(path);

    const balance: Record<string, number> = { '-1': 0, '0': 0, '1': 0 };
    let labelled = 0;
    for (const v of labels.label) if (!Number.isNaN(v)) { balance[String(v)] = (balance[String(v)] ?? 0) + 1; labelled++; }
    // Shares over rows that have a regime (codes outside the names table mark the regime warm-up).
    const shares: Record<string, number> = Object.fromEntries(regimes.names.map((r) => [r, 0]));
    let classified = 0;
    for (const c of regimes.code) if (regimes.names[c] !== undefined) { shares[regimes.names[c]!]! += 1; classified++; }
    for (const r of regimes.names) shares[r] = classified ? shares[r]! / classified : 0;

    const contentHash = sha256Hex(JSON.stringify({ file: sha256, featureSet: args.featureSet, labels: labels.params, regimes: regimes.params, source: args.source.sha256 }));
    const prefix = joinKey('features', args.symbol, args.interval, contentHash.slice(0, 16));
    const manifestKey = joinKey(prefix, 'manifest.json');
    const ref: FeatureDatasetRef = { key: manifestKey, sha256: contentHash, rows: n, columns: matrix.names.length, labelledRows: labelled };
    if (await store.exists(manifestKey)) return ref;
    const file = await store.putFile(joinKey(prefix, 'features.parquet'), path);
    const manifest: FeatureManifest = {
      version: 1, kind: 'features', symbol: args.symbol, interval: args.interval, source: args.source, featureSet: args.featureSet,
      rows: n, warmupRows: matrix.warmupRows, columns: matrix.provenance,
      labels: { method: labels.method, params: labels.params, labelled, balance },
      regimes: { names: regimes.names, params: regimes.params, shares },
      file: { key: file.key, sha256: file.sha256, size: file.size }, contentHash,
    };
    await store.put(manifestKey, JSON.stringify(manifest, null, 2));
    return ref;
  } finally {
    db.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}
