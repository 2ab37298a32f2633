import { writeFile } from 'node:fs/promises';
import { createArtifactStore, type ArtifactStore } from '@ares/data';
import { argmaxRows, evaluate, loadBundle, loadModel } from '@ares/models';
import { CliError } from '../format';
import { calibrationSpec, confusionMatrixSpec, curves, importanceSpec, prSpec, probabilitySpec, renderSvgs, rocSpec, type VegaLiteSpec } from '../report/charts';
import { degenerateWarnings } from '../report/degenerate';

/** What the report shows of a bundle, whatever its kind. */
interface Analysed {
  kind: 'model' | 'governor';
  /** Title line: model type (or 'governor'), symbol and interval. */
  title: string;
  key: string;
  library: string;
  columns: readonly string[];
  /** Held-out rows: class indices 0/1/2 and probabilities rows × 3. */
  yTrue: Int32Array;
  proba: Float64Array;
  /** Per column, the model's own importance (NaN where it has none). */
  importance?: Float64Array;
  lineage: { dataHash: string | null; seed: number | null; codeVersion: string | null; params: unknown };
  decisions?: { BUY: number; SELL: number; HOLD: number };
  bestIteration?: number;
  iterations?: number;
  baseName: string;
}

/**
 * `ares analyze --model <bundle key> [--out report.html]`: an HTML report of a bundle's held-out
 * evaluation — confusion matrix, feature importance (when the model has one), probability
 * distributions, ROC with AUC, precision-recall and calibration with bin counts, rendered to SVG by
 * Vega-Lite — with the chance baseline, degenerate-model warnings and the lineage (data hash, seed,
 * code version, parameters), and the metrics as JSON. Works on single-model bundles
 * (`models/…/manifest.json`) and on a training run's governor bundle (`runs/…/bundle/manifest.json`,
 * evaluated on the run's governor test slice).
 */
export async function analyzeCommand(o: { model: string; out?: string }, log: (line: string) => void = console.log): Promise<{ html: string; metrics: string; charts: number; warnings: string[] }> {
  const store = await createArtifactStore();
  try {
    let raw: { kind?: unknown };
    try {
      raw = JSON.parse(Buffer.from(await store.get(o.model)).toString()) as { kind?: unknown };
    } catch (err) {
      throw new CliError(`--model ${o.model}: no bundle manifest there in ${store.url} (${(err as Error).message.split('\n')[0]})`);
    }
    const a = raw.kind === 'governor_bundle' ? await governorBundle(store, o.model, raw as GovernorManifestJson) : await modelBundle(store, o.model);
    const report = evaluate(a.yTrue, a.proba);
    const { roc, pr } = curves(a.proba, a.yTrue);
    const charts: [string, VegaLiteSpec][] = [
      ['Confusion matrix', confusionMatrixSpec(report.confusionMatrix)],
      ...(a.importance && Array.from(a.importance).some(Number.isFinite) ? [['Feature importance', importanceSpec(a.columns, a.importance)] as [string, VegaLiteSpec]] : []),
      ['Probability distributions', probabilitySpec(a.proba, a.yTrue)],
      ['ROC', rocSpec(roc)],
      ['Precision–recall', prSpec(pr)],
      ['Calibration', calibrationSpec(a.proba, a.yTrue)],
    ];
    const svgs = renderSvgs(charts.map(([, s]) => s));
    const predicted = argmaxRows(a.proba);
    const baseline = chanceBaseline(a.yTrue);
    const warnings = degenerateWarnings({
      balancedAccuracy: report.balancedAccuracy, rows: report.rows, predicted,
      ...(a.decisions ? { decisions: a.decisions } : {}),
      ...(a.bestIteration !== undefined ? { bestIteration: a.bestIteration, iterations: a.iterations } : {}),
    });
    const metrics = { ...report, baseline, warnings, lineage: a.lineage };
    const base = o.out ?? `${a.baseName}-report.html`;
    const metricsPath = base.replace(/\.html$/, '') + '.metrics.json';
    await writeFile(metricsPath, JSON.stringify(metrics, null, 2));
    await writeFile(base, page(a, metrics, charts.map(([t]) => t), svgs));
    for (const w of warnings) log(`WARNING  ${w}`);
    log(`report   ${base} (${svgs.length} charts)\nmetrics  ${metricsPath}`);
    return { html: base, metrics: metricsPath, charts: svgs.length, warnings };
  } finally {
    await store.close();
  }
}

