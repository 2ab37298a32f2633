import { DuckDBInstance } from '@duckdb/node-api';

/** Rows of `sql` (with `$file` standing for the Parquet file) as numbers, read by a DuckDB of its own. */
export async function queryParquet(path: string, sql: string): Promise<number[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const r = await db.runAndReadAll(sql.replace('$file', `read_parquet('${path.replaceAll("'", "''")}')`));
    return r.getRows().map((row) => row.map(Number));
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
