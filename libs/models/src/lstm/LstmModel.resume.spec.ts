import { TrainingCancelledError } from '../core/nativeErrors';
import type { FitCheckpointStore } from '../core/Model';
import { LstmModel } from './LstmModel';
import type { LstmOptions } from './LstmOptions';
import { sliceRows, syntheticSequences } from './testing';

const quiet = { log: (): void => undefined };
// Dropout, recurrent dropout and ReduceLROnPlateau on: every piece of state a resume must restore.
const options: LstmOptions = {
  sequenceLength: 8, units: [12], batchSize: 32, learningRate: 0.01, dropout: 0.2, recurrentDropout: 0.1,
  epochs: 5, earlyStoppingPatience: 0, reduceLrOnPlateau: { patience: 1, factor: 0.5, minLr: 1e-4, minDelta: 0 }, seed: 11,
};
const all = syntheticSequences({ rows: 900, seed: 4, labels: 'planted' });
const train = sliceRows(all, 0, 700);
const valid = sliceRows(all, 700, 900);

/** An in-memory checkpoint store that can make the fit stop once `stopAfter` epochs are saved. */
function memoryStore(stopAfter = Number.POSITIVE_INFINITY): FitCheckpointStore & { bytes?: Uint8Array; saves: number } {
  const store = {
    bytes: undefined as Uint8Array | undefined,
    saves: 0,
    async load() {
      return store.bytes;
    },
    async save(bytes: Uint8Array) {
      store.bytes = bytes;
      store.saves += 1;
      if (store.saves >= stopAfter) throw new Error(`worker died after epoch ${store.saves}`);
    },
  };
  return store;
}

async function fitted(control: Parameters<LstmModel['fit']>[2] = {}) {
  const model = await LstmModel.create(options, quiet);
  try {
    const report = await model.fit(train, valid, control);
    return { report, weights: Buffer.from(model.save().files['weights.bin']!).toString('base64') };
  } finally {
    model.dispose();
  }
}

describe('LSTM fit: checkpoints, resume, heartbeats, cancellation', () => {
  let reference: Awaited<ReturnType<typeof fitted>>;
  beforeAll(async () => {
    reference = await fitted();
  });

  test('a fit stopped after epoch 2 and resumed from its checkpoint ends with the uninterrupted fit\'s weights, bit for bit', async () => {
    const store = memoryStore(2);
    await expect(fitted({ checkpoint: store })).rejects.toThrow('worker died after epoch 2');
    store.saves = Number.NEGATIVE_INFINITY; // the next attempt saves freely
    const resumed = await fitted({ checkpoint: store });
    expect(resumed.report.resumedEpochs).toBe(2);
    expect(resumed.report.iterations).toBe(reference.report.iterations);
    expect(resumed.report.learningRates).toEqual(reference.report.learningRates);
    expect(resumed.report.validHistory).toEqual(reference.report.validHistory);
    expect(resumed.weights).toBe(reference.weights);
  });

  test('a checkpoint of another fit (other data) is ignored: training starts at epoch 1', async () => {
    const other = memoryStore();
    const model = await LstmModel.create(options, quiet);
    await model.fit(sliceRows(all, 0, 600), valid, { checkpoint: other });
    model.dispose();
    expect(other.saves).toBe(options.epochs! - 1);
    const result = await fitted({ checkpoint: other });
    expect(result.report.resumedEpochs).toBe(0);
    expect(result.weights).toBe(reference.weights);
  });

  test('heartbeats every batch with epoch, batch and losses, and timers run during the fit', async () => {
    const beats: Record<string, unknown>[] = [];
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    try {
      await fitted({ heartbeat: (d) => beats.push(d) });
    } finally {
      clearInterval(timer);
    }
    const batches = Math.ceil((700 - 8 + 1) / 32);
    expect(beats).toHaveLength(options.epochs! * batches);
    expect(beats[batches]).toEqual({ epoch: 2, epochs: 5, batch: 1, batches, loss: expect.any(Number), validLoss: reference.report.validHistory[0] });
    // Before the per-batch yield a whole fit ran without one timer callback.
    expect(ticks).toBeGreaterThanOrEqual(options.epochs! * batches / 2);
  });

  test('an aborted signal stops the fit between batches with TrainingCancelledError', async () => {
    const controller = new AbortController();
    let beats = 0;
    const run = fitted({ signal: controller.signal, heartbeat: () => (++beats === 3 ? controller.abort(new Error('cancelled by the workflow')) : undefined) });
    await expect(run).rejects.toBeInstanceOf(TrainingCancelledError);
    await expect(run).rejects.toThrow('LSTM training cancelled in batch 3 of 22');
  });
});
