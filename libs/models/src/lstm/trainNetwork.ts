import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Rng } from '@ares/data';
import * as tf from '@tensorflow/tfjs';
import type { Matrix } from '../core/Model';
import { TrainingCancelledError } from '../core/nativeErrors';
import { EarlyStopping } from './EarlyStopping';
import { LstmTrainingError } from './errors';
import { kernelPenalty, weightedCrossEntropy } from './losses';
import type { CompiledLstmOptions } from './LstmOptions';
import { ReduceLrOnPlateau } from './ReduceLrOnPlateau';
import { gatherWindows } from './sequences';

/** The training sequences: windows of `x` ending at `ends`, with their labels and sample weights. */
export interface TrainingSequences {
  x: Matrix;
  ends: Int32Array;
  labels: Int32Array;
  weights: Float32Array;
}

/** What happened in one epoch (passed to `onEpoch`, e.g. for an activity heartbeat). */
export interface LstmEpochLog {
  /** 1-based. */
  epoch: number;
  /** Mean training loss over the epoch's batches (sample-weighted cross-entropy plus the L1/L2 penalty). */
  trainLoss: number;
  /** Validation cross-entropy after the epoch, when fit got a validation set. */
  validLoss?: number;
  /** The learning rate used during the epoch. */
  learningRate: number;
  seconds: number;
}

/** Where training stands after a batch (passed to `onBatch`, e.g. for an activity heartbeat). */
// A type, not an interface: it must pass where heartbeat details (Record<string, unknown>) are taken.
export type LstmBatchProgress = {
  epoch: number;
  epochs: number;
  /** 1-based, of `batches`. */
  batch: number;
  batches: number;
  /** This batch's training loss. */
  loss: number;
  /** The last completed epoch's validation loss. */
  validLoss?: number;
};

/**
 * Everything training needs to go on after a completed epoch as if it had never stopped: the
 * network's and Adam's weights (moments, step count and bias-correction powers), the best epoch's
 * weights, early stopping, ReduceLROnPlateau, and both random streams.
 */
export interface TrainingCheckpoint {
  /** Epochs completed. */
  epoch: number;
  epochs: LstmEpochLog[];
  learningRate: number;
  weights: Float32Array[];
  /** Adam's getWeights (the step count, stored as float32, then the moments) and its bias-correction powers. */
  optimizer: { names: string[]; values: Float32Array[]; shapes: number[][]; dtypes: ('float32' | 'int32')[]; accBeta1: number; accBeta2: number };
  best: Float32Array[] | null;
  stopping: ReturnType<EarlyStopping['snapshot']>;
  plateau: ReturnType<ReduceLrOnPlateau['snapshot']> | null;
  shuffleRng: (number | null)[];
  dropoutRng: (number | null)[];
}

export interface TrainingHooks {
  /** The validation loss of the network as it stands (omitted: no validation set). */
  validLoss?: () => Promise<number>;
  onEpoch?: (log: LstmEpochLog) => void;
  onBatch?: (progress: LstmBatchProgress) => void;
  /** Checked after every batch: an aborted signal ends training with TrainingCancelledError. */
  signal?: AbortSignal;
  /** Training state to resume from (it must come from the same network, data and options). */
  resume?: TrainingCheckpoint;
  /** Called after each epoch that training goes on from; resolves once the state is stored. */
  checkpoint?: (state: TrainingCheckpoint) => Promise<void>;
}

export interface TrainingOutcome {
  epochs: LstmEpochLog[];
  /** The epoch whose weights the network holds at the end (1-based). */
  keptEpoch: number;
  stoppedEarly: boolean;
}

/**
 * Mini-batch Adam over the training sequences, in our own loop rather than LayersModel.fit:
 * tfjs-layers' fit ignores per-sample weights (row weights × class weights) and shuffles with an
 * unseeded generator. Each epoch visits the sequences in an order drawn from `shuffleRng`.
 *
 * With a validation set: early stopping on its loss and, at the end, the best epoch's weights are
 * restored. ReduceLROnPlateau monitors the validation loss, else the training loss.
 */
