/**
 * The CLI against real services: Temporal dev server, MinIO, in-process workers (pipeline and
 * training queues), DuckDB and the native libraries. `train` runs steps 1–5 with a small governor
 * config and prints its summary, `predict --run` applies the run's governor bundle to the latest
 * rows, `runs list` finds the run by its search attributes, and `doctor` reports OK for every component.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createArtifactStore } from '@ares/data';
import { startMinio, withTempDir, type MinioServer } from '@ares/data/testing';
import { REGIME_NAMES } from '@ares/features';
import { createActivities, PIPELINE_TASK_QUEUE, workflowsPath } from '@ares/pipeline';
import { SMALL_GOVERNOR, startTemporal, withPipelineWorkers } from '@ares/pipeline/testing';
import { doctor } from './commands/doctor';
import { featuresInspect } from './commands/features';
import { runsList, type RunRow } from './commands/runs';
import { train } from './commands/train';
import { predictCommand } from './commands/predict';
import { predictRunCommand, type RunPrediction } from './commands/predictRun';
import { analyzeCommand } from './commands/analyze';
import { trainModelCommand } from './commands/trainModel';
import { readFile, writeFile } from 'node:fs/promises';
import { CliError, iso } from './format';


/** The workflow's own rendering of a figure in a headline (trainingPipeline.ts fmt). */
const sharpeText = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : Number.isInteger(x) ? String(x) : x.toFixed(3));

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

