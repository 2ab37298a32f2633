import duckdb from '@duckdb/node-bindings';
import { BIGINT, DOUBLE, DuckDBDataChunk, INTEGER, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';

const CHUNK = 2048; // DuckDB's standard vector size

/** A column to append: DOUBLE from a Float64Array, BIGINT from integral doubles, INTEGER from an Int32Array. */
export type AppendColumn =
  | { type: 'DOUBLE'; data: Float64Array }
  | { type: 'BIGINT'; data: Float64Array }
  | { type: 'INTEGER'; data: Int32Array };

const TYPES: Record<AppendColumn['type'], DuckDBType> = { DOUBLE, BIGINT, INTEGER };

/**
 * Appends typed-array columns to a table (all values non-null), chunk by chunk.
 *
 * Written by hand because the node-api's value-by-value `setItem` costs ~10x more at a million
 * rows: here each chunk column is one memcpy (`copy_data_to_vector`) from a typed array. BIGINT
 * columns are converted from integral doubles (exact below 2^53) into little-endian int64 words.
 */
export async function appendColumns(connection: DuckDBConnection, table: string, columns: readonly AppendColumn[]): Promise<void> {
  const rows = columns[0]?.data.length ?? 0;
  for (const c of columns) if (c.data.length !== rows) throw new Error(`appendColumns(${table}): column lengths differ (${c.data.length} vs ${rows})`);
  const sources = columns.map((c) => (c.type === 'BIGINT' ? toInt64Words(c.data) : c.data));
  const bytesPerRow = columns.map((c) => (c.type === 'INTEGER' ? 4 : 8));
  const appender = await connection.createAppender(table);
  try {
    const chunk = DuckDBDataChunk.create(columns.map((c) => TYPES[c.type]), CHUNK);
    for (let offset = 0; offset < rows; offset += CHUNK) {
      const size = Math.min(CHUNK, rows - offset);
      duckdb.data_chunk_reset(chunk.chunk);
      sources.forEach((src, j) => {
        const vector = duckdb.data_chunk_get_vector(chunk.chunk, j);
        const width = bytesPerRow[j]!;
        duckdb.copy_data_to_vector(vector, 0, src.buffer as ArrayBuffer, src.byteOffset + offset * width, size * width);
      });
      duckdb.data_chunk_set_size(chunk.chunk, size);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Integral doubles → int64 two's-complement words (little-endian), without BigInt per value. */
function toInt64Words(values: Float64Array): Int32Array {
  const words = new Int32Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const hi = Math.floor(x / 4294967296);
    words[2 * i] = (x - hi * 4294967296) | 0;
    words[2 * i + 1] = hi | 0;
  }
  return words;
}
