import duckdb from '@duckdb/node-bindings';
import { DOUBLE, DuckDBDataChunk, type DuckDBConnection } from '@duckdb/node-api';

const CHUNK = 2048; // DuckDB's standard vector size

/**
 * Appends Float64Array columns to a table whose columns are all DOUBLE, chunk by chunk.
 *
 * Written by hand because the node-api's value-by-value `setItem` costs ~10x more at a million
 * rows: here each chunk column is one memcpy (`copy_data_to_vector`) from the typed array. All
 * values must be non-null (validity is left all-valid).
 */
export async function appendDoubleColumns(connection: DuckDBConnection, table: string, columns: readonly Float64Array[]): Promise<void> {
  const rows = columns[0]?.length ?? 0;
  for (const c of columns) if (c.length !== rows) throw new Error(`appendDoubleColumns: column lengths differ (${c.length} vs ${rows})`);
  const appender = await connection.createAppender(table);
  try {
    const chunk = DuckDBDataChunk.create(columns.map(() => DOUBLE), CHUNK);
    for (let offset = 0; offset < rows; offset += CHUNK) {
      const size = Math.min(CHUNK, rows - offset);
      duckdb.data_chunk_reset(chunk.chunk);
      columns.forEach((col, j) => {
        const vector = duckdb.data_chunk_get_vector(chunk.chunk, j);
        const bytes = col.BYTES_PER_ELEMENT;
        duckdb.copy_data_to_vector(vector, 0, col.buffer as ArrayBuffer, col.byteOffset + offset * bytes, size * bytes);
      });
      duckdb.data_chunk_set_size(chunk.chunk, size);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
