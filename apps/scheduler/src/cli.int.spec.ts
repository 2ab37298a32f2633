/**
 * The CLI against real services: Temporal dev server, MinIO, an in-process worker, DuckDB and the
 * native libraries. `train` prints a run id and dataset reference, `runs list` finds the run by its
 * search attributes, and `doctor` reports OK for every component.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createArtifactStore } from '@ares/data';
import { startMinio, withTempDir, type MinioServer } from '@ares/data/testing';
import { createActivities, PIPELINE_TASK_QUEUE, workflowsPath } from '@ares/pipeline';
import { startTemporal } from '@ares/pipeline/testing';
import { doctor } from './commands/doctor';
import { featuresInspect } from './commands/features';
import { runsList } from './commands/runs';
import { train } from './commands/train';
import { predictCommand } from './commands/predict';
import { analyzeCommand } from './commands/analyze';
import { trainModelCommand } from './commands/trainModel';
import { readFile, writeFile } from 'node:fs/promises';
import { CliError } from './format';

let env: TestWorkflowEnvironment;
let minio: MinioServer;
const saved = { ...process.env };

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  [env, minio] = await Promise.all([startTemporal(), startMinio()]);
  process.env.TEMPORAL_ADDRESS = env.address;
  process.env.ARES_S3_ENDPOINT = minio.endpoint;
  process.env.ARES_S3_BUCKET = `cli-${randomUUID().slice(0, 8)}`;
});
afterAll(async () => {
  process.env = saved;
  await env?.teardown();
  await minio?.stop();
});

test('train → runs list → doctor', async () => {
  await withTempDir(async (dir) => {
    process.env.ARES_ARTIFACTS = `s3://${process.env.ARES_S3_BUCKET}/artifacts`;
    const store = await createArtifactStore(undefined, { createBucket: true });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: PIPELINE_TASK_QUEUE,
      workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') }),
      activities: createActivities({ store }),
    });
    await worker.runUntil(async () => {
      const lines: string[] = [];
      const workflowId = `cli-${randomUUID()}`;
      const result = await train(
        { symbol: 'SOLUSDT', interval: '1h', source: 'synthetic', bars: '2000', trigger: 'test', wait: true, workflowId },
        (l) => lines.push(l),
      );
      expect(result!.dataset.rows).toBe(2000);
      const printed = lines.join('\n');
      expect(printed).toContain(`run      ${workflowId}`);
      expect(printed).toContain(result!.dataset.sha256);
      expect(printed).toMatch(/web ui +http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\//);
      expect(printed).toMatch(/targets  tp [\d.]+ ATR, sl [\d.]+ ATR, \d+ bars/);
      expect(printed).toMatch(new RegExp(`features ${result!.features!.columns} columns × ${result!.features!.rows} rows`));

      const inspect: string[] = [];
      await featuresInspect(workflowId, (l) => inspect.push(l));
      const report = inspect.join('\n');
      expect(report).toContain(`features  ${result!.features!.key}`);
      expect(report).toMatch(/labels    triple_barrier .*: \d+ labelled; -1: \d+/);
      expect(report).toMatch(/regimes   BULL_TREND [\d.]+ %/);
      expect(report).toMatch(/\nrsi_14 +rsi +base +\d+ +0 /);

      let listed = '';
      for (let i = 0; i < 50 && !listed.includes(workflowId); i++) {
        const out: string[] = [];
        await runsList({ symbol: 'SOLUSDT', limit: '10' }, (l) => out.push(l));
        listed = out.join('\n');
        if (!listed.includes(workflowId)) await new Promise((r) => setTimeout(r, 200));
      }
      const row = listed.split('\n').find((l) => l.startsWith(workflowId))!;
      expect(row.split(/\s+/)).toEqual([workflowId, 'COMPLETED', expect.any(String), 'SOLUSDT', '1h', 'test', result!.dataset.sha256.slice(0, 16)]);
    });
    await store.close();

    const report: string[] = [];
    process.env.ARES_DATA_DIR = join(dir, 'data');
    const failures = await doctor((l) => report.push(l));
    expect(report.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(failures).toBe(0);
    for (const component of ['node', 'temporal', 'artifact store', 's3', 'duckdb', 'lightgbm', 'xgboost', 'tensorflow.js']) {
      expect(report.some((l) => l.startsWith(`OK    ${component} `))).toBe(true);
    }
  });
});

test('doctor names the failing component and its fix when Temporal is unreachable', async () => {
  const address = process.env.TEMPORAL_ADDRESS;
  process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
  try {
    const report: string[] = [];
    expect(await doctor((l) => report.push(l))).toBeGreaterThanOrEqual(1);
    const i = report.findIndex((l) => l.startsWith('FAIL  temporal'));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(report[i + 1]).toMatch(/fix: start it with 'npm run dev -- up'/);
  } finally {
    process.env.TEMPORAL_ADDRESS = address;
  }
});

test('train rejects a bad symbol before starting anything, naming the field', async () => {
  await expect(train({ symbol: '../x', interval: '1h', source: 'synthetic', trigger: 'test', wait: true }, () => {})).rejects.toThrow(CliError);
  await expect(train({ symbol: '../x', interval: '1h', source: 'synthetic', trigger: 'test', wait: true }, () => {})).rejects.toThrow(/field 'symbol' = "\.\.\/x"/);
});

test('train-model saves a bundle; predict from the bundle reproduces the evaluated test probabilities exactly', async () => {
  await withTempDir(async (dir) => {
    process.env.ARES_ARTIFACTS = `file://${dir}/artifacts`;
    const store = await createArtifactStore();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: PIPELINE_TASK_QUEUE,
      workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') }),
      activities: createActivities({ store }),
    });
    await worker.runUntil(async () => {
      const lines: string[] = [];
      const r = await trainModelCommand({ symbol: 'ETHUSDT', interval: '1h', source: 'synthetic', bars: '2500', model: 'xgboost', skipTuning: true, workflowId: `cli-tm-${randomUUID()}` }, (l) => lines.push(l));
      expect(lines.join('\n')).toContain(`bundle   ${r.bundleKey}`);

      const manifest = JSON.parse(Buffer.from(await store.get(r.features.key)).toString());
      const input = join(dir, 'features.parquet');
      await store.getFile(manifest.file.key, input);
      const output = join(dir, 'predictions.jsonl');
      await predictCommand({ model: r.bundleKey, input, output }, () => {});
      const predicted = (await readFile(output, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      const evaluated = JSON.parse(Buffer.from(await store.get(r.metrics.metricsKey)).toString()).predictions;
      type Row = { open_time: number; p_down: number; p_flat: number; p_up: number; prediction: number };
      const byTime = new Map((predicted as Row[]).map((p) => [p.open_time, p]));
      evaluated.times.forEach((t: number, i: number) => {
        const p = byTime.get(t)!;
        expect([p.p_down, p.p_flat, p.p_up]).toEqual(evaluated.proba.slice(i * 3, i * 3 + 3));
        expect(p.prediction).toBe(evaluated.yPred[i] - 1);
      });

      // The analyze report: six Vega-Lite charts rendered to SVG, each with drawn marks.
      const report = await analyzeCommand({ model: r.bundleKey, out: join(dir, 'report.html') }, () => {});
      const html = await readFile(report.html, 'utf8');
      const charts = html.split('<section class="chart"').slice(1);
      expect(charts.map((c) => c.match(/data-title="([^"]+)"/)![1])).toEqual(['Confusion matrix', 'Feature importance', 'Probability distributions', 'ROC', 'Precision–recall', 'Calibration']);
      for (const c of charts) {
        expect(c).toContain('<svg');
        expect(c).toMatch(/class="mark-(rect|line|text|symbol)/);
      }
      const metricsJson = JSON.parse(await readFile(report.metrics, 'utf8'));
      expect(metricsJson.accuracy).toBe(r.metrics.accuracy);
      if (process.env.ARES_KEEP_REPORT) await writeFile(process.env.ARES_KEEP_REPORT, html);
    });
    await store.close();
  });
});