/** The no-skill references: the majority class's share (accuracy of always predicting it), 1/3 balanced accuracy, and the log loss of predicting the class shares. */
export function chanceBaseline(yTrue: Int32Array): { majorityClass: number; majorityAccuracy: number; balancedAccuracy: number; priorLogLoss: number } {
  const n = [0, 0, 0];
  for (const y of yTrue) n[y]! += 1;
  const share = n.map((c) => c / yTrue.length);
  const majorityClass = share.indexOf(Math.max(...share));
  const priorLogLoss = -share.reduce((s, p) => (p > 0 ? s + p * Math.log(p) : s), 0);
  return { majorityClass, majorityAccuracy: share[majorityClass]!, balancedAccuracy: 1 / 3, priorLogLoss };
}

async function modelBundle(store: ArtifactStore, key: string): Promise<Analysed> {
  const { manifest, saved } = await loadBundle(store, key);
  const metricsKey = (manifest.lineage as { metrics?: string }).metrics;
  if (!metricsKey) throw new CliError(`bundle ${key} has no evaluation to analyze (lineage.metrics missing)`);
  const evaluation = JSON.parse(Buffer.from(await store.get(metricsKey)).toString()) as { predictions: { yTrue: number[]; proba: number[] } };
  const model = await loadModel(saved);
  let importance: Float64Array;
  try {
    importance = model.featureImportance('gain');
  } finally {
    model.dispose();
  }
  const fit = (saved.state as { fit?: { bestIteration?: number; iterations?: number } }).fit;
  return {
    kind: 'model', title: `${manifest.type} · ${manifest.symbol} ${manifest.interval}`, key, library: `${manifest.library.name} ${manifest.library.version}`,
    columns: manifest.features.processed, ...scoredRows(evaluation.predictions.yTrue, evaluation.predictions.proba), importance,
    lineage: { dataHash: manifest.trainingDataHash ?? null, seed: manifest.seed ?? null, codeVersion: manifest.codeVersion ?? null, params: manifest.params },
    ...(manifest.type !== 'lstm' && typeof fit?.bestIteration === 'number' ? { bestIteration: fit.bestIteration, iterations: fit.iterations } : {}),
    baseName: `${manifest.type}-${manifest.modelKey}`,
  };
}

/** The rows a model scored: an LSTM has NaN probabilities for rows without a full window. */
function scoredRows(yTrue: number[], proba: number[]): { yTrue: Int32Array; proba: Float64Array } {
  const keep = yTrue.map((_, i) => Number.isFinite(proba[i * 3]!) && Number.isFinite(proba[i * 3 + 1]!) && Number.isFinite(proba[i * 3 + 2]!));
  return { yTrue: Int32Array.from(yTrue.filter((_, i) => keep[i])), proba: Float64Array.from(proba.filter((_, j) => keep[Math.floor(j / 3)])) };
}

interface GovernorManifestJson {
  kind: 'governor_bundle';
  symbol: string;
  interval: string;
  seed: number;
  codeVersion: string;
  threshold: number;
  params: unknown;
  features: { columns: string[]; featuresSha256: string };
  metrics: { test?: { governor?: { decisions?: { BUY: number; SELL: number; HOLD: number } } } };
  lineage: { runKey?: string };
}

