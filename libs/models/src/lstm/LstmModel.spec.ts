import { Rng } from '@ares/data';
import * as tf from '@tensorflow/tfjs';
import { argmaxRows, type TrainingSet } from '../core/Model';
import { LstmModelStateError, NonFiniteSequenceError, SequenceInputError } from './errors';
import { LstmModel } from './LstmModel';
import type { LstmOptions } from './LstmOptions';
import { meanLogLoss } from './losses';
import { ReduceLrOnPlateau } from './ReduceLrOnPlateau';
import { sequenceEnds } from './sequences';
import { sliceRows, syntheticSequences } from './testing';

const L = 8;
const quiet = { log: (): void => undefined };
/** A small, fast network: one LSTM(16) layer over windows of 8 bars. */
const small: LstmOptions = { sequenceLength: L, units: [16], batchSize: 32, learningRate: 0.01, dropout: 0, reduceLrOnPlateau: false };

/** Share of rows ≥ L − 1 whose most probable class is the label. */
function accuracy(proba: Float64Array, set: TrainingSet): number {
  const predicted = argmaxRows(proba);
  let hits = 0;
  for (let r = L - 1; r < set.y.length; r++) if (predicted[r] === set.y[r]) hits += 1;
  return hits / (set.y.length - L + 1);
}

/** Mean predicted probability of `cls` over rows ≥ L − 1. */
function meanProbability(proba: Float64Array, cls: number): number {
  let sum = 0;
  for (let r = L - 1; r < proba.length / 3; r++) sum += proba[r * 3 + cls]!;
  return sum / (proba.length / 3 - L + 1);
}

