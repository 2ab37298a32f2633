import { appendColumns } from './libs/data/src/storage/appendColumns';
import { DuckDBInstance } from '@duckdb/node-api';
(async () => {
  const n = 1_000_000; const cols = Array.from({ length: 12 }, (_, j) => Float64Array.from({ length: n }, (_, i) => i * 1.5 + j));
  for (const [label, path, pre] of [['memory', ':memory:', ''], ['memory uncompressed', ':memory:', "PRAGMA force_compression='uncompressed'"], ['file', '/tmp/x.duckdb', ''], ['attach nocompress', ':memory:', "ATTACH ':memory:' AS m2 (COMPRESS false); USE m2"]] as const) {
    const db = await (await DuckDBInstance.create(path)).connect();
    if (pre) await db.run(pre);
    await db.run(`CREATE OR REPLACE TABLE t (${cols.map((_, j) => `c${j} DOUBLE`).join(',')})`);
    const t = performance.now();
    await appendColumns(db, 't', cols.map((data) => ({ type: 'DOUBLE' as const, data })));
    console.log(label, Math.round(performance.now() - t));
  }
})();
