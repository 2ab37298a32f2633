import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createArtifactStore, sha256File, type ArtifactStore } from '@ares/data';
import type { FeatureManifest } from '@ares/features';
import { connectClient, temporalConfigFromEnv, type TrainingPipelineResult } from '@ares/pipeline';
import { CliError, iso, table } from '../format';

/**
 * `ares features inspect <run | feature dataset>`: per-feature NaN counts and ranges, regime shares
 * and label balance. The argument is a workflow id (its result names the feature dataset), a
 * feature-dataset hash prefix, or a manifest key.
 */
export async function featuresInspect(target: string, out: (line: string) => void = console.log): Promise<void> {
  const store = await createArtifactStore();
  const tmp = await mkdtemp(join(tmpdir(), 'ares-features-'));
  try {
    const key = await resolveFeatures(store, target);
    const m = JSON.parse(Buffer.from(await store.get(key)).toString()) as FeatureManifest;
    out(`features  ${key}\nsource    ${m.source.key} (sha256 ${m.source.sha256.slice(0, 16)}…)\nseries    ${m.symbol} ${m.interval}: ${m.rows} rows after ${m.warmupRows} warm-up rows, ${m.columns.length} feature columns`);
    const total = Object.values(m.labels.balance).reduce((a, b) => a + b, 0) || 1;
    out(`labels    ${m.labels.method} ${JSON.stringify(m.labels.params)}: ${m.labels.labelled} labelled; ` +
      ['-1', '0', '1'].map((k) => [k, m.labels.balance[k] ?? 0] as const).map(([k, v]) => `${k}: ${v} (${((100 * v) / total).toFixed(1)} %)`).join(', '));
    out(`regimes   ${Object.entries(m.regimes.shares).map(([k, v]) => `${k} ${(100 * v).toFixed(1)} %`).join(', ')}`);

    const path = join(tmp, 'features.parquet');
    await store.getFile(m.file.key, path);
    if ((await sha256File(path)).sha256 !== m.file.sha256) throw new CliError(`${m.file.key}: sha256 does not match its manifest`, 1);
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      const src = `read_parquet('${path.replaceAll("'", "''")}')`;
      const range = await db.runAndReadAll(`SELECT min(open_time)::DOUBLE, max(open_time)::DOUBLE FROM ${src}`);
      const [first, last] = range.getRows()[0] as [number, number];
      out(`time      ${iso(first)} .. ${iso(last)}\n`);
      const stats = m.columns.map((c) => `SELECT '${c.column}' AS name, count(*) FILTER (WHERE isnan("${c.column}") OR "${c.column}" IS NULL)::INTEGER AS nans,
        min("${c.column}") FILTER (WHERE NOT isnan("${c.column}"))::DOUBLE AS lo, max("${c.column}") FILTER (WHERE NOT isnan("${c.column}"))::DOUBLE AS hi,
        avg("${c.column}") FILTER (WHERE NOT isnan("${c.column}"))::DOUBLE AS mean FROM ${src}`).join(' UNION ALL ');
      const r = await db.runAndReadAll(stats);
      const byName = new Map(m.columns.map((c) => [c.column, c]));
      out(table(['FEATURE', 'FROM', 'TF', 'WARMUP', 'NaN', 'MIN', 'MAX', 'MEAN'], r.getRows().map(([name, nans, lo, hi, mean]) => {
        const p = byName.get(String(name))!;
        return [String(name), p.feature, p.timeframe, p.warmup, Number(nans), fmt(lo), fmt(hi), fmt(mean)];
      })));
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  } finally {
    await store.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

async function resolveFeatures(store: ArtifactStore, target: string): Promise<string> {
  if (target.endsWith('manifest.json')) return target;
  if (/^[0-9a-f]{6,64}$/.test(target)) {
    const matches = (await store.list('features/')).filter((k) => k.endsWith('/manifest.json') && k.split('/')[3]?.startsWith(target.slice(0, 16)));
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw new CliError(`'${target}' matches ${matches.length} feature datasets`);
  }
  // A workflow id: its result names the feature dataset.
  const client = await connectClient(temporalConfigFromEnv());
  try {
    const result = (await client.workflow.getHandle(target).result()) as TrainingPipelineResult & { features?: { key: string } };
    if (!result.features) throw new CliError(`run ${target} has no feature dataset (it ran: ${result.stages.map((s) => s.name).join(', ')})`);
    return result.features.key;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`'${target}' is neither a feature dataset in ${store.url} nor a run: ${(err as Error).message}`);
  } finally {
    await client.connection.close();
  }
}

function fmt(v: unknown): string {
  if (v === null || v === undefined) return '-';
  const n = Number(v);
  return Math.abs(n) >= 1e5 || (Math.abs(n) < 1e-3 && n !== 0) ? n.toExponential(3) : n.toFixed(4);
}
