import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { deflatedBenchmark, monteCarloRisk, performanceMetrics } from '@ares/validation';
import { renderRunReport, RunReportDataSchema, runReportSpecs, type RunReportData } from './runReport';

const ROOT = join(__dirname, '../../../..');

/** Report data as publishRun writes it, from seeded returns run through the real metrics and Monte Carlo. */
function reportData(runKey = 'BTCUSDT-1h-abc'): RunReportData {
  let s = 7;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const n = 2000;
  const returns = Float64Array.from({ length: n }, () => 0.0004 + 0.006 * (rand() + rand() + rand() - 1.5));
  const t0 = Date.UTC(2024, 0, 1);
  let equity = 1;
  let peak = 1;
  const curve = Array.from(returns, (r, i) => {
    equity *= 1 + r;
    peak = Math.max(peak, equity);
    return { t: t0 + i * 3_600_000, equity, drawdown: equity / peak - 1 };
  });
  const m = performanceMetrics(returns, { periodsPerYear: 8760 });
  const mc = monteCarloRisk(returns, { seed: 3, periodsPerYear: 8760, simulations: 300 });
  const json = (x: object) => Object.fromEntries(Object.entries(x).filter(([, v]) => typeof v === 'number').map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
  const folds = [0, 1, 2, 3].map((fold) => {
    const r = returns.subarray(fold * 500, fold * 500 + 500);
    return { fold, from: t0 + fold * 500 * 3_600_000, to: t0 + (fold * 500 + 499) * 3_600_000, metrics: json(performanceMetrics(r, { periodsPerYear: 8760 })) };
  });
  const trialSharpes = Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`${k < 30 ? 'coarse' : 'final'}/lightgbm/${k}`, 3 * (rand() - 0.5)]));
  return RunReportDataSchema.parse({
    runKey, symbol: 'BTCUSDT', interval: '1h', periodsPerYear: 8760,
    equity: curve, folds, metrics: json(m), stability: { profitableFolds: 3, shareProfitable: 0.75, sharpeMean: 1.2, sharpeStd: 0.8 }, oracle: { sharpe: 18.5, sharpeGross: 20.1 },
    monteCarlo: {
      simulations: mc.simulations, method: mc.method, blockLength: mc.blockLength,
      var95: mc.valueAtRisk.p95, cvar95: mc.conditionalValueAtRisk.p95, var99: mc.valueAtRisk.p99, cvar99: mc.conditionalValueAtRisk.p99,
      probabilityOfLoss: mc.probabilityOfLoss, worstTotalReturn: mc.worstTotalReturn, worstMaxDrawdown: mc.worstMaxDrawdown, histogram: mc.histogram,
    },
    trials: { sharpes: trialSharpes, count: 50, sharpeVariance: 1e-5, expectedMaxSharpe: deflatedBenchmark(50, 1e-5) * Math.sqrt(8760) },
    decision: {
      promote: true, reasons: ['all gates passed; no champion yet'], dsr: 0.99, psr: 0.999, pbo: 0.1, comparison: null,
      gates: [{ name: 'dsr', passed: true, value: 0.99, limit: 0.95, detail: 'DSR 0.990 >= 0.95' }, { name: 'pbo', passed: true, value: 0.1, limit: 0.5, detail: 'PBO 0.100 <= 0.5' }],
    },
    confusion: [[120, 30, 10], [40, 200, 35], [15, 25, 110]],
    regimes: [{ regime: 'bull', source: 'own', trainRows: 3000 }, { regime: 'bear', source: 'own', trainRows: 2000 }, { regime: 'sideways', source: 'pooled', trainRows: 400 }],
  });
}

test('run report: every chart renders marks; markup from the data is escaped; bad report data names the field', () => {
  const data = reportData('<script>alert(1)</script>');
  const html = renderRunReport(data, { title: 'Ares run test' });
  const sections = [...html.matchAll(/<section class="chart" data-title="([^"]+)"><h2>[^<]*<\/h2>(<svg[\s\S]*?<\/svg>)<\/section>/g)];
  expect(sections.map((s) => s[1])).toEqual(runReportSpecs(data).map((s) => s.title.replace(/&/g, '&amp;')));
  expect(sections).toHaveLength(9);
  // Each chart drew something: a line/area path or bars (rects with a fill), not just axes.
  for (const [, title, svg] of sections) expect({ title, marks: /<path[^>]*class="mark-|role-mark/.test(svg!) }).toEqual({ title, marks: true });
  // The VaR / CVaR marks and the expected-maximum line are drawn labels.
  for (const label of ['VaR 95 %', 'CVaR 95 %', 'VaR 99 %', 'expected max of skill-less trials']) expect(html).toContain(label);
  expect(html).not.toContain('<script>');
  expect(html).toContain('&lt;script&gt;');
  expect(html).toContain('PROMOTED');
  const bad = RunReportDataSchema.safeParse({ ...reportData(), confusion: [[1, 2]] });
  expect(bad.success).toBe(false);
  expect(bad.error!.issues[0]!.path.join('.')).toBe('confusion.0');
});

test('run report in headless Chromium: the screenshot shows the charts (drawn pixels in the charts\' colours)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ares-run-report-'));
  try {
    const html = join(dir, 'report.html');
    const png = join(dir, 'report.png');
    writeFileSync(html, renderRunReport(reportData(), { title: 'Ares run screenshot' }));
    if (process.env.ARES_KEEP_REPORT) writeFileSync(process.env.ARES_KEEP_REPORT, readFileSync(html));
    // The same script a person uses (README): installs Debian's chromium when it is missing.
    execFileSync('bash', [join(ROOT, 'infra/screenshot-report.sh'), html, png, '1400', '2600'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
    const image = PNG.sync.read(readFileSync(png));
    expect([image.width, image.height]).toEqual([1400, 2600]);
    let drawn = 0;
    let equityBlue = 0;
    let drawdownRed = 0;
    for (let i = 0; i < image.data.length; i += 4) {
      const [r, g, b] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
      if (r < 240 || g < 240 || b < 240) drawn++;
      if (Math.abs(r - 0x1f) < 24 && Math.abs(g - 0x77) < 24 && Math.abs(b - 0xb4) < 24) equityBlue++;
      if (r > 200 && g < 150 && b < 150 && r - g > 60) drawdownRed++;
    }
    const pixels = image.width * image.height;
    console.log(`run report screenshot: ${(100 * drawn / pixels).toFixed(1)} % drawn, ${equityBlue} equity-blue and ${drawdownRed} drawdown-red pixels`);
    // A blank page, or one whose SVGs failed to render, is (almost) all white.
    expect(drawn / pixels).toBeGreaterThan(0.03);
    expect(equityBlue).toBeGreaterThan(500);
    expect(drawdownRed).toBeGreaterThan(500);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 900_000);
