import { writeFile } from 'node:fs/promises';
import { createArtifactStore } from '@ares/data';
import { loadBundle, loadModel } from '@ares/models';
import { CliError } from '../format';
import { calibrationSpec, confusionMatrixSpec, curves, importanceSpec, prSpec, probabilitySpec, renderSvgs, rocSpec } from '../report/charts';

/**
 * `ares analyze --model <bundle key> [--out report.html]`: an HTML report of the model's held-out
 * evaluation — confusion matrix, feature importance, probability distributions, ROC,
 * precision-recall and calibration curves, rendered to SVG by Vega-Lite — and the metrics as JSON.
 */
export async function analyzeCommand(o: { model: string; out?: string }, log: (line: string) => void = console.log): Promise<{ html: string; metrics: string; charts: number }> {
  const store = await createArtifactStore();
  try {
    const { manifest, saved } = await loadBundle(store, o.model);
    const metricsKey = (manifest.lineage as { metrics?: string }).metrics;
    if (!metricsKey) throw new CliError(`bundle ${o.model} has no evaluation to analyze (lineage.metrics missing)`);
    const evaluation = JSON.parse(Buffer.from(await store.get(metricsKey)).toString());
    const { yTrue, proba } = evaluation.predictions as { yTrue: number[]; proba: number[] };
    const model = await loadModel(saved);
    let importance: Float64Array;
    try {
      importance = model.featureImportance('gain');
    } finally {
      model.dispose();
    }
    const { roc, pr } = curves(proba, yTrue);
    const titles = ['Confusion matrix', 'Feature importance', 'Probability distributions', 'ROC', 'Precision–recall', 'Calibration'];
    const specs = [
      confusionMatrixSpec(evaluation.confusionMatrix),
      importanceSpec(manifest.features.processed, importance),
      probabilitySpec(proba, yTrue),
      rocSpec(roc),
      prSpec(pr),
      calibrationSpec(proba, yTrue),
    ];
    const svgs = renderSvgs(specs);
    const { predictions: _p, ...metrics } = evaluation;
    const base = o.out ?? `${manifest.type}-${manifest.modelKey}-report.html`;
    const metricsPath = base.replace(/\.html$/, '') + '.metrics.json';
    await writeFile(metricsPath, JSON.stringify(metrics, null, 2));
    await writeFile(base, page(manifest.modelKey, manifest, metrics, titles, svgs));
    log(`report   ${base} (${svgs.length} charts)\nmetrics  ${metricsPath}`);
    return { html: base, metrics: metricsPath, charts: svgs.length };
  } finally {
    await store.close();
  }
}

function page(key: string, manifest: { type: string; symbol: string; interval: string; library: { name: string; version: string }; features: { processed: string[] } }, metrics: Record<string, unknown>, titles: string[], svgs: string[]): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  // Counts print as integers, scores with four decimals.
  const counts = new Set(['rows']);
  const fmt = (k: string, v: unknown) => (typeof v === 'number' ? (counts.has(k) ? v.toFixed(0) : v.toFixed(4)) : esc(String(v)));
  const summary = ['rows', 'accuracy', 'balancedAccuracy', 'macroF1', 'logLoss', 'brier'].filter((k) => k in metrics).map((k) => `<tr><th>${k}</th><td>${fmt(k, metrics[k])}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ares model report ${esc(key)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}section{display:inline-block;vertical-align:top;margin:0 2rem 2rem 0}table{border-collapse:collapse}th,td{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:left}</style></head>
<body><h1>${esc(manifest.type)} · ${esc(manifest.symbol)} ${esc(manifest.interval)}</h1>
<p>bundle <code>${esc(key)}</code> · ${esc(manifest.library.name)} ${esc(manifest.library.version)} · ${manifest.features.processed.length} features · held-out chronological test rows</p>
<table>${summary}</table>
${svgs.map((svg, i) => `<section class="chart" data-title="${esc(titles[i]!)}"><h2>${esc(titles[i]!)}</h2>${svg}</section>`).join('\n')}
</body></html>
`;
}
