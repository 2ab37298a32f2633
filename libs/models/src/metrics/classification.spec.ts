import { join } from 'node:path';
import { Rng } from '@ares/data';
import type { CalibrationCurve } from './calibration';
import { type ClassificationReport, METRIC_NAMES, accuracy, confusionMatrix, evaluate, logLoss, macroF1, scoreMetric } from './classification';
import { InvalidLabelsError, InvalidMetricOptionsError, InvalidProbabilitiesError, NoRowsError, UndefinedMetricError, UnknownMetricError } from './errors';
import { binaryRocAuc } from './ranking';
import { dropNanRows } from './rows';
import { expectClose, pythonReference } from '@ares/data/testing';

const SCRIPT = join(__dirname, 'classification.reference.py');
type N = number | null;

/** scikit-learn 1.7's values (classification.reference.py). */
interface Sklearn {
  rows: number;
  dropped: number;
  errors: Record<string, string>;
  accuracy: number;
  balanced_accuracy: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  macro_f1: number;
  confusion_matrix: number[][];
  log_loss: number;
  roc_auc_ovr_macro: N;
  roc_auc: N[];
  average_precision: number[];
  average_precision_macro: number;
  brier: number;
  brier_per_class: number[];
  calibration: SklearnCurve[];
  calibration_predicted: SklearnCurve;
}

interface SklearnCurve {
  prob_true: number[];
  prob_pred: number[];
  counts: number[];
  edges: number[];
}

function expectCurve(name: string, ours: CalibrationCurve, ref: SklearnCurve): void {
  expect(ours.count).toEqual(ref.counts);
  expect(ours.edges).toEqual(ref.edges); // bit-identical edges: same binning of edge values
  const filled = (v: N[]): number[] => v.filter((x): x is number => x !== null);
  expect(ours.meanPredicted.map((v, b) => (v === null) === (ours.count[b] === 0))).not.toContain(false);
  expectClose(`${name}.prob_pred`, filled(ours.meanPredicted), ref.prob_pred);
  expectClose(`${name}.prob_true`, filled(ours.observedFrequency), ref.prob_true);
}

/**
 * Compares every field of the report with sklearn to 1e-9. Classes absent from y_true have no
 * ROC AUC / AP in the report (null) where sklearn gives NaN / 0.0; the macro averages then cover the
 * defined classes only.
 */
function expectMatchesSklearn(report: ClassificationReport, ref: Sklearn): void {
  expect(report.rows).toBe(ref.rows);
  expect(report.droppedNanRows).toBe(ref.dropped);
  expectClose('accuracy', [report.accuracy], [ref.accuracy]);
  expectClose('balanced_accuracy', [report.balancedAccuracy], [ref.balanced_accuracy]);
  expectClose('precision', report.perClass.precision, ref.precision);
  expectClose('recall', report.perClass.recall, ref.recall);
  expectClose('f1', report.perClass.f1, ref.f1);
  expect(report.perClass.support).toEqual(ref.support);
  expectClose('macro_f1', [report.macroF1], [ref.macro_f1]);
  expect(report.confusionMatrix).toEqual(ref.confusion_matrix);
  expectClose('log_loss', [report.logLoss], [ref.log_loss]);
  expectClose('brier', [report.brierScore], [ref.brier]);
  expectClose('brier_per_class', report.perClass.brier, ref.brier_per_class);
  const absent = ref.support.flatMap((s, c) => (s === 0 ? [c] : []));
  expect(report.perClass.rocAuc.map((v) => v ?? Number.NaN)).toHaveLength(3);
  expectClose('roc_auc', report.perClass.rocAuc.map((v) => v ?? Number.NaN), ref.roc_auc);
  const ap = ref.average_precision.map((v, c) => (absent.includes(c) ? null : v));
  expectClose('average_precision', report.perClass.averagePrecision.map((v) => v ?? Number.NaN), ap);
  if (absent.length === 0) {
    expectClose('roc_auc_ovr_macro', [report.rocAucOvrMacro!], [ref.roc_auc_ovr_macro]);
    expectClose('average_precision_macro', [report.averagePrecisionMacro!], [ref.average_precision_macro]);
    expect(report.undefinedRankingClasses).toEqual([]);
  } else {
    expect(ref.roc_auc_ovr_macro).toBeNull(); // sklearn: NaN as soon as one class is undefined
    expect(report.undefinedRankingClasses).toEqual(absent);
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    expectClose('roc_auc_ovr_macro (defined classes)', [report.rocAucOvrMacro!], [mean(ref.roc_auc.filter((v): v is number => v !== null))]);
    expectClose('average_precision_macro (defined classes)', [report.averagePrecisionMacro!], [mean(ap.filter((v): v is number => v !== null))]);
  }
  ref.calibration.forEach((curve, c) => expectCurve(`calibration[${c}]`, report.calibration.perClass[c]!, curve));
  expectCurve('calibration_predicted', report.calibration.predictedClass, ref.calibration_predicted);
}