/** A governor bundle is evaluated on the run's governor test slice (written beside `bundle/` by trainGovernor). */
async function governorBundle(store: ArtifactStore, key: string, m: GovernorManifestJson): Promise<Analysed> {
  const at = key.lastIndexOf('/bundle/');
  if (at < 0) throw new CliError(`governor bundle ${key}: expected a key <run prefix>/bundle/manifest.json`);
  const predictionsKey = `${key.slice(0, at)}/governor-test-predictions.json`;
  let saved: { labels: number[]; proba: string };
  try {
    saved = JSON.parse(Buffer.from(await store.get(predictionsKey)).toString()) as { labels: number[]; proba: string };
  } catch (err) {
    throw new CliError(`governor bundle ${key}: its test predictions ${predictionsKey} cannot be read (${(err as Error).message.split('\n')[0]})`);
  }
  const bytes = Buffer.from(saved.proba, 'base64');
  const proba = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return {
    kind: 'governor', title: `governor · ${m.symbol} ${m.interval}`, key, library: 'Ares governor bundle (regime ensembles + meta-learner)',
    columns: m.features.columns, yTrue: Int32Array.from(saved.labels, (l) => l + 1), proba,
    lineage: { dataHash: m.features.featuresSha256, seed: m.seed, codeVersion: m.codeVersion, params: m.params },
    ...(m.metrics.test?.governor?.decisions ? { decisions: m.metrics.test.governor.decisions } : {}),
    baseName: `governor-${m.lineage.runKey ?? m.symbol}`,
  };
}

function page(a: Analysed, metrics: ReturnType<typeof evaluate> & { baseline: ReturnType<typeof chanceBaseline>; warnings: string[] }, titles: string[], svgs: string[]): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  // Counts print as integers, scores with four decimals.
  const counts = new Set(['rows']);
  const fmt = (k: string, v: unknown) => (typeof v === 'number' ? (counts.has(k) ? v.toFixed(0) : v.toFixed(4)) : esc(String(v)));
  const m = metrics as unknown as Record<string, unknown>;
  const summary = ['rows', 'accuracy', 'balancedAccuracy', 'macroF1', 'logLoss', 'brier'].filter((k) => k in m).map((k) => `<tr><th>${k}</th><td>${fmt(k, m[k])}</td></tr>`).join('');
  const b = metrics.baseline;
  const classes = ['down (−1)', 'flat (0)', 'up (+1)'];
  const chance = `<table><tr><th>chance baseline</th><td></td></tr>`
    + `<tr><th>accuracy of always '${classes[b.majorityClass]}'</th><td>${b.majorityAccuracy.toFixed(4)}</td></tr>`
    + `<tr><th>balancedAccuracy</th><td>${b.balancedAccuracy.toFixed(4)}</td></tr>`
    + `<tr><th>logLoss of the class shares</th><td>${b.priorLogLoss.toFixed(4)}</td></tr></table>`;
  const l = a.lineage;
  const lineage = `<table><tr><th>data hash</th><td><code>${esc(l.dataHash ?? '-')}</code></td></tr><tr><th>seed</th><td>${l.seed ?? '-'}</td></tr>`
    + `<tr><th>code version</th><td><code>${esc(l.codeVersion ?? '-')}</code></td></tr>`
    + `<tr><th>parameters</th><td><pre>${esc(JSON.stringify(l.params, null, 1) ?? '-')}</pre></td></tr></table>`;
  const warnings = metrics.warnings.length === 0 ? '' : `<ul class="warnings">${metrics.warnings.map((w) => `<li><strong>warning</strong> ${esc(w)}</li>`).join('')}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ares model report ${esc(a.key)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}section{display:inline-block;vertical-align:top;margin:0 2rem 2rem 0}table{border-collapse:collapse;display:inline-table;vertical-align:top;margin-right:2rem}th,td{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:left}pre{margin:0;max-height:12rem;overflow:auto;font-size:.8rem}.warnings{color:#a40000}</style></head>
<body><h1>${esc(a.title)}</h1>
<p>bundle <code>${esc(a.key)}</code> · ${esc(a.library)} · ${a.columns.length} features · held-out chronological test rows</p>
${warnings}
<table>${summary}</table>${chance}
<h2>Lineage</h2>
${lineage}
${svgs.map((svg, i) => `<section class="chart" data-title="${esc(titles[i]!)}"><h2>${esc(titles[i]!)}</h2>${svg}</section>`).join('\n')}
</body></html>
`;
}
