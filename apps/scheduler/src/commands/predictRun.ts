import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createArtifactStore, sha256File, type ArtifactStore } from '@ares/data';
import type { FeatureManifest } from '@ares/features';
import { GovernorBundle, type GovernorRowPrediction } from '@ares/governor';
import type { Matrix } from '@ares/models';
import { connectClient, temporalConfigFromEnv, type TrainingPipelineResult } from '@ares/pipeline';
import { CliError, iso, table, UsageError } from '../format';

export interface PredictRunOptions {
  /** Workflow id of a completed trainingPipeline run with a governor. */
  run: string;
  /** How many of the latest rows to predict. @default 5 */
  last?: string;
  /** Only rows at or before this time (ISO date or epoch ms). @default the latest row */
  to?: string;
  /** Decision threshold in (0, 1]. @default the bundle's */
  threshold?: string;
  json?: boolean;
}

/** One predicted row: the bar's open time plus the bundle's row prediction. */
export interface RunPrediction extends GovernorRowPrediction {
  openTime: number;
  time: string;
}

interface LatestRows {
  x: Matrix;
  times: number[];
  regime: string[];
}

/**
 * `ares predict --run <workflowId>`: the run's governor bundle on the LAST rows of the run's feature
 * dataset — including the most recent bars, which have no label yet (loadTrainingData would drop
 * them). Rows without a regime or with a non-finite value in a bundle feature are skipped.
 */