/** Softmax of class scores with some signal for the true class; `skew` sets the class frequencies. */
function randomCase(n: number, seed: number, options: { skew?: [number, number]; signal?: number; float32?: boolean; classes?: number[] } = {}): { y: Int32Array; proba: Float64Array } {
  const rng = new Rng(seed);
  const [a, b] = options.skew ?? [0.25, 0.7];
  const classes = options.classes ?? [0, 1, 2];
  const y = Int32Array.from({ length: n }, () => {
    const u = rng.uniform();
    const c = u < a ? 0 : u < b ? 1 : 2;
    return classes.includes(c) ? c : classes[0]!;
  });
  const proba = new Float64Array(n * 3);
  const row = options.float32 ? new Float32Array(3) : new Float64Array(3);
  for (let r = 0; r < n; r++) {
    const logits = [0, 1, 2].map((c) => rng.normal() + (c === y[r] ? (options.signal ?? 1) : 0));
    const m = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - m));
    const s = e.reduce((p, q) => p + q, 0);
    e.forEach((v, c) => (row[c] = v / s));
    proba.set(row, r * 3);
  }
  return { y, proba };
}

/** Probabilities drawn from a few rows with exact 0 and 1, tied scores and values on bin edges. */
function tiedCase(n: number, seed: number): { y: Int32Array; proba: Float64Array } {
  const rows = [
    [0.1, 0.2, 0.7],
    [0.3, 0.3, 0.4],
    [0.5, 0.5, 0],
    [1, 0, 0],
    [0, 0, 1],
    [0, 1, 0],
    [0.2, 0.2, 0.6],
    [0.4, 0.4, 0.2],
    [0.6, 0.2, 0.2],
    [0.8, 0.1, 0.1],
  ];
  const rng = new Rng(seed);
  const proba = new Float64Array(n * 3);
  const y = Int32Array.from({ length: n }, (_, r) => {
    proba.set(rows[Math.floor(rng.uniform() * rows.length)]!, r * 3);
    return Math.floor(rng.uniform() * 3);
  });
  return { y, proba };
}

/** Class 2 never wins: its mass moved to class 0. */
function neverPredictedCase(): { y: Int32Array; proba: Float64Array } {
  const { y, proba } = randomCase(300, 4);
  for (let r = 0; r < 300; r++) {
    const p2 = proba[r * 3 + 2]! * 0.1;
    proba[r * 3 + 0] = proba[r * 3 + 0]! + proba[r * 3 + 2]! - p2;
    proba[r * 3 + 2] = p2;
  }
  return { y, proba };
}

function nanRowsCase(): { y: Int32Array; proba: Float64Array } {
  const { y, proba } = randomCase(300, 6);
  for (const r of [0, 17, 18, 299]) proba[r * 3 + (r % 3)] = Number.NaN;
  proba.fill(Number.NaN, 40 * 3, 41 * 3);
  return { y, proba };
}

const CASES = {
  random: { ...randomCase(600, 1), bins: 10 },
  float32: { ...randomCase(400, 2, { float32: true, signal: 0.5 }), bins: 7 },
  tied5: { ...tiedCase(300, 3), bins: 5 },
  tied10: { ...tiedCase(300, 3), bins: 10 },
  neverPredicted: { ...neverPredictedCase(), bins: 10 },
  absentClass: { ...randomCase(250, 5, { classes: [0, 1] }), bins: 10 },
  nanRows: { ...nanRowsCase(), bins: 10 },
};
type CaseName = keyof typeof CASES;

