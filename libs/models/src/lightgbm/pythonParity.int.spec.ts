/**
 * Parity with the Python lightgbm package (4.6.0, in the tools venv from infra/install-tools.sh),
 * the independent reference: it loads our model.txt and predicts the same float32 rows, and it
 * trains on the same data with the same parameter map. Rows and predictions cross as raw
 * little-endian float32 / float64 files, so no value is reformatted on the way.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LightGBMModel } from './LightGBMModel';
import { plantedClasses } from './testing/syntheticClasses';
import { runPython } from './testing/runPython';

const SCRIPT = join(__dirname, 'testing', 'lightgbm_parity.py');
const train = plantedClasses({ rows: 3000, seed: 61 });
const valid = plantedClasses({ rows: 1000, seed: 62 });
const rows = plantedClasses({ rows: 2000, seed: 63 }).x;
// NaN cells check that missing values take the same branch on both sides.
for (let i = 5; i < rows.data.length; i += 97) rows.data[i] = Number.NaN;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ares-lgbm-parity-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const maxAbsDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

async function pythonPredict(modelText: string): Promise<Float64Array> {
  await writeFile(join(dir, 'model.txt'), modelText);
  await writeFile(join(dir, 'x.bin'), bytes(rows.data));
  await runPython(SCRIPT, ['predict', join(dir, 'model.txt'), join(dir, 'x.bin'), String(rows.rows), String(rows.cols), join(dir, 'proba.bin')]);
  const out = await readFile(join(dir, 'proba.bin'));
  return new Float64Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
}

test('Python lightgbm.Booster(model_file=our model.txt) predicts our probabilities (to 1e-6; in practice bit for bit)', async () => {
  const model = await LightGBMModel.create({ numIterations: 120, baggingFraction: 0.8, baggingFreq: 1, featureFraction: 0.8, numThreads: 1 });
  try {
    const report = await model.fit(train, valid);
    expect(report.bestIteration).toBeGreaterThan(10);
    const ours = await model.predictProba(rows);
    const theirs = await pythonPredict(new TextDecoder().decode(model.save().files['model.txt']));
    expect(theirs).toHaveLength(ours.length);
    expect(maxAbsDiff(ours, theirs)).toBeLessThanOrEqual(1e-6);
    expect(Buffer.from(bytes(theirs)).equals(Buffer.from(bytes(ours)))).toBe(true);
  } finally {
    model.dispose();
  }
});

test('lgb.train with the same parameter map on the same rows grows the same trees', async () => {
  const model = await LightGBMModel.create({ numIterations: 60, earlyStoppingRounds: 0, baggingFraction: 0.7, baggingFreq: 1, featureFraction: 0.8, seed: 3, numThreads: 1 });
  try {
    await model.fit(train);
    await writeFile(join(dir, 'params.json'), JSON.stringify(model.params));
    await writeFile(join(dir, 'train_x.bin'), bytes(train.x.data));
    await writeFile(join(dir, 'train_y.bin'), bytes(Float32Array.from(train.y)));
    await runPython(SCRIPT, ['train', join(dir, 'params.json'), join(dir, 'train_x.bin'), join(dir, 'train_y.bin'), String(train.x.rows), String(train.x.cols), '60', join(dir, 'py_model.txt')]);
    const pythonModel = await readFile(join(dir, 'py_model.txt'), 'utf8');
    const ours = new TextDecoder().decode(model.save().files['model.txt']);
    // Everything from the first tree to the end of the trees is the fitted model.
    const trees = (text: string) => text.slice(text.indexOf('Tree=0'), text.indexOf('end of trees'));
    expect(trees(ours).length).toBeGreaterThan(1000);
    expect(trees(pythonModel)).toBe(trees(ours));
    expect(await pythonPredict(pythonModel)).toEqual(await model.predictProba(rows));
  } finally {
    model.dispose();
  }
});
