import { z } from 'zod';
import { confusionMatrixSpec, renderSvgs, type VegaLiteSpec } from './charts';

const num = z.number().nullable();
const metrics = z.record(z.string(), num);

/** The report data step 9 (publishRun) writes as `report.json`; checked before anything is drawn. */
export const RunReportDataSchema = z.object({
  runKey: z.string(),
  symbol: z.string(),
  interval: z.string(),
  periodsPerYear: z.number().positive(),
  equity: z.array(z.object({ t: z.number(), equity: z.number(), drawdown: z.number() })).min(1),
  folds: z.array(z.object({ fold: z.number().int(), from: z.number(), to: z.number(), metrics })),
  metrics,
  stability: z.object({ profitableFolds: z.number(), shareProfitable: z.number(), sharpeMean: z.number(), sharpeStd: z.number() }),
  oracle: z.object({ sharpe: num, sharpeGross: num }).nullable(),
  monteCarlo: z.object({
    simulations: z.number().int(), method: z.string(), blockLength: z.number(),
    var95: z.number(), cvar95: z.number(), var99: z.number(), cvar99: z.number(),
    probabilityOfLoss: z.number(), worstTotalReturn: z.number(), worstMaxDrawdown: z.number(),
    histogram: z.object({ totalReturn: z.array(z.number()), sharpe: z.array(z.number()), maxDrawdown: z.array(z.number()) }),
  }),
  trials: z.object({ sharpes: z.record(z.string(), z.number()), count: z.number().int(), sharpeVariance: z.number(), expectedMaxSharpe: z.number() }),
  decision: z.object({
    promote: z.boolean(),
    reasons: z.array(z.string()),
    gates: z.array(z.object({ name: z.string(), passed: z.boolean(), value: num, limit: z.number(), detail: z.string() })),
    dsr: z.number(), psr: z.number(), pbo: num,
    comparison: z.object({ champion: z.string(), sharedBars: z.number(), sharpeChallenger: z.number(), sharpeChampion: z.number(), pValue: z.number() }).nullable(),
  }),
  confusion: z.array(z.array(z.number()).length(3)).length(3),
  regimes: z.array(z.object({ regime: z.string(), source: z.string(), trainRows: z.number() })),
});
export type RunReportData = z.infer<typeof RunReportDataSchema>;

