import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { InvalidInputError } from '@ares/data';
import { rejection, withTempDir } from '@ares/data/testing';
import { loadTrainingData } from './loadTrainingData';

/** Writes a small feature dataset Parquet with DuckDB from SQL VALUES. */
async function parquet(dir: string, rows: string): Promise<string> {
  const path = join(dir, 'f.parquet');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(`COPY (SELECT * FROM (VALUES ${rows}) t(open_time, close_time, close, volume, f_a, f_b, label, t1, label_ret, regime)) TO '${path}' (FORMAT parquet)`);
  db.closeSync();
  return path;
}

const ROWS = `
  (1000, 1999, 10.0, 5.0, 0.1, 1.0, 1, 3999, 0.01, 'BULL_TREND'),
  (2000, 2999, 10.5, 5.0, 'NaN'::DOUBLE, 2.0, 0, 4999, 0.0, 'BULL_TREND'),
  (3000, 3999, 10.2, 5.0, 0.3, 3.0, NULL, NULL, NULL, 'SIDEWAYS_RANGE'),
  (4000, 4999, 10.1, 5.0, 0.4, 'Infinity'::DOUBLE, -1, 6999, -0.02, 'BEAR_TREND'),
  (5000, 5999, 10.3, 5.0, 0.5, 5.0, -1, 7999, -0.01, 'BEAR_TREND')`;

test('infers features (all but times, labels, OHLCV/volume), drops unlabelled and NaN/Inf rows and counts them', async () => {
  await withTempDir(async (dir) => {
    const d = await loadTrainingData(await parquet(dir, ROWS));
    expect(d.x.columns).toEqual(['f_a', 'f_b']);
    expect(d.rowsRead).toBe(5);
    expect(d.dropped).toEqual({ unlabelled: 1, nonFinite: 2, total: 3 });
    expect(Array.from(d.labels)).toEqual([1, -1]);
    expect(Array.from(d.times)).toEqual([1000, 5000]);
    expect(Array.from(d.t1)).toEqual([3999, 7999]);
    expect(Array.from(d.x.data)).toEqual([Math.fround(0.1), 1, Math.fround(0.5), 5]);
    expect(d.regime).toEqual(['BULL_TREND', 'BEAR_TREND']);
  });
});

test('an explicit feature list is used as given; an unknown feature is named', async () => {
  await withTempDir(async (dir) => {
    const path = await parquet(dir, ROWS);
    const d = await loadTrainingData(path, { features: ['f_b'] });
    expect(d.x.columns).toEqual(['f_b']);
    expect(d.dropped.nonFinite).toBe(1);
    const e = await rejection(loadTrainingData(path, { features: ['f_b', 'f_zz'] }));
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.message).toMatch(/unknown feature\(s\) 'f_zz'/);
  });
});

test('labels outside {-1, 0, 1} are rejected', async () => {
  await withTempDir(async (dir) => {
    const e = await rejection(loadTrainingData(await parquet(dir, `(1000, 1999, 10.0, 5.0, 0.1, 1.0, 2, 3999, 0.01, 'X'), (2000, 2999, 10.0, 5.0, 0.1, 1.0, 1, 3999, 0.01, 'X')`)));
    expect(e.message).toBe('1 label(s) outside {-1, 0, 1} (values from 2 to 2)');
  });
});

test('no rows left after cleaning is an error saying why', async () => {
  await withTempDir(async (dir) => {
    const e = await rejection(loadTrainingData(await parquet(dir, `(1000, 1999, 10.0, 5.0, 'NaN'::DOUBLE, 1.0, 1, 3999, 0.01, 'X'), (2000, 2999, 10.0, 5.0, 0.1, 1.0, NULL, NULL, NULL, 'X')`)));
    expect(e.message).toBe('no training rows left after cleaning: 2 rows read, 1 without a label, 1 with NaN/Inf in a feature');
  });
});
