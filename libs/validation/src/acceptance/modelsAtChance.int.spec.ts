/**
 * Every model type, through the one Model interface:
 * 1. learns a planted signal far above chance;
 * 2. stays at chance on the ZERO-SIGNAL market: a pure random walk (signal 0, no volatility
 *    regimes: i.i.d. Gaussian log returns) run through the real features, triple-barrier labels and
 *    a purged chronological split. A model that "finds an edge" here has leaked the future.
 *
 * Chance bound: balanced accuracy of an uninformed 3-class predictor is 1/3; on n test rows each
 * class recall has a standard error of about sqrt((1/3)(2/3)/(n/3)), ≈ 0.02 for n ≈ 1,600, so the
 * mean of three is within 1/3 ± 0.06 (about 5 standard errors) unless the model has real information.
 */
import { generateSyntheticMarket, Rng } from '@ares/data';
import { buildFeatureMatrix, defaultRegistry, tripleBarrierLabels, type FeatureInput } from '@ares/features';
import { argmaxRows, balancedAccuracy, createModel, labelsToClasses, prepareTrainingFold, type Matrix, type TrainingSet } from '@ares/models';
import { chronologicalSplit } from '../splits/chronologicalSplit';

const FAST: Record<string, Record<string, unknown>> = {
  lightgbm: { numIterations: 80, numThreads: 1, seed: 3 },
  random_forest: { numIterations: 60, numThreads: 1, seed: 3 },
  xgboost: { nEstimators: 80, nthread: 1, seed: 3 },
  lstm: { sequenceLength: 8, units: [32], epochs: 15, batchSize: 64, learningRate: 0.005, seed: 3, reduceLrOnPlateau: false },
};
const TYPES = Object.keys(FAST);

/** Class = which of features 0 and 1 is larger, or 'flat' when they are close (plus 10 % label noise). */
function planted(rows: number, seed: number): TrainingSet {
  const rng = new Rng(seed);
  const cols = 8;
  const data = new Float32Array(rows * cols);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) data[r * cols + c] = rng.normal();
    const d = data[r * cols]! - data[r * cols + 1]!;
    y[r] = rng.uniform() < 0.1 ? Math.floor(rng.uniform() * 3) : d > 0.5 ? 2 : d < -0.5 ? 0 : 1;
  }
  return { x: { rows, cols, data, columns: Array.from({ length: cols }, (_, c) => `f${c}`) }, y };
}

function rowsOf(set: TrainingSet, from: number, to: number): TrainingSet {
  const cols = set.x.cols;
  return { x: { ...set.x, rows: to - from, data: set.x.data.slice(from * cols, to * cols) }, y: set.y.slice(from, to) };
}

/** A pure random walk through the real feature and label code, split chronologically with purging. */
function zeroSignalMarket(): { train: TrainingSet; test: TrainingSet } {
  const m = generateSyntheticMarket({ bars: 8000, interval: '1h', seed: 99, signal: 0, volatilityRegimes: false });
  const c = m.candles;
  const input: FeatureInput = { length: c.length, interval: '1h', columns: { openTime: c.openTime, closeTime: c.closeTime, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume } };
  const matrix = buildFeatureMatrix(input, {
    features: [{ name: 'rsi' }, { name: 'ema_ratio', params: { period: 20 } }, { name: 'log_return', params: { period: 1 } }, { name: 'log_return', params: { period: 5 } },
      { name: 'volatility' }, { name: 'natr' }, { name: 'macd' }, { name: 'bollinger' }],
  }, defaultRegistry());
  const labels = tripleBarrierLabels(c, { tpMult: 1.5, slMult: 1.5, holdingBars: 12, atrPeriod: 14 });
  const keep: number[] = [];
  for (let r = 0; r < matrix.length; r++) if (labels.valid[r + matrix.warmupRows]) keep.push(r);
  const cols = matrix.names.length;
  const data = new Float32Array(keep.length * cols);
  keep.forEach((r, i) => matrix.columns.forEach((col, j) => (data[i * cols + j] = col[r]!)));
  const x: Matrix = { rows: keep.length, cols, data, columns: matrix.names };
  const y = labelsToClasses(keep.map((r) => labels.label[r + matrix.warmupRows]!));
  const times = Float64Array.from(keep, (r) => matrix.openTime[r]!);
  const t1 = Float64Array.from(keep, (r) => labels.t1[r + matrix.warmupRows]!);
  const split = chronologicalSplit(keep.length, { trainRatio: 0.75, valRatio: 0, times, t1 });
  const pick = (idx: Int32Array): TrainingSet => {
    const d = new Float32Array(idx.length * cols);
    idx.forEach((i, r) => d.set(x.data.subarray(i * cols, (i + 1) * cols), r * cols));
    return { x: { ...x, rows: idx.length, data: d }, y: Int32Array.from(idx, (i) => y[i]!) };
  };
  return { train: pick(split.rows.train), test: pick(split.rows.test) };
}

async function fitAndScore(type: string, train: TrainingSet, test: TrainingSet): Promise<number> {
  const prepared = prepareTrainingFold(train, test, { scale: true, balance: 'none', seed: 1 });
  const model = await createModel(type, FAST[type]);
  try {
    await model.fit(prepared.train);
    const proba = await model.predictProba(prepared.valid.x);
    const ok: number[] = [];
    for (let r = 0; r < test.y.length; r++) if (!Number.isNaN(proba[r * 3]!)) ok.push(r); // the LSTM's first L-1 rows
    const pred = argmaxRows(proba);
    return balancedAccuracy(Int32Array.from(ok, (r) => test.y[r]!), Int32Array.from(ok, (r) => pred[r]!));
  } finally {
    model.dispose();
  }
}

const plantedSet = planted(4000, 1);
const zero = zeroSignalMarket();

test.each(TYPES)('%s learns the planted signal far above chance', async (type) => {
  const bacc = await fitAndScore(type, rowsOf(plantedSet, 0, 3000), rowsOf(plantedSet, 3000, 4000));
  expect(bacc).toBeGreaterThan(0.75);
}, 240_000);

test.each(TYPES)('%s stays at chance on the zero-signal market (balanced accuracy within 1/3 ± 0.06)', async (type) => {
  expect(zero.test.y.length).toBeGreaterThan(1000);
  const bacc = await fitAndScore(type, zero.train, zero.test);
  expect(Math.abs(bacc - 1 / 3)).toBeLessThan(0.06);
}, 240_000);