describe('evaluate vs scikit-learn 1.7', () => {
  const refs = new Map<CaseName, Sklearn>();
  beforeAll(() => {
    // One Python run for all cases (importing sklearn takes a few seconds).
    const names = Object.keys(CASES) as CaseName[];
    const out = pythonReference<{ cases: Sklearn[] }>(SCRIPT, { cases: names.map((name) => ({ y_true: CASES[name].y, proba: CASES[name].proba, bins: CASES[name].bins })) });
    names.forEach((name, i) => refs.set(name, out.cases[i]!));
  });
  const run = (name: CaseName): ClassificationReport => evaluate(CASES[name].y, CASES[name].proba, { calibrationBins: CASES[name].bins });

  it('matches on random imbalanced predictions', () => {
    expectMatchesSklearn(run('random'), refs.get('random')!);
  });

  it('matches with Float32 probabilities (rows sum to 1 only to ~1e-7) and 7 bins', () => {
    expectMatchesSklearn(run('float32'), refs.get('float32')!);
  });

  it('matches with tied scores, probabilities 0 and 1 (log loss clipping) and values on bin edges', () => {
    const report = run('tied5');
    expect(report.logLoss).toBeGreaterThan(5); // some true classes got probability 0 → −log ε ≈ 36
    expectMatchesSklearn(report, refs.get('tied5')!);
    expectMatchesSklearn(run('tied10'), refs.get('tied10')!);
  });

  it('matches when a class is never predicted (precision 0 by zero_division = 0)', () => {
    const report = run('neverPredicted');
    expect(report.confusionMatrix.map((row) => row[2])).toEqual([0, 0, 0]);
    expect(report.perClass.precision[2]).toBe(0);
    expect(report.perClass.f1[2]).toBe(0);
    expectMatchesSklearn(report, refs.get('neverPredicted')!);
  });

  it('matches on the defined classes when a class is absent from y_true (its AUC and AP are null)', () => {
    const report = run('absentClass');
    expect(report.perClass.support[2]).toBe(0);
    expect(report.perClass.rocAuc[2]).toBeNull();
    expect(report.perClass.averagePrecision[2]).toBeNull();
    expect(report.undefinedRankingClasses).toEqual([2]);
    expectMatchesSklearn(report, refs.get('absentClass')!);
  });

  it('drops rows with a NaN probability, counts them, and scores the rest like sklearn on the rest', () => {
    const report = run('nanRows');
    expect(report.droppedNanRows).toBe(5);
    expect(report.rows).toBe(295);
    expectMatchesSklearn(report, refs.get('nanRows')!);
  });
});

describe('evaluate', () => {
  it('gives hand-checked values on a small case', () => {
    // Predictions 0, 1, 2, 2 for truths 0, 1, 2, 1: 3 of 4 right; class recalls 1, ½, 1.
    const y = Int32Array.from([0, 1, 2, 1]);
    const proba = Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6, 0.3, 0.3, 0.4]);
    const r = evaluate(y, proba, { calibrationBins: 5 });
    expect(r.accuracy).toBe(0.75);
    expect(r.balancedAccuracy).toBeCloseTo(2.5 / 3, 15);
    expect(r.confusionMatrix).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(r.perClass.precision).toEqual([1, 1, 0.5]);
    expect(r.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.8) + Math.log(0.6) + Math.log(0.3)) / 4, 15);
    // Brier: (0.09 + 0.04 + 0.01) + (0.01 + 0.04 + 0.01) + (0.04 + 0.04 + 0.16) + (0.09 + 0.49 + 0.16), / 4.
    expect(r.brierScore).toBeCloseTo(1.18 / 4, 15);
    // p = 0.2 sits on an edge: sklearn's side='left' puts it in the first bin [0, 0.2].
    expect(r.calibration.perClass[0]!.count).toEqual([2, 1, 0, 1, 0]);
  });

  it('is JSON-serialisable without loss', () => {
    const { y, proba } = randomCase(100, 7, { classes: [0, 2] });
    const report = evaluate(y, proba);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('uses y_pred when given', () => {
    const { y, proba } = randomCase(50, 8);
    const report = evaluate(y, proba, { yPred: y });
    expect(report.accuracy).toBe(1);
    expect(report.macroF1).toBe(1);
  });

  it('rejects malformed input, naming the row and value', () => {
    const y = Int32Array.from([0, 1]);
    expect(() => evaluate(y, Float64Array.from([1, 0, 0]))).toThrow(InvalidProbabilitiesError);
    expect(() => evaluate(y, Float64Array.from([1, 0, 0, 0.5, 0.7, -0.2]))).toThrow(/row 1 class 2 is -0.2, outside \[0, 1\]/);
    expect(() => evaluate(y, Float64Array.from([1, 0, 0, 0.5, 0.3, 0.1]))).toThrow(/row 1 sums to 0.9/);
    expect(() => evaluate(Int32Array.from([0, 3]), Float64Array.from([1, 0, 0, 0, 1, 0]))).toThrow(InvalidLabelsError);
    expect(() => evaluate(Int32Array.from([0, 3]), Float64Array.from([1, 0, 0, 0, 1, 0]))).toThrow(/label 3 at row 1/);
    expect(() => evaluate(y, Float64Array.from([Number.NaN, 0, 0, 0, Number.NaN, 1]))).toThrow(NoRowsError);
    expect(() => evaluate(y, Float64Array.from([Number.NaN, 0, 0, 0, Number.NaN, 1]))).toThrow(/all 2 rows have a NaN probability/);
    expect(() => evaluate(y, Float64Array.from([1, 0, 0, 0, 1, 0]), { calibrationBins: 0 })).toThrow(InvalidMetricOptionsError);
  });
});