test('train (steps 1–5, --config) → summary → predict --run → runs list → doctor', async () => {
  await withTempDir(async (dir) => {
    process.env.ARES_ARTIFACTS = `s3://${process.env.ARES_S3_BUCKET}/artifacts`;
    const store = await createArtifactStore(undefined, { createBucket: true });
    const config = join(dir, 'governor.json');
    await writeFile(config, JSON.stringify(SMALL_GOVERNOR));
    const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
    await withPipelineWorkers(env, { store, taskQueue: PIPELINE_TASK_QUEUE, workflowBundle }, async () => {
      // A bad governor field comes back from the run, naming the field.
      const bad = join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ governor: { ...SMALL_GOVERNOR, outerFolds: 1 } }));
      const failed = train({ symbol: 'SOLUSDT', interval: '1h', source: 'synthetic', bars: '1500', trigger: 'test', wait: true, config: bad, until: 'pruneFeatures' }, () => {});
      await expect(failed).rejects.toThrow(CliError);
      await expect(failed).rejects.toThrow(/governor config field 'outerFolds' = 1/);

      const lines: string[] = [];
      const workflowId = `cli-${randomUUID()}`;
      const result = await train(
        { symbol: 'SOLUSDT', interval: '1h', source: 'synthetic', bars: '3000', signal: '1', seed: '7', trigger: 'test', wait: true, workflowId, config },
        (l) => lines.push(l),
        { isTTY: false },
      );
      expect(result!.dataset.rows).toBe(3000);
      expect(result!.run!.config.seed).toBe(7);
      expect(result!.run!.config.coarseTrials).toBe(2);
      const printed = lines.join('\n');
      if (process.env.ARES_KEEP_CLI_OUTPUT) await writeFile(`${process.env.ARES_KEEP_CLI_OUTPUT}-train.txt`, printed);
      expect(printed).toContain(`run      ${workflowId}`);
      // Off a terminal: one line per stage change, never one per poll (a stage shorter than a poll shows no 'running').
      expect(lines.filter((l) => /^\[ *\d+\.\d s\] regimeEnsembles running$/.test(l))).toHaveLength(1);
      for (const st of result!.stages.filter((x) => x.state === 'completed')) {
        expect(lines.filter((l) => new RegExp(`^\\[ *\\d+\\.\\d s\\] ${st.name} running$`).test(l)).length).toBeLessThanOrEqual(1);
        expect(lines.filter((l) => new RegExp(`^\\[ *\\d+\\.\\d s\\] ${st.name} completed in \\d+\\.\\d s`).test(l))).toHaveLength(1);
      }
      expect(printed).toContain(result!.dataset.sha256);
      expect(printed).toMatch(/web ui +http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\//);
      expect(printed).toMatch(/targets  tp [\d.]+ ATR, sl [\d.]+ ATR, \d+ bars/);
      expect(printed).toMatch(new RegExp(`features ${result!.features!.columns} columns × ${result!.features!.rows} rows`));

      // The steps 3–5 summary: pruning, a row per regime (fallbacks flagged), governor scores, searches, bundle.
      const g = result!.governor!;
      const s = g.scores.governor;
      expect(printed).toContain(`pruning  ${result!.pruning!.kept.length} features kept, ${result!.pruning!.dropped} dropped`);
      for (const r of result!.plan!.regimes) {
        const e = g.scores.ensembles[r.regime]!;
        const own = e.own ? `${e.own.balancedAccuracy.toFixed(4)} \\(${e.own.rows}\\)` : '-';
        expect(printed).toMatch(new RegExp(`\\n  ${r.regime} +${r.source === 'own' ? 'own' : 'pooled FALLBACK'} +${r.trainRows} +${own} +${e.all.balancedAccuracy.toFixed(4)} \\(${e.all.rows}\\)\\n`));
      }
      expect(printed).toContain(`governor test slice: ${s.rows} rows, accuracy ${s.accuracy.toFixed(4)}, balanced accuracy ${s.balancedAccuracy.toFixed(4)}, macro F1 ${s.macroF1.toFixed(4)}, log loss ${s.logLoss.toFixed(4)}`);
      expect(printed).toMatch(new RegExp(`decisions at threshold ${s.threshold}: BUY ${s.decisions.BUY}, SELL ${s.decisions.SELL}, HOLD ${s.decisions.HOLD}; traded accuracy (\\d\\.\\d{4}|-)`));
      for (const m of ['lightgbm', 'random_forest', 'xgboost']) {
        expect(printed).toMatch(new RegExp(`\\n  ${m} +${result!.coarseSearch!.best[m]!.mean.toFixed(4)} +${result!.finalSearch!.best[m]!.mean.toFixed(4)}\\n`));
      }
      expect(printed).toContain(`bundle   ${g.bundleKey}\n         in ${store.url}\npredict  ares predict --run ${workflowId}`);

      // predict --run on the LATEST rows: the newest bars have no label yet and are predicted all the same.
      const saved = JSON.parse(Buffer.from(await store.get(g.predictionsKey)).toString()) as { times: number[]; proba: string };
      const json: string[] = [];
      await predictRunCommand({ run: workflowId, json: true, last: '3' }, (l) => json.push(l));
      const latest = JSON.parse(json.join('\n')) as RunPrediction[];
      expect(latest).toHaveLength(3);
      expect(latest[0]!.openTime).toBeLessThan(latest[1]!.openTime);
      expect(latest[1]!.openTime).toBeLessThan(latest[2]!.openTime);
      expect(latest[2]!.openTime).toBeGreaterThan(saved.times.at(-1)!);
      for (const r of latest) {
        expect(['BUY', 'SELL', 'HOLD']).toContain(r.decision);
        expect(r.confidence).toBeGreaterThanOrEqual(1 / 3);
        expect(r.confidence).toBeLessThanOrEqual(1);
        expect(r.time).toBe(iso(r.openTime));
        expect(Object.keys(r.ensembles).sort()).toEqual([...REGIME_NAMES].sort());
      }

      // Rows of the governor's test slice (its last rows, via --to) predict exactly as in memory.
      const expected = new Float64Array(Uint8Array.from(Buffer.from(saved.proba, 'base64')).buffer);
      const tail: string[] = [];
      await predictRunCommand({ run: workflowId, json: true, last: '3', to: iso(saved.times.at(-1)!) }, (l) => tail.push(l));
      const tested = JSON.parse(tail.join('\n')) as RunPrediction[];
      expect(tested.map((r) => r.openTime)).toEqual(saved.times.slice(-3));
      for (const r of tested) {
        const k = saved.times.indexOf(r.openTime);
        expect(r.proba).toEqual(Array.from(expected.subarray(k * 3, k * 3 + 3)));
      }

      const shown: string[] = [];
      await predictRunCommand({ run: workflowId, last: '3' }, (l) => shown.push(l));
      if (process.env.ARES_KEEP_CLI_OUTPUT) await writeFile(`${process.env.ARES_KEEP_CLI_OUTPUT}-predict.txt`, `${shown.join('\n')}\n\n${json.join('\n')}`);
      const shownLines = shown.join('\n').split('\n');
      expect(shownLines[1]).toMatch(new RegExp(`^TIME +REGIME +DECISION +PRED +CONF +${REGIME_NAMES.join(' +')}$`));
      expect(shownLines.slice(2, 5).map((l) => l.split(/ +/).slice(0, 3))).toEqual(latest.map((r) => [r.time, r.regime, r.decision]));

      await expect(predictRunCommand({ run: 'no-such-run-42' }, () => {})).rejects.toThrow(/--run 'no-such-run-42': no such run/);
      await expect(predictRunCommand({ run: workflowId, last: '0' }, () => {})).rejects.toThrow(CliError);
      await expect(predictRunCommand({ run: workflowId, last: '0' }, () => {})).rejects.toThrow(/--last must be a positive integer; got '0'/);

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
      expect(listed.split('\n')[1]).toMatch(/^WORKFLOW ID +TYPE +STATUS +STARTED +SYMBOL +INTERVAL +TRIGGER +SEED +CODE +HEADLINE +DATASET +PROMOTED$/);
      const listedJson: string[] = [];
      await runsList({ symbol: 'SOLUSDT', trigger: 'test', limit: '10', json: true }, (l) => listedJson.push(l)); // Trigger is an SQL keyword: the query quotes it
      const rows = JSON.parse(listedJson.join('\n')) as RunRow[];
      expect(rows.find((r) => r.workflowId === workflowId)).toEqual({
        workflowId, type: 'trainingPipeline', status: 'COMPLETED', started: expect.any(String), symbol: 'SOLUSDT', interval: '1h', trigger: 'test',
        seed: 7, codeVersion: result!.run!.codeVersion, headline: `OOS Sharpe ${sharpeText(result!.walkForward!.metrics.sharpe)}, ${result!.walkForward!.metrics.tradeCount} trades`,
        dataset: result!.dataset.sha256, promoted: String(result!.published!.promoted),
      });

      // analyze works on the governor bundle too: its test slice, no importance chart, AUCs, lineage, chance baseline.
      const gov = await analyzeCommand({ model: g.bundleKey, out: join(dir, 'governor.html') }, () => {});
      const govHtml = await readFile(gov.html, 'utf8');
      expect(govHtml.split('<section class="chart"').slice(1).map((c) => c.match(/data-title="([^"]+)"/)![1])).toEqual(['Confusion matrix', 'Probability distributions', 'ROC', 'Precision–recall', 'Calibration']);
      expect(govHtml).toMatch(/up \(\+1\), AUC 0\.\d{3}/);
      expect(govHtml).toContain('chance baseline');
      expect(govHtml).toContain(`<tr><th>seed</th><td>7</td></tr>`);
      expect(govHtml).toContain(result!.features!.sha256);
      const govMetrics = JSON.parse(await readFile(gov.metrics, 'utf8')) as { rows: number; balancedAccuracy: number; warnings: string[] };
      expect(govMetrics.rows).toBe(s.rows);
      expect(govMetrics.balancedAccuracy).toBeCloseTo(s.balancedAccuracy, 12);
      expect(govMetrics.warnings).toEqual(gov.warnings);
    });
    await store.close();

    const report: string[] = [];
    process.env.ARES_DATA_DIR = join(dir, 'data');
    const failures = await doctor((l) => report.push(l));
    // These workers ran in this process and never registered in the store: the one FAIL is 'workers'
    // (its OK path, with real worker processes, is devFlow.int.spec.ts).
    expect(report.filter((l) => l.startsWith('FAIL'))).toEqual([expect.stringMatching(/^FAIL  workers +(no worker polls task queue 'ares-pipeline'|worker\(s\) .* poll 'ares-pipeline' but write to another artifact store than )/)]);
    expect(failures).toBe(1);
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

test('train rejects a --config that is not a JSON object and a non-integer --seed, naming the file or option', async () => {
  await withTempDir(async (dir) => {
    const o = { symbol: 'SOLUSDT', interval: '1h', source: 'synthetic', trigger: 'test', wait: true };
    const write = async (name: string, text: string) => {
      await writeFile(join(dir, name), text);
      return join(dir, name);
    };
    const notJson = await write('a.json', '{ seed: 1 ');
    await expect(train({ ...o, config: notJson }, () => {})).rejects.toThrow(CliError);
    await expect(train({ ...o, config: notJson }, () => {})).rejects.toThrow(new RegExp(`--config ${notJson}: not JSON`));
    await expect(train({ ...o, config: await write('b.json', '[1, 2]') }, () => {})).rejects.toThrow(/b\.json: expected a JSON object \(the governor section, or \{ governor, targetSearch \}\), got an array/);
    await expect(train({ ...o, config: await write('c.json', '{"governor": 3}') }, () => {})).rejects.toThrow(/c\.json: field 'governor': expected a JSON object/);
    await expect(train({ ...o, config: await write('d.json', '{"targetSearch": [1]}') }, () => {})).rejects.toThrow(/d\.json: field 'targetSearch': expected a JSON object, got an array/);
    await expect(train({ ...o, config: await write('e.json', '{"governor": {}, "seed": 3}') }, () => {})).rejects.toThrow(/e\.json: next to 'governor' and 'targetSearch' the file may hold nothing else; got 'seed'/);
    await expect(train({ ...o, config: join(dir, 'missing.json') }, () => {})).rejects.toThrow(/--config .*missing\.json: cannot read it/);
    await expect(train({ ...o, seed: '1.5' }, () => {})).rejects.toThrow(/--seed must be an integer; got '1\.5'/);
  });
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
      const r = await trainModelCommand({ symbol: 'ETHUSDT', interval: '1h', source: 'synthetic', bars: '2500', model: 'xgboost', skipTuning: true, workflowId: `cli-tm-${randomUUID()}` }, (l) => lines.push(l), { isTTY: false });
      expect(lines.join('\n')).toContain(`bundle   ${r.bundleKey}`);

      // --json: JSON lines only — started, progress per change (stages, running activities), result.
      const json: string[] = [];
      const againId = `cli-tm-${randomUUID()}`;
      const again = await trainModelCommand({ symbol: 'ETHUSDT', interval: '1h', source: 'synthetic', bars: '2500', model: 'xgboost', skipTuning: true, json: true, workflowId: againId }, (l) => json.push(l), { isTTY: true });
      const events = json.map((l) => JSON.parse(l) as { event: string; stages?: { name: string; state: string }[]; activities?: unknown[]; result?: { bundleKey: string } });
      expect(events[0]).toMatchObject({ event: 'started', workflowId: expect.stringMatching(/^cli-tm-/), webUi: expect.stringContaining('/history') });
      expect(events.at(-1)).toMatchObject({ event: 'result', result: { bundleKey: again.bundleKey } });
      const progress = events.filter((e) => e.event === 'progress');
      expect(progress.length).toBeGreaterThanOrEqual(3);
      expect(progress.at(-1)!.stages!.every((st) => st.state === 'completed')).toBe(true);
      expect(progress.every((e) => Array.isArray(e.activities))).toBe(true);

      // runs list: the trainModel runs themselves, not their '-data' child workflows (those only with --all).
      const listed = async (all: boolean) => {
        for (let i = 0; ; i++) {
          const out: string[] = [];
          // The '-data' children carry no search attributes: with --all, no symbol filter.
          await runsList({ ...(all ? {} : { symbol: 'ETHUSDT' }), limit: '50', json: true, all }, (l) => out.push(l));
          const found = JSON.parse(out.join('\n')) as RunRow[];
          if (found.some((x) => x.workflowId === (all ? `${againId}-data` : againId)) || i >= 50) return found;
          await new Promise((res) => setTimeout(res, 200));
        }
      };
      const users = await listed(false);
      expect(users.find((x) => x.workflowId === againId)).toMatchObject({
        type: 'trainModel', status: 'COMPLETED', symbol: 'ETHUSDT', interval: '1h', trigger: 'manual', seed: 42, codeVersion: again.codeVersion,
        headline: `test macro F1 ${again.metrics.macroF1.toFixed(4)}, accuracy ${again.metrics.accuracy.toFixed(4)}`,
      });
      expect(users.every((x) => !x.workflowId.endsWith('-data') && x.parent === undefined)).toBe(true);
      const everything = await listed(true);
      expect(everything.find((x) => x.workflowId === `${againId}-data`)).toMatchObject({ type: 'trainingPipeline', status: 'COMPLETED', parent: againId });

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
      // The metric table prints the row count as an integer, the scores with four decimals.
      expect(html).toContain(`<tr><th>rows</th><td>${metricsJson.rows}</td></tr>`);
      expect(html).toContain(`<tr><th>accuracy</th><td>${metricsJson.accuracy.toFixed(4)}</td></tr>`);
      if (process.env.ARES_KEEP_REPORT) await writeFile(process.env.ARES_KEEP_REPORT, html);
    });
    await store.close();
  });
});