/** The charts of a run report, in page order (titles are the sections' headings). */
export function runReportSpecs(d: RunReportData): { title: string; spec: VegaLiteSpec }[] {
  const time = { field: 't', type: 'temporal', title: null };
  const equity = d.equity.map((p) => ({ t: p.t, equity: p.equity, drawdown: p.drawdown }));
  const foldValues = d.folds.map((f) => ({ fold: `fold ${f.fold}`, sharpe: f.metrics.sharpe ?? 0, profitable: (f.metrics.totalReturn ?? 0) > 0 ? 'profitable' : 'loss' }));
  const trialValues = Object.entries(d.trials.sharpes).map(([trial, sharpe]) => ({ trial, sharpe, phase: trial.split('/')[0] }));
  const oos = d.metrics.sharpe ?? 0;
  const totalRegimeRows = d.regimes.reduce((a, r) => a + r.trainRows, 0) || 1;
  return [
    {
      title: 'Out-of-sample equity after costs',
      spec: {
        width: 760, height: 220, data: { values: equity },
        mark: { type: 'line', color: '#1f77b4' },
        encoding: { x: time, y: { field: 'equity', type: 'quantitative', title: 'equity (start = 1)', scale: { zero: false } } },
      },
    },
    {
      title: 'Drawdown',
      spec: {
        width: 760, height: 140, data: { values: equity },
        mark: { type: 'area', color: '#d62728', opacity: 0.6 },
        encoding: { x: time, y: { field: 'drawdown', type: 'quantitative', title: 'drawdown', axis: { format: '%' } } },
      },
    },
    {
      title: 'Sharpe per walk-forward fold',
      spec: {
        width: Math.max(160, 60 * foldValues.length), height: 200, data: { values: foldValues },
        mark: 'bar',
        encoding: {
          x: { field: 'fold', type: 'nominal', title: null, sort: null }, y: { field: 'sharpe', type: 'quantitative', title: 'annualised Sharpe' },
          color: { field: 'profitable', type: 'nominal', scale: { domain: ['profitable', 'loss'], range: ['#2ca02c', '#d62728'] }, title: null },
        },
      },
    },
    histogram('Monte Carlo: total return', d.monteCarlo.histogram.totalReturn, 'total return', [
      { x: -d.monteCarlo.var95, label: 'VaR 95 %', color: '#ff7f0e' }, { x: -d.monteCarlo.cvar95, label: 'CVaR 95 %', color: '#d62728' },
      { x: -d.monteCarlo.var99, label: 'VaR 99 %', color: '#9467bd' }, { x: -d.monteCarlo.cvar99, label: 'CVaR 99 %', color: '#8c564b' },
    ]),
    histogram('Monte Carlo: Sharpe', d.monteCarlo.histogram.sharpe, 'annualised Sharpe', [{ x: oos, label: 'observed', color: '#1f77b4' }]),
    histogram('Monte Carlo: max drawdown', d.monteCarlo.histogram.maxDrawdown, 'max drawdown (fraction of peak)', []),
    {
      title: `Trial Sharpes (${trialValues.length} with returns of ${d.trials.count} tried)`,
      spec: {
        width: 420, height: 200,
        layer: [
          { data: { values: trialValues }, mark: 'bar', encoding: { x: { field: 'sharpe', type: 'quantitative', bin: { maxbins: 30 }, title: 'annualised Sharpe (training bars, out of fold)' }, y: { aggregate: 'count', type: 'quantitative' }, color: { field: 'phase', type: 'nominal' } } },
          rule(d.trials.expectedMaxSharpe, 'expected max of skill-less trials', '#d62728'),
          rule(oos, 'out-of-sample', '#1f77b4', 1),
        ],
      },
    },
    { title: 'Confusion matrix (governor, test rows)', spec: { ...confusionMatrixSpec(d.confusion), title: undefined } },
    {
      title: 'Regime shares (training rows)',
      spec: {
        width: 360, height: Math.max(60, 22 * d.regimes.length), data: { values: d.regimes.map((r) => ({ regime: r.regime, share: r.trainRows / totalRegimeRows, source: r.source })) },
        mark: 'bar',
        encoding: { y: { field: 'regime', type: 'nominal', sort: '-x', title: null }, x: { field: 'share', type: 'quantitative', axis: { format: '%' } }, color: { field: 'source', type: 'nominal', title: 'ensemble' } },
      },
    },
  ];
}

