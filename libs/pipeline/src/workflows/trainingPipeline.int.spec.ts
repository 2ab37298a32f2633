/**
 * End to end on real services: the Temporal dev server (installed binary), MinIO on loopback,
 * DuckDB. The workflow runs collectMarketData and the Parquet it wrote reads back with the same
 * row count and sha256 from both artifact stores.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import {
  LocalArtifactStore,
  S3ArtifactStore,
  downloadDatasetFile,
  readDatasetManifest,
  sha256File,
  type ArtifactStore,
  type DatasetRef,
} from '@ares/data';
import { freePort, startMinio, withBucket, withTempDir, type MinioServer } from '@ares/data/testing';
import { createActivities } from '../activities/createActivities';
import type { TrainingPipelineInput, TrainingPipelineResult } from '../contracts';
import { DATASET_HASH, INTERVAL, SYMBOL, TRIGGER } from '../searchAttributes';
import { startTemporal } from '../testing';
import { workflowsPath } from '../workflowsPath';

let env: TestWorkflowEnvironment;
let minio: MinioServer;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  [env, minio, bundle] = await Promise.all([startTemporal(), startMinio(), bundleWorkflowCode({ workflowsPath, logger: quietLogger })]);
});
afterAll(async () => {
  await env?.teardown();
  await minio?.stop();
});

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

async function runPipeline(store: ArtifactStore, input: TrainingPipelineInput, workflowId = `test-${randomUUID()}`) {
  const taskQueue = `q-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ store }),
  });
  return worker.runUntil(
    env.client.workflow.execute('trainingPipeline', {
      taskQueue,
      workflowId,
      args: [input],
      typedSearchAttributes: [
        { key: SYMBOL, value: String(input.collect.symbol) },
        { key: INTERVAL, value: String(input.collect.interval) },
        { key: TRIGGER, value: input.trigger },
      ],
    }) as Promise<TrainingPipelineResult>,
  );
}

/** With ARES_RECORD_HISTORIES=1, keeps the run's history for replay.spec.ts. */
async function recordHistory(workflowId: string, name: string): Promise<void> {
  if (process.env.ARES_RECORD_HISTORIES !== '1') return;
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(join(__dirname, 'histories', `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
}

/** Downloads candles.parquet, checks its sha256 against the manifest, and counts rows with DuckDB. */
async function readBack(store: ArtifactStore, ref: DatasetRef): Promise<{ rows: number; sha256: string }> {
  return withTempDir(async (dir) => {
    const manifest = await readDatasetManifest(store, ref.key);
    expect(manifest.datasetHash).toBe(ref.sha256);
    const path = await downloadDatasetFile(store, manifest, 'candles', dir);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await db.runAndReadAll(`SELECT count(*)::INTEGER FROM read_parquet('${path}')`);
    db.closeSync();
    return { rows: Number(reader.getRows()[0]![0]), sha256: (await sha256File(path)).sha256 };
  });
}

const input: TrainingPipelineInput = {
  collect: { source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 3000, seed: 7 },
  trigger: 'test',
  // Steps 1–3 (data, targets, features); the governor stages have their own spec.
  until: 'buildFeatures',
};

test('collectMarketData runs in the workflow and the dataset reads back identically from the local and the S3 store', async () => {
  await withTempDir(async (dir) => {
    const local = await LocalArtifactStore.create(dir);
    const a = await runPipeline(local, input);
    expect(a.dataset).toMatchObject({ symbol: 'BTCUSDT', interval: '1h', rows: 3000 });
    expect(a.stages.map((s) => [s.name, s.state])).toEqual([['collectMarketData', 'completed'], ['optimizeTargetParams', 'completed'], ['buildFeatures', 'completed']]);
    const localBack = await readBack(local, a.dataset);
    expect(localBack.rows).toBe(3000);

    await withBucket(minio, async (s3) => {
      const b = await runPipeline(s3, input);
      // Same data, same content address, whichever store holds it.
      expect(b.dataset.sha256).toBe(a.dataset.sha256);
      expect(b.dataset.key).toBe(a.dataset.key);
      const s3Back = await readBack(s3, b.dataset);
      expect(s3Back).toEqual(localBack);
    });
  });
});

test('runs carry typed search attributes, DatasetHash included, and are found by a visibility query', async () => {
  await withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(dir);
    const workflowId = `sa-${randomUUID()}`;
    const result = await runPipeline(store, { ...input, collect: { ...input.collect, symbol: 'ETHUSDT' } }, workflowId);
    await recordHistory(workflowId, 'completed-run-features');
    const desc = await env.client.workflow.getHandle(workflowId).describe();
    expect(desc.typedSearchAttributes.get(SYMBOL)).toBe('ETHUSDT');
    expect(desc.typedSearchAttributes.get(INTERVAL)).toBe('1h');
    expect(desc.typedSearchAttributes.get(TRIGGER)).toBe('test');
    expect(desc.typedSearchAttributes.get(DATASET_HASH)).toBe(result.dataset.sha256);

    // Visibility is eventually consistent: poll briefly.
    const query = `Symbol = 'ETHUSDT' AND DatasetHash = '${result.dataset.sha256}'`;
    let found: string[] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      found = [];
      for await (const wf of env.client.workflow.list({ query })) found.push(wf.workflowId);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toEqual([workflowId]);
  });
});

test.each([
  ['symbol', { symbol: '../x' }],
  ['interval', { interval: '7m' }],
])('bad input (%s) fails the activity once, non-retryably, naming the field, and publishes nothing', async (field, patch) => {
  await withTempDir(async (dir) => {
    const store = await LocalArtifactStore.create(dir);
    const workflowId = `bad-${randomUUID()}`;
    const bad = { ...input, collect: { ...input.collect, ...patch } } as TrainingPipelineInput;
    const err = await runPipeline(store, bad, workflowId).catch((e: unknown) => e);
    await recordHistory(workflowId, `failed-bad-${field}`);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as { message: string; type?: string };
    expect(cause.type).toBe('InvalidInputError');
    expect(cause.message).toContain(`field '${field}'`);

    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const started = history.events!.filter((e) => e.activityTaskStartedEventAttributes);
    expect(started).toHaveLength(1);
    expect(started[0]!.activityTaskStartedEventAttributes!.attempt).toBe(1);
    expect(await store.list('')).toEqual([]);
  });
});

test('an S3 outage during collectMarketData is retried with back-off and the run completes', async () => {
  await withTempDir(async (dir) => {
    // A MinIO with a bucket, then stopped: the activity starts while S3 is unreachable.
    const port = await freePort();
    const secretKey = `secret-${randomUUID()}`;
    let outage = await startMinio({ port, dir, secretKey });
    const store = await S3ArtifactStore.create({ bucket: 'outage', endpoint: outage.endpoint, createBucket: true });
    await outage.stop();

    const workflowId = `outage-${randomUUID()}`;
    const run = runPipeline(store, input, workflowId);
    // Restart S3 on the same port and data once the first attempt has failed.
    const handle = env.client.workflow.getHandle(workflowId);
    for (let i = 0; i < 600; i++) {
      const pending = await handle.describe().then((d) => d.raw.pendingActivities?.[0]).catch(() => undefined);
      if (pending?.lastFailure) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    outage = await startMinio({ port, dir, secretKey });
    try {
      const result = await run;
      expect(result.dataset.rows).toBe(3000);
      const history = await handle.fetchHistory();
      const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 0);
      expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
      expect((await readBack(store, result.dataset)).rows).toBe(3000);
    } finally {
      await store.close();
      await outage.stop();
    }
  });
});

describe('steps 2 and 3: target parameters and features', () => {
  test('the feature dataset holds ≥ 80 features, labels with t1 after each bar, and regimes; the target search used the training window only', async () => {
    await withTempDir(async (dir) => {
      const store = await LocalArtifactStore.create(dir);
      const result = await runPipeline(store, input);
      const t = result.targets!;
      const f = result.features!;
      expect(t.trainEnd).toBeLessThan(result.dataset.end);
      const params = JSON.parse(Buffer.from(await store.get(t.key)).toString());
      expect(params.trainRows).toBe(Math.floor(3000 * 0.8));
      expect(JSON.parse(Buffer.from(await store.get(t.candidatesKey)).toString()).length).toBe(t.candidates);

      const manifest = JSON.parse(Buffer.from(await store.get(f.key)).toString());
      expect(manifest.source).toEqual({ key: result.dataset.key, sha256: result.dataset.sha256 });
      expect(f.columns).toBeGreaterThanOrEqual(80);
      expect(manifest.rows + manifest.warmupRows).toBe(3000);
      await withTempDir(async (tmp) => {
        const path = `${tmp}/features.parquet`;
        await store.getFile(manifest.file.key, path);
        const db = await (await DuckDBInstance.create(':memory:')).connect();
        const r = await db.runAndReadAll(`SELECT count(*)::INTEGER, count(label)::INTEGER, count(*) FILTER (WHERE t1 <= close_time)::INTEGER,
          count(DISTINCT regime)::INTEGER, count(*) FILTER (WHERE label NOT IN (-1, 0, 1))::INTEGER FROM read_parquet('${path}')`);
        db.closeSync();
        const [rows, labelled, badT1, regimes, badLabels] = r.getRows()[0]!.map(Number) as [number, number, number, number, number];
        expect(rows).toBe(f.rows);
        expect(labelled).toBe(f.labelledRows);
        expect(labelled).toBeGreaterThan(rows * 0.9);
        expect(badT1).toBe(0);
        expect(badLabels).toBe(0);
        expect(regimes).toBeGreaterThanOrEqual(3);
      });
    });
  });

  test('an unknown feature in the feature set fails buildFeatures non-retryably, naming it, and publishes no features', async () => {
    await withTempDir(async (dir) => {
      const store = await LocalArtifactStore.create(dir);
      const workflowId = `badfeat-${randomUUID()}`;
      const err = await runPipeline(store, { ...input, featureSet: { features: [{ name: 'rsi' }, { name: 'rsx' }] } }, workflowId).catch((e: unknown) => e);
      const cause = (err as WorkflowFailedError).cause as { message: string; type?: string };
      expect(cause.type).toBe('UnknownFeatureError');
      expect(cause.message).toMatch(/buildFeatures: unknown feature 'rsx' at features\[1\]/);
      expect((await store.list('features/'))).toEqual([]);
    });
  });

  test('an explicit feature set needing a column the dataset lacks (a CSV import has no funding) names the column', async () => {
    await withTempDir(async (dir) => {
      const store = await LocalArtifactStore.create(dir);
      const csv = Array.from({ length: 600 }, (_, i) => {
        const t = Date.UTC(2024, 0, 1) + i * 3_600_000;
        const c = 100 + Math.sin(i / 10) * 5 + i * 0.01;
        return [t, c, c + 1, c - 1, c + 0.5, 10, t + 3_599_999, 1000, 50, 5, 500, 0].join(',');
      }).join('\n');
      await store.put('imports/t/x.csv', csv);
      const err = await runPipeline(store, {
        collect: { source: 'csv', symbol: 'BTCUSDT', interval: '1h', files: ['imports/t/x.csv'] },
        trigger: 'test',
        until: 'buildFeatures',
        featureSet: { features: [{ name: 'rsi' }, { name: 'funding_rate' }] },
      }).catch((e: unknown) => e);
      const cause = (err as WorkflowFailedError).cause as { message: string; type?: string };
      expect(cause.type).toBe('MissingColumnError');
      expect(cause.message).toMatch(/needs column 'fundingRate'/);
    });
  });
});
