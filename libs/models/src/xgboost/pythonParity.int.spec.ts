/**
 * The model.json we save is XGBoost's own format: the Python package (the same 3.2.0, in the tools
 * venv) loads it with xgboost.Booster(model_file=...) and predicts the same probabilities from
 * rounds [0, best + 1) on the same float32 rows (NaN included), and reports the same importance.
 */
import { execFile } from 'node:child_process';
import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toolPaths } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { plantedSignal } from './syntheticData';
import { XGBoostModel } from './XGBoostModel';

const run = promisify(execFile);

const PREDICT_PY = `
import json, sys
import numpy as np
import xgboost as xgb

model_file, x_file, rows, cols, best, out_file = sys.argv[1:]
x = np.fromfile(x_file, dtype="<f4").reshape(int(rows), int(cols))
booster = xgb.Booster(model_file=model_file)
end = int(best) + 1
proba = booster.predict(xgb.DMatrix(x, missing=np.nan), iteration_range=(0, end), strict_shape=True)
proba.astype("<f4").tofile(out_file)
kept = booster[0:end]
print(json.dumps({
    "version": xgb.__version__,
    "rounds": booster.num_boosted_rounds(),
    "gain": kept.get_score(importance_type="gain"),
    "weight": kept.get_score(importance_type="weight"),
}))
`;

interface PythonOutput {
  version: string;
  rounds: number;
  gain: Record<string, number>;
  weight: Record<string, number>;
}

test('Python xgboost loads model.json and predicts what we predict (to 1e-6), with the same importance', async () => {
  const train = plantedSignal({ rows: 3000, seed: 81, missing: 0.05 });
  const valid = plantedSignal({ rows: 800, seed: 82, missing: 0.05 });
  const heldOut = plantedSignal({ rows: 1000, seed: 83, missing: 0.05 });
  const model = await XGBoostModel.create({ nEstimators: 300, learningRate: 0.1, subsample: 0.8, colsampleBytree: 0.8, earlyStoppingRounds: 15, nthread: 1, seed: 5 });
  try {
    const report = await model.fit(train, valid);
    const ours = await model.predictProba(heldOut.x);
    const saved = model.save();

    await withTempDir(async (dir) => {
      const paths = { model: join(dir, 'model.json'), x: join(dir, 'x.f32'), out: join(dir, 'proba.f32'), script: join(dir, 'predict.py') };
      await writeFile(paths.model, saved.files['model.json']!);
      await writeFile(paths.x, heldOut.x.data);
      await writeFile(paths.script, PREDICT_PY);
      const args = [paths.script, paths.model, paths.x, String(heldOut.x.rows), String(heldOut.x.cols), String(report.bestIteration), paths.out];
      const { stdout } = await run(toolPaths().python, args);
      const python = JSON.parse(stdout) as PythonOutput;
      const buf = await readFile(paths.out);
      const theirs = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);

      expect(python.version).toBe('3.2.0');
      expect(python.rounds).toBe(report.iterations); // all rounds are in the file; both sides use [0, best + 1)
      expect(report.bestIteration).toBeLessThan(report.iterations - 1);
      expect(theirs).toHaveLength(ours.length);
      let maxDiff = 0;
      for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - theirs[i]!));
      expect(maxDiff).toBeLessThanOrEqual(1e-6);

      for (const [kind, pyKind] of [['gain', 'gain'], ['split', 'weight']] as const) {
        const importance = model.featureImportance(kind);
        const expected = Float64Array.from(heldOut.x.columns, (_, j) => python[pyKind][`f${j}`] ?? 0);
        for (let j = 0; j < expected.length; j++) expect(importance[j]).toBeCloseTo(expected[j]!, 4);
      }
    });
  } finally {
    model.dispose();
  }
});
