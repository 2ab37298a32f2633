import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** A Vega-Lite specification (kept loose: the compiler validates it). */
export type VegaLiteSpec = Record<string, unknown>;

/** Renders Vega-Lite specs to SVG strings (one child process for all of them). */
export function renderSvgs(specs: VegaLiteSpec[]): string[] {
  const out = execFileSync(process.execPath, [join(__dirname, 'renderVegaLite.mjs')], { input: JSON.stringify(specs), maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

const CLASSES = ['down (−1)', 'flat (0)', 'up (+1)'];

export function confusionMatrixSpec(matrix: number[][]): VegaLiteSpec {
  const values = matrix.flatMap((row, t) => row.map((n, p) => ({ actual: CLASSES[t], predicted: CLASSES[p], n })));
  return {
    title: 'Confusion matrix (test rows)', width: 260, height: 260, data: { values },
    layer: [
      { mark: 'rect', encoding: { x: { field: 'predicted', type: 'nominal', sort: CLASSES, title: 'predicted class' }, y: { field: 'actual', type: 'nominal', sort: CLASSES, title: 'actual class' }, color: { field: 'n', type: 'quantitative', scale: { scheme: 'blues' }, title: 'rows' } } },
      { mark: { type: 'text', fontSize: 14 }, encoding: { x: { field: 'predicted', type: 'nominal', sort: CLASSES }, y: { field: 'actual', type: 'nominal', sort: CLASSES }, text: { field: 'n', type: 'quantitative' } } },
    ],
  };
}

export function importanceSpec(columns: readonly string[], importance: ArrayLike<number>, top = 30): VegaLiteSpec {
  const values = Array.from(columns, (feature, i) => ({ feature, gain: importance[i]! })).filter((v) => Number.isFinite(v.gain)).sort((a, b) => b.gain - a.gain).slice(0, top);
  return {
    title: `Feature importance (gain, top ${values.length})`, width: 420, height: Math.max(120, values.length * 14), data: { values },
    mark: 'bar', encoding: { y: { field: 'feature', type: 'nominal', sort: '-x', title: 'feature' }, x: { field: 'gain', type: 'quantitative', title: 'total gain of its splits' } },
  };
}

export function probabilitySpec(proba: ArrayLike<number>, yTrue: ArrayLike<number>): VegaLiteSpec {
  const values: { cls: string; p: number; actual: string }[] = [];
  for (let i = 0; i < yTrue.length; i++) for (let k = 0; k < 3; k++) values.push({ cls: CLASSES[k]!, p: proba[i * 3 + k]!, actual: CLASSES[yTrue[i]!]! });
  return {
    title: 'Predicted probability per class', data: { values },
    facet: { column: { field: 'cls', type: 'nominal', title: 'probability of', sort: CLASSES } },
    spec: { width: 200, height: 160, mark: 'bar', encoding: { x: { field: 'p', type: 'quantitative', bin: { maxbins: 20 }, title: 'p' }, y: { aggregate: 'count', type: 'quantitative', title: 'rows' }, color: { field: 'actual', type: 'nominal', sort: CLASSES, title: 'actual class' } } },
  };
}

/** The area under each class's ROC curve (trapezoids over the curve's points), keyed by class label. */
export function rocAuc(points: { cls: string; fpr: number; tpr: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const cls of new Set(points.map((p) => p.cls))) {
    const pts = points.filter((p) => p.cls === cls);
    let area = 0;
    for (let i = 1; i < pts.length; i++) area += ((pts[i]!.fpr - pts[i - 1]!.fpr) * (pts[i]!.tpr + pts[i - 1]!.tpr)) / 2;
    out[cls] = area;
  }
  return out;
}

/** One-vs-rest ROC and precision-recall curve points per class (thresholds at every distinct score). */
export function curves(proba: ArrayLike<number>, yTrue: ArrayLike<number>): { roc: { cls: string; fpr: number; tpr: number }[]; pr: { cls: string; recall: number; precision: number }[] } {
  const roc: { cls: string; fpr: number; tpr: number }[] = [];
  const pr: { cls: string; recall: number; precision: number }[] = [];
  for (let k = 0; k < 3; k++) {
    const rows = Array.from({ length: yTrue.length }, (_, i) => ({ s: proba[i * 3 + k]!, pos: yTrue[i] === k }));
    rows.sort((a, b) => b.s - a.s);
    const P = rows.filter((r) => r.pos).length;
    const N = rows.length - P;
    let tp = 0;
    let fp = 0;
    roc.push({ cls: CLASSES[k]!, fpr: 0, tpr: 0 });
    for (let i = 0; i < rows.length; i++) {
      if (rows[i]!.pos) tp++; else fp++;
      if (i + 1 < rows.length && rows[i + 1]!.s === rows[i]!.s) continue;
      roc.push({ cls: CLASSES[k]!, fpr: N ? fp / N : 0, tpr: P ? tp / P : 0 });
      pr.push({ cls: CLASSES[k]!, recall: P ? tp / P : 0, precision: tp / (tp + fp) });
    }
  }
  return { roc, pr };
}

/** ROC curves, one per class, each named in the legend with its AUC. */
export function rocSpec(points: { cls: string; fpr: number; tpr: number }[]): VegaLiteSpec {
  const auc = rocAuc(points);
  const named = points.map((p) => ({ ...p, cls: `${p.cls}, AUC ${auc[p.cls]!.toFixed(3)}` }));
  return {
    title: 'ROC curves (one vs rest)', width: 300, height: 300,
    layer: [
      { data: { values: named }, mark: { type: 'line', interpolate: 'linear' }, encoding: { x: { field: 'fpr', type: 'quantitative', title: 'false positive rate' }, y: { field: 'tpr', type: 'quantitative', title: 'true positive rate' }, color: { field: 'cls', type: 'nominal', title: 'class' } } },
      { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'x', type: 'quantitative', title: null }, y: { field: 'y', type: 'quantitative', title: null } } },
    ],
  };
}

export function prSpec(points: { cls: string; recall: number; precision: number }[]): VegaLiteSpec {
  return {
    title: 'Precision–recall curves (one vs rest)', width: 300, height: 300, data: { values: points },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: { x: { field: 'recall', type: 'quantitative', title: 'recall' }, y: { field: 'precision', type: 'quantitative', scale: { domain: [0, 1] }, title: 'precision' }, color: { field: 'cls', type: 'nominal', title: 'class' } },
  };
}

/** Calibration: per class, the mean predicted probability vs the observed frequency in 10 uniform bins. */
export function calibrationSpec(proba: ArrayLike<number>, yTrue: ArrayLike<number>, bins = 10): VegaLiteSpec {
  const values: { cls: string; predicted: number; observed: number; n: number }[] = [];
  for (let k = 0; k < 3; k++) {
    const sum = new Array(bins).fill(0), hit = new Array(bins).fill(0), n = new Array(bins).fill(0);
    for (let i = 0; i < yTrue.length; i++) {
      const p = proba[i * 3 + k]!;
      const b = Math.min(bins - 1, Math.floor(p * bins));
      sum[b] += p; n[b] += 1; if (yTrue[i] === k) hit[b] += 1;
    }
    for (let b = 0; b < bins; b++) if (n[b]) values.push({ cls: CLASSES[k]!, predicted: sum[b] / n[b], observed: hit[b] / n[b], n: n[b] });
  }
  return {
    title: 'Calibration (10 uniform bins)', width: 300, height: 300,
    layer: [
      { data: { values }, mark: 'line', encoding: { x: { field: 'predicted', type: 'quantitative', scale: { domain: [0, 1] }, title: 'mean predicted probability' }, y: { field: 'observed', type: 'quantitative', scale: { domain: [0, 1] }, title: 'observed frequency' }, color: { field: 'cls', type: 'nominal', title: 'class' } } },
      // Each bin's point is sized by its row count: a far-off point over 3 rows says little.
      { data: { values }, mark: { type: 'point', filled: true }, encoding: { x: { field: 'predicted', type: 'quantitative' }, y: { field: 'observed', type: 'quantitative' }, color: { field: 'cls', type: 'nominal', title: 'class' }, size: { field: 'n', type: 'quantitative', title: 'rows in bin' } } },
      { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'x', type: 'quantitative', title: null }, y: { field: 'y', type: 'quantitative', title: null } } },
    ],
  };
}