export async function trainNetwork(network: tf.LayersModel, data: TrainingSequences, o: CompiledLstmOptions, rngs: { shuffle: Rng; dropout: Rng }, hooks: TrainingHooks): Promise<TrainingOutcome> {
  const shuffleRng = rngs.shuffle;
  const variables = network.trainableWeights.map((w) => w.read() as tf.Variable);
  const kernels = network.trainableWeights.filter((w) => w.originalName.endsWith('/kernel')).map((w) => w.read());
  const plateau = o.reduceLrOnPlateau === false ? undefined : new ReduceLrOnPlateau(o.reduceLrOnPlateau, o.learningRate);
  const stopping = new EarlyStopping(o.earlyStoppingPatience);
  let optimizer = tf.train.adam(o.learningRate);
  let learningRate = o.learningRate;
  let best: tf.Tensor[] | undefined;
  const epochs: LstmEpochLog[] = [];
  let stoppedEarly = false;
  let first = 1;
  try {
    if (hooks.resume !== undefined) {
      const r = hooks.resume;
      const shapes = network.getWeights().map((w) => w.shape);
      const restored = r.weights.map((w, i) => tf.tensor(w, shapes[i]));
      network.setWeights(restored);
      tf.dispose(restored);
      optimizer.dispose();
      optimizer = await restoreAdam(r);
      learningRate = r.learningRate;
      best = r.best?.map((w, i) => tf.tensor(w, shapes[i]));
      stopping.restore(r.stopping);
      if (plateau !== undefined && r.plateau !== null) plateau.restore(r.plateau);
      epochs.push(...r.epochs);
      first = r.epoch + 1;
    }
    const batches = Math.ceil(data.ends.length / Math.min(o.batchSize, data.ends.length));
    for (let epoch = first; epoch <= o.epochs; epoch++) {
      const started = performance.now();
      const lastValid = epochs[epochs.length - 1]?.validLoss;
      const onBatch = (batch: number, loss: number) => hooks.onBatch?.({ epoch, epochs: o.epochs, batch, batches, loss, ...(lastValid === undefined ? {} : { validLoss: lastValid }) });
      const trainLoss = await runEpoch(network, data, o, shuffledOrder(data.ends.length, shuffleRng), (loss) => optimizer.minimize(() => addPenalty(loss(), kernels, o), true, variables)!, onBatch, hooks.signal);
      if (!Number.isFinite(trainLoss)) {
        throw new LstmTrainingError(`training loss is ${trainLoss} after epoch ${epoch} (learning rate ${learningRate}): training diverged; lower learningRate or check the feature scaling`);
      }
      const validLoss = hooks.validLoss === undefined ? undefined : await hooks.validLoss();
      const log: LstmEpochLog = { epoch, trainLoss, ...(validLoss === undefined ? {} : { validLoss }), learningRate, seconds: (performance.now() - started) / 1000 };
      epochs.push(log);
      hooks.onEpoch?.(log);
      if (validLoss !== undefined) {
        const { improved, stop } = stopping.record(validLoss);
        if (improved) {
          tf.dispose(best);
          best = network.getWeights().map((w) => tf.clone(w));
        }
        if (stop) {
          stoppedEarly = epoch < o.epochs;
          break;
        }
      }
      const next = plateau?.record(validLoss ?? trainLoss);
      if (next !== undefined) {
        optimizer = await withLearningRate(optimizer, next);
        learningRate = next;
      }
      if (hooks.checkpoint !== undefined && epoch < o.epochs) {
        await hooks.checkpoint({
          epoch, epochs: [...epochs], learningRate,
          weights: network.getWeights().map((w) => (w.dataSync() as Float32Array).slice()),
          optimizer: await adamState(optimizer),
          best: best?.map((w) => (w.dataSync() as Float32Array).slice()) ?? null,
          stopping: stopping.snapshot(), plateau: plateau?.snapshot() ?? null,
          shuffleRng: shuffleRng.state(), dropoutRng: rngs.dropout.state(),
        });
      }
    }
    if (best !== undefined) network.setWeights(best);
    return { epochs, keptEpoch: best === undefined ? epochs.length : stopping.bestEpoch, stoppedEarly };
  } finally {
    tf.dispose(best);
    optimizer.dispose();
  }
}

/**
 * One pass over the sequences in `order`; returns the sample-count-weighted mean batch loss.
 * After every batch it yields a whole turn of the event loop: tfjs' wasm and cpu backends settle
 * `data()` as a microtask, so awaiting it alone lets no timer run — a whole fit would pass without
 * one Temporal heartbeat (measured: 0 ticks of a 100 ms interval in a 12 s fit).
 */
