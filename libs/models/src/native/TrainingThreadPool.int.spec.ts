/**
 * The warm training threads against the real native libraries: fits reuse one thread instead of
 * starting one each, concurrent fits get a thread each, a failing job leaves its thread usable,
 * and models trained on a reused thread are the same as on a fresh one.
 */
import { LightGBMModel } from '../lightgbm/LightGBMModel';
import { plantedClasses } from '../lightgbm/testing/syntheticClasses';
import { XGBoostModel } from '../xgboost/XGBoostModel';
import { LightGBMError } from '../lightgbm/errors';
import { trainingThreads } from './TrainingThreadPool';

const train = plantedClasses({ rows: 600, seed: 3 });

async function fitText(numIterations: number): Promise<string> {
  const model = await LightGBMModel.create({ numIterations, numThreads: 1 });
  try {
    await model.fit(train);
    return new TextDecoder().decode(model.save().files['model.txt']!);
  } finally {
    model.dispose();
  }
}

afterAll(() => trainingThreads.close());

test('sequential LightGBM and XGBoost fits run on one warm thread, and give the models a fresh thread gives', async () => {
  await trainingThreads.close();
  const first = await fitText(20);
  expect(trainingThreads.size).toBe(1);
  const xgb = await XGBoostModel.create({ nEstimators: 5, nthread: 1 });
  await xgb.fit(train);
  xgb.dispose();
  const again = await fitText(20);
  expect(trainingThreads.size).toBe(1);
  expect(again).toBe(first);
});

test('concurrent fits each get a thread; the idle threads are kept for the next fits', async () => {
  await trainingThreads.close();
  await Promise.all([fitText(30), fitText(30), fitText(30)]);
  expect(trainingThreads.size).toBe(3);
  await fitText(5);
  expect(trainingThreads.size).toBe(3);
  await trainingThreads.close();
  expect(trainingThreads.size).toBe(0);
});

test('a job that fails in the native library names the call, and its thread trains the next job', async () => {
  await trainingThreads.close();
  const model = await LightGBMModel.create({ numIterations: 5, numThreads: 1, extraParams: { max_bin: 1 } });
  try {
    await expect(model.fit(train)).rejects.toThrow(LightGBMError);
    await expect(model.fit(train)).rejects.toThrow(/LGBM_DatasetCreateFromMat failed: .*max_bin/);
  } finally {
    model.dispose();
  }
  expect(trainingThreads.size).toBe(1);
  expect(await fitText(5)).toContain('Tree=');
  expect(trainingThreads.size).toBe(1);
});
