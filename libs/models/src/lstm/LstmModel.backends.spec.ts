import * as tf from '@tensorflow/tfjs';
import { LstmModelStateError } from './errors';
import { LstmModel } from './LstmModel';
import { sliceRows, syntheticSequences } from './testing';

const quiet = { log: (): void => undefined };
// Silences tfjs' one-time "install our node backend" banner when the cpu backend first runs.
tf.env().set('PROD', true);

// Determinism holds per backend, not across them: the pure-JS cpu backend sums in other orders
// than XNNPACK. Measured here: the same saved weights predict within 1.2e-7 on cpu and wasm.
test('a model trained on wasm predicts on cpu within float32 rounding; the wasm model refuses to run on cpu', async () => {
  const all = syntheticSequences({ rows: 400, seed: 11, labels: 'planted' });
  const model = await LstmModel.create({ sequenceLength: 8, units: [12], epochs: 1, batchSize: 32, reduceLrOnPlateau: false }, quiet);
  if (model.backend !== 'wasm') return model.dispose(); // only meaningful where wasm is the backend in use
  const x = sliceRows(all, 300, 400).x;
  try {
    await model.fit(sliceRows(all, 0, 300));
    const onWasm = await model.predictProba(x);
    const lines: string[] = [];
    const onCpuModel = await LstmModel.load(model.save(), { backend: 'cpu', log: (line) => lines.push(line) });
    try {
      expect(tf.getBackend()).toBe('cpu');
      expect(lines.join('\n')).toContain("trained on backend 'wasm', loaded on 'cpu'");
      const onCpu = await onCpuModel.predictProba(x);
      let worst = 0;
      for (let i = 7 * 3; i < onWasm.length; i++) worst = Math.max(worst, Math.abs(onWasm[i]! - onCpu[i]!));
      expect(worst).toBeLessThan(1e-6);
      await expect(model.predictProba(x)).rejects.toThrow(new LstmModelStateError("this LSTM runs on TensorFlow.js backend 'wasm' but the active backend is 'cpu' (tfjs has one per process)"));
    } finally {
      onCpuModel.dispose();
    }
  } finally {
    model.dispose();
  }
});