async function runEpoch(network: tf.LayersModel, data: TrainingSequences, o: CompiledLstmOptions, order: Int32Array, step: (loss: () => tf.Scalar) => tf.Scalar, onBatch: (batch: number, loss: number) => void, signal: AbortSignal | undefined): Promise<number> {
  const { x, ends, labels, weights } = data;
  const L = o.sequenceLength;
  const batchSize = Math.min(o.batchSize, order.length);
  const windows = new Float32Array(batchSize * L * x.cols);
  const batchEnds = new Int32Array(batchSize);
  let lossSum = 0;
  for (let from = 0; from < order.length; from += batchSize) {
    const n = Math.min(batchSize, order.length - from);
    const oneHot = new Float32Array(n * 3);
    const w = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const s = order[from + k]!;
      batchEnds[k] = ends[s]!;
      oneHot[k * 3 + labels[s]!] = 1;
      w[k] = weights[s]!;
    }
    gatherWindows(x, batchEnds, 0, n, L, windows);
    const xb = tf.tensor3d(windows.subarray(0, n * L * x.cols), [n, L, x.cols]);
    const yb = tf.tensor2d(oneHot, [n, 3]);
    const wb = tf.tensor1d(w);
    const loss = step(() => weightedCrossEntropy(network.apply(xb, { training: true }) as tf.Tensor2D, yb, wb));
    const batchLoss = (await loss.data())[0]!;
    lossSum += batchLoss * n;
    tf.dispose([xb, yb, wb, loss]);
    onBatch(from / batchSize + 1, batchLoss);
    await nextTurn();
    if (signal?.aborted) throw new TrainingCancelledError(`LSTM training cancelled in batch ${from / batchSize + 1} of ${Math.ceil(order.length / batchSize)}`, { cause: signal.reason });
  }
  return lossSum / order.length;
}

function addPenalty(loss: tf.Scalar, kernels: tf.Tensor[], o: CompiledLstmOptions): tf.Scalar {
  const penalty = kernelPenalty(kernels, o.l1, o.l2);
  return penalty === undefined ? loss : tf.add(loss, penalty);
}

/** A Fisher–Yates permutation of 0 .. n − 1 drawn from `rng`. */
export function shuffledOrder(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/**
 * Adam's state for a checkpoint. Its public getWeights gives the step count and moments; the
 * bias-correction powers (β₁ᵗ, β₂ᵗ) live in protected fields that setWeights recomputes with
 * `pow`, which can differ from the running product in the last float32 bit: they are kept too, so
 * a resumed fit reproduces the uninterrupted one bit for bit.
 */
async function adamState(optimizer: tf.AdamOptimizer): Promise<TrainingCheckpoint['optimizer']> {
  const named = await optimizer.getWeights();
  const acc = optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
  const state = {
    names: named.map((w) => w.name),
    // Float32Array.from: the step count is an int32 tensor, whose bytes are no float32.
    values: named.map((w) => Float32Array.from(w.tensor.dataSync())),
    shapes: named.map((w) => w.tensor.shape),
    dtypes: named.map((w) => (w.tensor.dtype === 'int32' ? 'int32' as const : 'float32' as const)),
    accBeta1: acc.accBeta1.dataSync()[0]!,
    accBeta2: acc.accBeta2.dataSync()[0]!,
  };
  named[0]!.tensor.dispose(); // the step counter getWeights created; the moments are the optimizer's own
  return state;
}

async function restoreAdam(r: TrainingCheckpoint): Promise<tf.AdamOptimizer> {
  const optimizer = tf.train.adam(r.learningRate);
  const o = r.optimizer;
  const tensors = o.values.map((v, i) => ({ name: o.names[i]!, tensor: tf.tensor(o.dtypes[i] === 'int32' ? Int32Array.from(v) : v, o.shapes[i], o.dtypes[i]) }));
  await optimizer.setWeights(tensors);
  const acc = optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
  tf.tidy(() => {
    acc.accBeta1.assign(tf.scalar(o.accBeta1));
    acc.accBeta2.assign(tf.scalar(o.accBeta2));
  });
  tf.dispose(tensors.map((t) => t.tensor));
  return optimizer;
}

/**
 * Adam with a new learning rate and the old one's moments and step count, through the public
 * getWeights/setWeights (tfjs optimizers keep the rate in a protected field).
 */
async function withLearningRate(old: tf.AdamOptimizer, rate: number): Promise<tf.AdamOptimizer> {
  const state = await old.getWeights();
  const next = tf.train.adam(rate);
  await next.setWeights(state);
  state[0]!.tensor.dispose(); // the step counter getWeights created; the moments were copied and die with `old`
  old.dispose();
  return next;
}
