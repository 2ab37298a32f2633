import { writeFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { createArtifactStore } from '@ares/data';
import { argmaxRows, loadBundle, loadModel, selectTrainedColumns, StandardScaler, type Matrix } from '@ares/models';
import { CliError } from '../format';

/**
 * `ares predict --model <bundle manifest key> --input <parquet>`: loads the bundle (manifest first),
 * takes the trained feature columns from the input (a missing one is named), applies the bundle's
 * scaler and returns the prediction (−1/0/1) and probabilities aligned to the input rows.
 */
export async function predictCommand(o: { model: string; input: string; output?: string }, out: (line: string) => void = console.log): Promise<number> {
  const store = await createArtifactStore();
  try {
    const { manifest, saved } = await loadBundle(store, o.model);
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    let x: Matrix;
    let times: number[];
    try {
      const src = `read_parquet('${o.input.replaceAll("'", "''")}')`;
      const columns = (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`).catch((err: Error) => {
        throw new CliError(`cannot read ${o.input}: ${err.message}`);
      })).getRows().map((r) => String(r[0]));
      selectTrainedColumns(manifest, columns);
      const names = manifest.features.original;
      const reader = await db.runAndReadAll(`SELECT ${columns.includes('open_time') ? 'open_time::DOUBLE' : 'NULL'}, ${names.map((c) => `"${c}"::DOUBLE`).join(', ')} FROM ${src}`);
      const cols = reader.getColumns();
      const n = reader.currentRowCount;
      const data = new Float32Array(n * names.length);
      for (let i = 0; i < n; i++) for (let j = 0; j < names.length; j++) data[i * names.length + j] = (cols[j + 1]![i] as number | null) ?? Number.NaN;
      x = { rows: n, cols: names.length, data, columns: names };
      times = Array.from(cols[0]!, (v) => (v === null ? Number.NaN : Number(v)));
    } finally {
      db.closeSync();
      instance.closeSync();
    }
    const scaled = manifest.scaler ? StandardScaler.fromJSON(manifest.scaler).transform(x) : x;
    const model = await loadModel(saved);
    try {
      const proba = await model.predictProba(scaled);
      const cls = argmaxRows(proba);
      const rows = Array.from({ length: x.rows }, (_, i) => ({
        open_time: Number.isFinite(times[i]!) ? times[i] : null,
        prediction: Number.isNaN(proba[i * 3]!) ? null : cls[i]! - 1,
        p_down: proba[i * 3], p_flat: proba[i * 3 + 1], p_up: proba[i * 3 + 2],
      }));
      const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
      if (o.output) await writeFile(o.output, text);
      else process.stdout.write(text);
      out(`${rows.length} predictions from ${manifest.type} ${manifest.modelKey}${o.output ? ` → ${o.output}` : ''}`);
      return rows.length;
    } finally {
      model.dispose();
    }
  } finally {
    await store.close();
  }
}