describe('on a planted sequential signal (class = tercile of f0 summed over the last 5 bars)', () => {
  const all = syntheticSequences({ rows: 3500, seed: 1, labels: 'planted' });
  const train = sliceRows(all, 0, 2000);
  const valid = sliceRows(all, 2000, 2500);
  const heldOut = sliceRows(all, 2500, 3500);
  let model: LstmModel;

  beforeAll(async () => {
    model = await LstmModel.create({ ...small, epochs: 8, earlyStoppingPatience: 3 }, quiet);
    await model.fit(train, valid);
  });
  afterAll(() => model.dispose());

  test('held-out accuracy is far above chance (> 0.7; chance is 1/3)', async () => {
    // Labels are aligned to the window's last bar: a model fed windows one bar late could not see f0[i].
    expect(accuracy(await model.predictProba(heldOut.x), heldOut)).toBeGreaterThan(0.7);
  });

  test('the prediction for row i reads rows ≤ i only; the first L − 1 rows are NaN', async () => {
    const base = await model.predictProba(heldOut.x);
    expect(Array.from(base.subarray(0, (L - 1) * 3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(base.subarray((L - 1) * 3)).every(Number.isFinite)).toBe(true);
    const i = 700; // past the first prediction batch of 512 windows
    const data = heldOut.x.data.slice();
    const rng = new Rng(9);
    for (let k = (i + 1) * heldOut.x.cols; k < data.length; k++) data[k] = 3 * rng.normal();
    const changed = await model.predictProba({ ...heldOut.x, data });
    expect(Array.from(changed.subarray(0, (i + 1) * 3))).toEqual(Array.from(base.subarray(0, (i + 1) * 3)));
    expect(changed[(i + 1) * 3]).not.toBe(base[(i + 1) * 3]);
    // Streaming: predicting rows 0 .. i alone gives the same values for them.
    const prefix = await model.predictProba(sliceRows(heldOut, 0, i + 1).x);
    expect(Array.from(prefix)).toEqual(Array.from(base.subarray(0, (i + 1) * 3)));
  });

  test('save → load → predict is bit-identical', async () => {
    const saved = model.save();
    expect(Object.keys(saved.files).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(new TextDecoder().decode(saved.files['model.json'])) as { format: string; weightsManifest: { paths: string[] }[] };
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    expect(saved.state).toMatchObject({ sequenceLength: L, columns: ['f0', 'f1', 'f2', 'f3'], backend: model.backend, options: { units: [16] } });
    expect(saved.library).toEqual({ name: '@tensorflow/tfjs', version: tf.version_core, backend: model.backend });
    // The state goes through JSON, as in a bundle.
    const loaded = await LstmModel.load({ ...saved, state: JSON.parse(JSON.stringify(saved.state)) as Record<string, unknown> }, quiet);
    try {
      expect(Array.from(await loaded.predictProba(heldOut.x))).toEqual(Array.from(await model.predictProba(heldOut.x)));
      expect(loaded.save().files['weights.bin']).toEqual(saved.files['weights.bin']);
    } finally {
      loaded.dispose();
    }
  });

  test('featureImportance is NaN (no native importance); permutation importance ranks the planted column first', async () => {
    expect(Array.from(model.featureImportance('gain')).every(Number.isNaN)).toBe(true);
    const importance = await model.permutationImportance(sliceRows(heldOut, 0, 400), { seed: 3 });
    expect(importance[0]).toBeGreaterThan(0.3);
    for (let c = 1; c < 4; c++) expect(Math.abs(importance[c]!)).toBeLessThan(0.1 * importance[0]!);
  });
});

test('on noise labels held-out accuracy stays at chance; early stopping restores the best epoch; no tensor leaks', async () => {
  const all = syntheticSequences({ rows: 3500, seed: 2, labels: 'noise' });
  const valid = sliceRows(all, 2000, 2500);
  const heldOut = sliceRows(all, 2500, 3500);
  const tensorsBefore = tf.memory().numTensors;
  const model = await LstmModel.create({ ...small, epochs: 12, earlyStoppingPatience: 3, reduceLrOnPlateau: { factor: 0.5, patience: 1, minLr: 1e-3 } }, quiet);
  try {
    const report = await model.fit(sliceRows(all, 0, 2000), valid);
    // 993 test windows: chance is 1/3 with sd √(2/9 / 993) = 0.015; 0.40 is 4.5 sd above it.
    const acc = accuracy(await model.predictProba(heldOut.x), heldOut);
    expect(acc).toBeLessThan(0.4);
    expect(acc).toBeGreaterThan(0.26);
    expect(report.stoppedEarly).toBe(true);
    expect(report.iterations).toBe(report.bestIteration + 3);
    expect(report.validHistory).toHaveLength(report.iterations);
    expect(report.validSequences).toBe(500 - L + 1); // validation rows only: their first L − 1 rows start no window
    // The kept weights are the best epoch's: their validation loss is that epoch's, exactly.
    const restored = meanLogLoss(await model.predictProba(valid.x), valid.y, sequenceEnds(valid.x.rows, L));
    expect(restored).toBe(Math.min(...report.validHistory));
    expect(report.validHistory[report.bestIteration - 1]).toBe(restored);
    // ReduceLROnPlateau replayed over the validation losses gives the rates fit used.
    const plateau = new ReduceLrOnPlateau({ factor: 0.5, patience: 1, minLr: 1e-3, minDelta: 1e-4 }, 0.01);
    const expected = [0.01, ...report.validHistory.slice(0, -1).map((loss) => plateau.record(loss) ?? plateau.learningRate)];
    expect(report.learningRates).toEqual(expected);
    expect(report.learningRates.at(-1)).toBeLessThan(0.01);
  } finally {
    model.dispose();
  }
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

test('class weights shift predictions towards a minority class', async () => {
  // Labels independent of the features, 10 % / 80 % / 10 %: the model can only learn the priors.
  const all = syntheticSequences({ rows: 2500, seed: 4, labels: 'noise', shares: [0.1, 0.8, 0.1] });
  const train = sliceRows(all, 0, 2000);
  const heldOut = sliceRows(all, 2000, 2500);
  const fitted = async (classWeight?: LstmOptions['classWeight']): Promise<Float64Array> => {
    const model = await LstmModel.create({ ...small, epochs: 3, ...(classWeight ? { classWeight } : {}) }, quiet);
    try {
      await model.fit(train);
      return await model.predictProba(heldOut.x);
    } finally {
      model.dispose();
    }
  };
  const plain = await fitted();
  const balanced = await fitted('balanced');
  const towardsZero = await fitted([8, 1, 1]);
  expect(meanProbability(plain, 0)).toBeLessThan(0.2);
  expect(meanProbability(balanced, 0)).toBeGreaterThan(meanProbability(plain, 0) + 0.1);
  expect(meanProbability(balanced, 2)).toBeGreaterThan(meanProbability(plain, 2) + 0.1);
  expect(meanProbability(towardsZero, 0)).toBeGreaterThan(meanProbability(plain, 0) + 0.2);
  expect(meanProbability(towardsZero, 2)).toBeLessThan(0.2);
});

test('same seed gives bit-identical weights and predictions, dropout included; another seed does not', async () => {
  const all = syntheticSequences({ rows: 700, seed: 5, labels: 'planted' });
  const train = sliceRows(all, 0, 500);
  const heldOut = sliceRows(all, 500, 700);
  const run = async (seed: number): Promise<{ weights: Uint8Array; proba: Float64Array }> => {
    const model = await LstmModel.create({ ...small, units: [12, 8], dropout: 0.3, recurrentDropout: 0.2, epochs: 2, seed }, quiet);
    try {
      await model.fit(train);
      return { weights: model.save().files['weights.bin']!, proba: await model.predictProba(heldOut.x) };
    } finally {
      model.dispose();
    }
  };
  const [a, b, c] = [await run(7), await run(7), await run(8)];
  expect(Buffer.from(a.weights).equals(Buffer.from(b.weights))).toBe(true);
  expect(Array.from(a.proba)).toEqual(Array.from(b.proba));
  expect(Buffer.from(a.weights).equals(Buffer.from(c.weights))).toBe(false);
});

test('the backend in use is logged, reported and recorded in the saved model', async () => {
  const lines: string[] = [];
  const model = await LstmModel.create({ ...small, epochs: 1 }, { log: (line) => lines.push(line) });
  try {
    const report = await model.fit(syntheticSequences({ rows: 100, seed: 6, labels: 'planted' }));
    const backend = tf.getBackend();
    expect(['wasm', 'tensorflow']).toContain(backend);
    expect(model.backend).toBe(backend);
    expect(report.backend).toBe(backend);
    expect(lines[0]).toContain(`on backend '${backend}'`);
    const saved = model.save();
    expect(saved.state['backend']).toBe(backend);
    expect((saved.library as { backend?: string }).backend).toBe(backend);
  } finally {
    model.dispose();
  }
});

test('bad input and wrong states fail with named errors', async () => {
  const set = syntheticSequences({ rows: 60, seed: 7, labels: 'planted' });
  const model = await LstmModel.create({ ...small, epochs: 1 }, quiet);
  await expect(model.predictProba(set.x)).rejects.toThrow(LstmModelStateError);

  const data = set.x.data.slice();
  data[5 * 4 + 2] = Number.NaN;
  await expect(model.fit({ ...set, x: { ...set.x, data } })).rejects.toThrow(new NonFiniteSequenceError("train: column 'f2' has 1 NaN/±Inf values (first at row 5); an LSTM has no missing-value handling, impute or drop them first"));
  await expect(model.fit(set, sliceRows(set, 0, L - 1))).rejects.toThrow(new SequenceInputError('valid has 7 rows, fewer than sequenceLength 8: it forms no sequence (each needs 8 consecutive rows)'));

  await model.fit(set);
  await expect(model.fit(set)).rejects.toThrow(LstmModelStateError);
  await expect(model.predictProba({ ...set.x, columns: ['f1', 'f0', 'f2', 'f3'] })).rejects.toThrow(SequenceInputError);
  // Fewer rows than a window: nothing to predict, all NaN. A NaN poisons the windows containing it only.
  expect(Array.from(await model.predictProba(sliceRows(set, 0, L - 1).x)).every(Number.isNaN)).toBe(true);
  const proba = await model.predictProba({ ...set.x, data });
  const nanRows = [...Array(set.x.rows).keys()].filter((r) => Number.isNaN(proba[r * 3]!));
  // Rows 0 .. 6 have no window; the windows ending at rows 5 .. 12 contain row 5.
  expect(nanRows).toEqual([...Array(5 + L).keys()]);

  model.dispose();
  expect(() => model.save()).toThrow(LstmModelStateError);
});
