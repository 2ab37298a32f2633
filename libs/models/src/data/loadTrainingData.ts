import { DuckDBInstance } from '@duckdb/node-api';
import { InvalidInputError } from '@ares/data';
import type { Matrix } from '../core/Model';

/** Columns that are never features: times, label columns, regime, and raw OHLCV / volume (the classic trainer's exclusions). */
const NON_FEATURES = new Set([
  'open_time', 'close_time', 'label', 't1', 'label_ret', 'regime',
  'open', 'high', 'low', 'close', 'volume', 'quote_volume', 'trades', 'taker_buy_base_volume', 'taker_buy_quote_volume',
]);

/** Rows ready for training, chronological. */
export interface TrainingData {
  x: Matrix;
  /** Labels −1/0/1. */
  labels: Int8Array;
  /** Bar open time and label end time (epoch ms), for chronological splits and purging. */
  times: Float64Array;
  t1: Float64Array;
  regime: string[];
  /** What cleaning removed. */
  dropped: { unlabelled: number; nonFinite: number; total: number };
  /** Rows read before cleaning. */
  rowsRead: number;
}

/**
 * Loads a feature dataset's Parquet file for training, the classic trainer's way: features are all
 * columns except times, label columns and OHLCV/volume (or exactly `features` when given; an
 * unknown one is an error naming it); rows with NaN/Inf in a feature or no label are removed and
 * counted; labels must be −1, 0 or 1. No rows left → an error saying what removed them.
 */
export async function loadTrainingData(parquetPath: string, options: { features?: readonly string[] } = {}): Promise<TrainingData> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const src = `read_parquet('${parquetPath.replaceAll("'", "''")}')`;
    const described = await db.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`);
    const all = described.getRows().map((r) => String(r[0]));
    for (const required of ['open_time', 'label', 't1']) {
      if (!all.includes(required)) throw new InvalidInputError(`training data lacks column '${required}' (is ${parquetPath} a feature dataset with labels?)`);
    }
    const inferred = all.filter((c) => !NON_FEATURES.has(c));
    let features = inferred;
    if (options.features?.length) {
      const unknown = options.features.filter((f) => !inferred.includes(f));
      if (unknown.length) throw new InvalidInputError(`unknown feature(s) ${unknown.map((f) => `'${f}'`).join(', ')}; the dataset has ${inferred.length} features, e.g. ${inferred.slice(0, 8).join(', ')}`);
      features = [...options.features];
    }
    const badLabels = await db.runAndReadAll(`SELECT count(*)::INTEGER, min(label)::INTEGER, max(label)::INTEGER FROM ${src} WHERE label IS NOT NULL AND label NOT IN (-1, 0, 1)`);
    const [bad, lo, hi] = badLabels.getRows()[0]! as [number, number, number];
    if (bad > 0) throw new InvalidInputError(`${bad} label(s) outside {-1, 0, 1} (values from ${lo} to ${hi})`);

    const reader = await db.runAndReadAll(`SELECT open_time::DOUBLE, t1::DOUBLE, label::DOUBLE, ${all.includes('regime') ? 'regime' : "''"}, ${features.map((f) => `"${f}"::DOUBLE`).join(', ')} FROM ${src} ORDER BY open_time`);
    const cols = reader.getColumns();
    const n = reader.currentRowCount;
    const keep: number[] = [];
    let unlabelled = 0;
    let nonFinite = 0;
    for (let i = 0; i < n; i++) {
      if (cols[2]![i] === null) { unlabelled++; continue; }
      let ok = true;
      for (let j = 0; j < features.length; j++) {
        const v = cols[4 + j]![i] as number | null;
        if (v === null || !Number.isFinite(v)) { ok = false; break; }
      }
      if (ok) keep.push(i); else nonFinite++;
    }
    if (keep.length === 0) {
      throw new InvalidInputError(`no training rows left after cleaning: ${n} rows read, ${unlabelled} without a label, ${nonFinite} with NaN/Inf in a feature`);
    }
    const data = new Float32Array(keep.length * features.length);
    keep.forEach((i, r) => {
      for (let j = 0; j < features.length; j++) data[r * features.length + j] = cols[4 + j]![i] as number;
    });
    return {
      x: { rows: keep.length, cols: features.length, data, columns: features },
      labels: Int8Array.from(keep, (i) => cols[2]![i] as number),
      times: Float64Array.from(keep, (i) => cols[0]![i] as number),
      t1: Float64Array.from(keep, (i) => cols[1]![i] as number),
      regime: keep.map((i) => String(cols[3]![i] ?? '')),
      dropped: { unlabelled, nonFinite, total: unlabelled + nonFinite },
      rowsRead: n,
    };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