/** A dashed vertical line at `x` with its label (`row` staggers labels of nearby lines). */
function rule(x: number, label: string, color: string, row = 0): VegaLiteSpec {
  return {
    data: { values: [{ x, label }] },
    layer: [
      { mark: { type: 'rule', color, strokeWidth: 2, strokeDash: [5, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
      { mark: { type: 'text', color, align: 'left', dx: 4, dy: 2 + 12 * row, baseline: 'top' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
    ],
  };
}

function histogram(title: string, values: number[], axis: string, marks: { x: number; label: string; color: string }[]): { title: string; spec: VegaLiteSpec } {
  return {
    title,
    spec: {
      width: 360, height: 180,
      layer: [
        { data: { values: values.map((v) => ({ v })) }, mark: { type: 'bar', color: '#7f7f7f' }, encoding: { x: { field: 'v', type: 'quantitative', bin: { maxbins: 40 }, title: axis }, y: { aggregate: 'count', type: 'quantitative' } } },
        ...marks.filter((m) => Number.isFinite(m.x)).map((m, i) => rule(m.x, m.label, m.color, i)),
      ],
    },
  };
}

/** A self-contained HTML page (inline SVG, no scripts) of a published run, like `ares analyze`'s. */
export function renderRunReport(d: RunReportData, o: { title: string }): string {
  const specs = runReportSpecs(d);
  const svgs = renderSvgs(specs.map((s) => s.spec));
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const f = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
  const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(2)} %`);
  const m = d.metrics;
  const headline: [string, string][] = [
    ['Sharpe (annualised, after costs)', f(m.sharpe, 2)],
    ['oracle ceiling (hidden state)', d.oracle ? f(d.oracle.sharpe, 2) : 'n/a (not synthetic)'],
    ['Sharpe standard error', f(m.sharpeStandardError, 2)],
    ['PSR (vs 0)', f(d.decision.psr)], ['DSR', f(d.decision.dsr)], ['PBO', f(d.decision.pbo)],
    ['total return', pct(m.totalReturn)], ['CAGR', pct(m.cagr)], ['Sortino', f(m.sortino, 2)], ['Calmar', f(m.calmar, 2)],
    ['max drawdown', pct(m.maxDrawdown)], ['trades', f(m.tradeCount, 0)], ['win rate', pct(m.winRate)], ['profit factor', f(m.profitFactor, 2)],
    ['exposure', pct(m.exposure)], ['profitable folds', `${d.stability.profitableFolds} of ${d.folds.length}`], ['fold Sharpe mean ± sd', `${f(d.stability.sharpeMean, 2)} ± ${f(d.stability.sharpeStd, 2)}`],
    ['Monte Carlo', `${d.monteCarlo.simulations} × ${esc(d.monteCarlo.method)} (block ${f(d.monteCarlo.blockLength, 1)})`],
    ['VaR / CVaR 95 % (loss of total return)', `${pct(d.monteCarlo.var95)} / ${pct(d.monteCarlo.cvar95)}`], ['P(loss)', pct(d.monteCarlo.probabilityOfLoss)],
    ['configurations tried (N)', String(d.trials.count)],
  ];
  const gates = d.decision.gates.map((g) => `<tr class="${g.passed ? 'pass' : 'fail'}"><td>${g.passed ? '✔' : '✘'}</td><th>${esc(g.name)}</th><td>${f(g.value)}</td><td>${esc(g.detail)}</td></tr>`).join('');
  const folds = d.folds.map((x) => `<tr><td>${x.fold}</td><td>${new Date(x.from).toISOString().slice(0, 16)}</td><td>${new Date(x.to).toISOString().slice(0, 16)}</td><td>${f(x.metrics.sharpe, 2)}</td><td>${pct(x.metrics.totalReturn)}</td><td>${pct(x.metrics.maxDrawdown)}</td><td>${f(x.metrics.tradeCount, 0)}</td></tr>`).join('');
  const verdict = d.decision.promote ? 'PROMOTED' : 'NOT PROMOTED';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(o.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}section{display:inline-block;vertical-align:top;margin:0 2rem 2rem 0}table{border-collapse:collapse;margin-bottom:1.5rem}th,td{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:left}.verdict{font-size:1.3rem;font-weight:600}.pass td:first-child{color:#2ca02c}.fail td:first-child{color:#d62728}.promoted{color:#2ca02c}.refused{color:#d62728}</style></head>
<body><h1>${esc(o.title)}</h1>
<p>${esc(d.symbol)} ${esc(d.interval)} · run <code>${esc(d.runKey)}</code> · ${d.folds.length} walk-forward folds, out-of-sample bars only</p>
<p class="verdict ${d.decision.promote ? 'promoted' : 'refused'}" id="verdict">${verdict}</p>
<ul>${d.decision.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
<h2>Gates</h2><table id="gates"><tr><th></th><th>gate</th><th>value</th><th>rule</th></tr>${gates}</table>
<h2>Headline</h2><table id="headline">${headline.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>
<h2>Folds</h2><table id="folds"><tr><th>fold</th><th>from</th><th>to</th><th>Sharpe</th><th>return</th><th>max drawdown</th><th>trades</th></tr>${folds}</table>
${svgs.map((svg, i) => `<section class="chart" data-title="${esc(specs[i]!.title)}"><h2>${esc(specs[i]!.title)}</h2>${svg}</section>`).join('\n')}
</body></html>
`;
}