export async function predictRunCommand(o: PredictRunOptions, out: (line: string) => void = console.log): Promise<RunPrediction[]> {
  const last = o.last === undefined ? 5 : Number(o.last);
  if (!Number.isSafeInteger(last) || last < 1) throw new UsageError(`--last must be a positive integer; got '${o.last}'`);
  const threshold = o.threshold === undefined ? undefined : Number(o.threshold);
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) throw new UsageError(`--threshold must be in (0, 1]; got '${o.threshold}'`);
  const to = o.to === undefined ? undefined : /^\d+$/.test(o.to) ? Number(o.to) : Date.parse(o.to);
  if (to !== undefined && !Number.isFinite(to)) throw new UsageError(`--to must be an ISO date or epoch ms; got '${o.to}'`);

  const result = await runResult(o.run);
  const store = await createArtifactStore();
  const tmp = await mkdtemp(join(tmpdir(), 'ares-predict-'));
  try {
    const bundle = await GovernorBundle.load(store, result.governor!.bundleKey).catch((err: Error) => {
      throw new CliError(`run ${o.run}: cannot load its governor bundle ${result.governor!.bundleKey} from ${store.url}: ${err.message}`, 1);
    });
    try {
      const featuresKey = bundle.manifest!.features.featuresKey;
      const rows = await latestRows(store, featuresKey, join(tmp, 'features.parquet'), [...bundle.featureColumns], last, to);
      if (rows.x.rows === 0) throw new CliError(`run ${o.run}: no row of ${featuresKey}${to === undefined ? '' : ` at or before ${iso(to)}`} has a regime and finite values in the bundle's ${bundle.featureColumns.length} features`, 1);
      const p = await bundle.predict(rows.x, rows.regime, threshold === undefined ? {} : { threshold }).catch((err: Error) => {
        throw new CliError(`run ${o.run}: prediction failed: ${err.message}`, 1);
      });
      const predictions = p.rows.map((r, i) => ({ openTime: rows.times[i]!, time: iso(rows.times[i]!), ...r }));
      if (o.json) out(JSON.stringify(predictions, null, 2));
      else printTable(predictions, bundle.regimeNames, o.run, result.governor!.bundleKey, threshold ?? bundle.threshold, out);
      return predictions;
    } finally {
      bundle.dispose();
    }
  } finally {
    await store.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The run's result; a CliError when there is no such run, it has not completed, or it has no governor. */
async function runResult(workflowId: string): Promise<TrainingPipelineResult> {
  const client = await connectClient(temporalConfigFromEnv());
  try {
    const handle = client.workflow.getHandle(workflowId);
    const description = await handle.describe().catch((err: Error) => {
      throw new CliError(`--run '${workflowId}': no such run (${err.message})`);
    });
    if (description.status.name !== 'COMPLETED') throw new CliError(`--run '${workflowId}': the run is ${description.status.name}, not COMPLETED; predict needs a completed run`);
    const result = (await handle.result()) as TrainingPipelineResult;
    if (!result.governor) {
      throw new CliError(`--run '${workflowId}': the run has no governor bundle (it ran: ${result.stages.map((s) => s.name).join(', ')}); train without --until or with --until governor`);
    }
    return result;
  } finally {
    await client.connection.close();
  }
}

/** The last `last` rows (at or before `to`) of a feature dataset, labelled or not, chronological. */
async function latestRows(store: ArtifactStore, featuresKey: string, path: string, columns: string[], last: number, to: number | undefined): Promise<LatestRows> {
  const m = JSON.parse(Buffer.from(await store.get(featuresKey)).toString()) as FeatureManifest;
  await store.getFile(m.file.key, path);
  if ((await sha256File(path)).sha256 !== m.file.sha256) throw new CliError(`${m.file.key}: sha256 does not match its manifest ${featuresKey}`, 1);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const src = `read_parquet('${path.replaceAll("'", "''")}')`;
    const present = new Set((await db.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRows().map((r) => String(r[0])));
    const missing = ['open_time', 'regime', ...columns].filter((c) => !present.has(c));
    if (missing.length > 0) throw new CliError(`${m.file.key} lacks column(s) ${missing.map((c) => `'${c}'`).join(', ')} the bundle needs`, 1);
    const quoted = columns.map((c) => `"${c.replaceAll('"', '""')}"::DOUBLE`);
    const where = [`regime IS NOT NULL AND regime <> ''`, ...quoted.map((c) => `isfinite(${c})`), ...(to === undefined ? [] : [`open_time::DOUBLE <= ${to}`])].join(' AND ');
    const reader = await db.runAndReadAll(`SELECT * FROM (SELECT open_time::DOUBLE AS t, regime::VARCHAR, ${quoted.join(', ')} FROM ${src} WHERE ${where} ORDER BY open_time DESC LIMIT ${last}) ORDER BY t`);
    const cols = reader.getColumns();
    const n = reader.currentRowCount;
    // Float32 like loadTrainingData, so rows also in the governor's test slice predict identically.
    const data = new Float32Array(n * columns.length);
    for (let i = 0; i < n; i++) for (let j = 0; j < columns.length; j++) data[i * columns.length + j] = cols[j + 2]![i] as number;
    return {
      x: { rows: n, cols: columns.length, data, columns },
      times: Array.from(cols[0]!, (v) => Number(v)),
      regime: Array.from(cols[1]!, (v) => String(v)),
    };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

const signed = (p: number): string => (p > 0 ? `+${p}` : String(p));

function printTable(rows: RunPrediction[], regimeNames: readonly string[], run: string, bundleKey: string, threshold: number, out: (line: string) => void): void {
  out(`run ${run}: governor bundle ${bundleKey}, threshold ${threshold}`);
  out(table(
    ['TIME', 'REGIME', 'DECISION', 'PRED', 'CONF', ...regimeNames],
    rows.map((r) => [r.time, r.regime, r.decision, signed(r.prediction), r.confidence.toFixed(3), ...regimeNames.map((n) => {
      const e = r.ensembles[n]!;
      return `${signed(e.prediction)} ${e.confidence.toFixed(2)}${e.source === n ? '' : '*'}`;
    })]),
  ));
  const fallback = regimeNames.filter((n) => rows.some((r) => r.ensembles[n]!.source !== n));
  out(`per regime: its ensemble's prediction and confidence${fallback.length ? `; * = FALLBACK, served by the pooled ensemble (${fallback.join(', ')})` : ''}`);
}
