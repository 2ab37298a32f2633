import type { Rng } from '@ares/data';
import * as tf from '@tensorflow/tfjs';
import type { Matrix } from '../core/Model';
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

export interface TrainingHooks {
  /** The validation loss of the network as it stands (omitted: no validation set). */
  validLoss?: () => Promise<number>;
  onEpoch?: (log: LstmEpochLog) => void;
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
export async function trainNetwork(network: tf.LayersModel, data: TrainingSequences, o: CompiledLstmOptions, shuffleRng: Rng, hooks: TrainingHooks): Promise<TrainingOutcome> {
  const variables = network.trainableWeights.map((w) => w.read() as tf.Variable);
  const kernels = network.trainableWeights.filter((w) => w.originalName.endsWith('/kernel')).map((w) => w.read());
  const plateau = o.reduceLrOnPlateau === false ? undefined : new ReduceLrOnPlateau(o.reduceLrOnPlateau, o.learningRate);
  const stopping = new EarlyStopping(o.earlyStoppingPatience);
  let optimizer = tf.train.adam(o.learningRate);
  let learningRate = o.learningRate;
  let best: tf.Tensor[] | undefined;
  const epochs: LstmEpochLog[] = [];
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const started = performance.now();
      const trainLoss = await runEpoch(network, data, o, shuffledOrder(data.ends.length, shuffleRng), (loss) => optimizer.minimize(() => addPenalty(loss(), kernels, o), true, variables)!);
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
    }
    if (best !== undefined) network.setWeights(best);
    return { epochs, keptEpoch: best === undefined ? epochs.length : stopping.bestEpoch, stoppedEarly };
  } finally {
    tf.dispose(best);
    optimizer.dispose();
  }
}

/** One pass over the sequences in `order`; returns the sample-count-weighted mean batch loss. */
async function runEpoch(network: tf.LayersModel, data: TrainingSequences, o: CompiledLstmOptions, order: Int32Array, step: (loss: () => tf.Scalar) => tf.Scalar): Promise<number> {
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
    // Awaiting each batch's loss also yields to the event loop (timers, heartbeats) between steps.
    lossSum += (await loss.data())[0]! * n;
    tf.dispose([xb, yb, wb, loss]);
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