describe('single metrics', () => {
  it('reject NaN probabilities instead of dropping them silently', () => {
    expect(() => logLoss(Int32Array.from([0]), Float64Array.from([Number.NaN, 0.5, 0.5]))).toThrow(/NaN probability; drop NaN rows first/);
  });

  it('agree with the report', () => {
    const { y, proba } = randomCase(200, 9);
    const report = evaluate(y, proba);
    const clean = dropNanRows(y, proba);
    expect(clean.dropped).toBe(0);
    const pred = Int32Array.from({ length: 200 }, (_, r) => [0, 1, 2].reduce((b, c) => (proba[r * 3 + c]! > proba[r * 3 + b]! ? c : b), 0));
    expect(accuracy(y, pred)).toBe(report.accuracy);
    expect(macroF1(y, pred)).toBe(report.macroF1);
    expect(confusionMatrix(y, pred)).toEqual(report.confusionMatrix);
    expect(logLoss(y, proba)).toBe(report.logLoss);
  });

  it('binaryRocAuc counts ties as one half (Mann–Whitney, hand-checked)', () => {
    // Positives 0.8, 0.5; negatives 0.5, 0.2: pairs (0.8 > 0.5), (0.8 > 0.2), (0.5 = 0.5: ½), (0.5 > 0.2) → 3.5 / 4.
    expect(binaryRocAuc(Float64Array.from([0.8, 0.5, 0.5, 0.2]), Uint8Array.from([1, 1, 0, 0]))).toBe(0.875);
    expect(binaryRocAuc(Float64Array.from([0.8, 0.5]), Uint8Array.from([1, 1]))).toBeNull();
  });
});

describe('scoreMetric', () => {
  const { y, proba } = randomCase(300, 10);
  const report = evaluate(y, proba);

  it.each([
    ['macro_f1', report.macroF1, true],
    ['accuracy', report.accuracy, true],
    ['balanced_accuracy', report.balancedAccuracy, true],
    ['log_loss', report.logLoss, false],
    ['roc_auc_ovr', report.rocAucOvrMacro, true],
    ['pr_auc_macro', report.averagePrecisionMacro, true],
    ['brier', report.brierScore, false],
  ] as const)('%s equals the report value, score oriented so that greater is better', (name, value, greaterIsBetter) => {
    const s = scoreMetric(name, y, proba);
    expect(s).toEqual({ metric: name, value, greaterIsBetter, score: greaterIsBetter ? value : -value!, rows: 300, droppedNanRows: 0 });
  });

  it('covers every metric name', () => {
    expect([...METRIC_NAMES].sort()).toEqual(['accuracy', 'balanced_accuracy', 'brier', 'log_loss', 'macro_f1', 'pr_auc_macro', 'roc_auc_ovr']);
  });

  it('defaults to macro F1 and reports dropped NaN rows', () => {
    const withNaN = Float64Array.from(proba);
    withNaN[4] = Number.NaN;
    const s = scoreMetric(undefined, y, withNaN);
    expect(s.metric).toBe('macro_f1');
    expect(s.droppedNanRows).toBe(1);
    expect(s.rows).toBe(299);
  });

  it('rejects an unknown name and an undefined metric', () => {
    expect(() => scoreMetric('f2', y, proba)).toThrow(UnknownMetricError);
    expect(() => scoreMetric('f2', y, proba)).toThrow(/unknown metric 'f2'; expected one of macro_f1, accuracy/);
    expect(() => scoreMetric('roc_auc_ovr', Int32Array.from([1, 1]), Float64Array.from([0.2, 0.5, 0.3, 0.1, 0.8, 0.1]))).toThrow(UndefinedMetricError);
  });
});
