import { Rng } from '@ares/data';
import * as tf from '@tensorflow/tfjs';
import type { CompiledLstmOptions } from './LstmOptions';

/** The network's fixed layer names: saved files do not depend on how many models the process built before. */
export const OUTPUT_LAYER = 'probabilities';
export const lstmLayerName = (k: number): string => `lstm_${k + 1}`;

/**
 * A seed for a tfjs initializer or dropout mask, in 1 .. 2³¹ − 1: tfjs seeds its (JS, seedrandom)
 * generators with it, and tf.randomNormal treats a seed of 0 as no seed at all (Math.random).
 */
export function nextSeed(rng: Rng): number {
  return 1 + Math.floor(rng.uniform() * (2 ** 31 - 1));
}

/**
 * The classic trainer's network: stacked LSTM layers (all but the last return sequences), then a
 * Dense softmax over the 3 classes. Initializers follow Keras (glorotUniform kernels, orthogonal
 * recurrent kernels, zero biases with unit forget bias), each with its own seed from `initRng`;
 * the recurrent activation is 'sigmoid' (Keras' default; tfjs defaults to hardSigmoid).
 *
 * `dropoutRng` seeds every dropout mask through tfjs' `dropoutFunc` hook: without it tfjs draws
 * masks from an unseeded generator and training with dropout is not reproducible. The hook is not
 * part of the saved topology, which only matters for training; inference has no dropout.
 */
export function buildNetwork(o: CompiledLstmOptions, features: number, initRng: Rng, dropoutRng: Rng): tf.LayersModel {
  // In a tidy: tfjs' unitForgetBias and orthogonal initializers leave intermediate tensors behind
  // (4 per LSTM layer). Variables outlive the tidy.
  let model: tf.LayersModel | undefined;
  tf.tidy(() => {
    model = stackLayers(o, features, initRng, dropoutRng);
  });
  return model!;
}

/**
 * Disposes the network and the dropout masks its LSTM cells keep from their last call (all-ones
 * masks after inference), which LayersModel.dispose leaves behind.
 */
export function disposeNetwork(network: tf.LayersModel): void {
  for (const layer of network.layers) {
    const cell = (layer as { cell?: DropoutMasks }).cell;
    if (cell === undefined) continue;
    tf.dispose(cell.dropoutMask ?? undefined);
    tf.dispose(cell.recurrentDropoutMask ?? undefined);
    cell.dropoutMask = null;
    cell.recurrentDropoutMask = null;
  }
  network.dispose();
}

interface DropoutMasks {
  dropoutMask?: tf.Tensor | tf.Tensor[] | null;
  recurrentDropoutMask?: tf.Tensor | tf.Tensor[] | null;
}

function stackLayers(o: CompiledLstmOptions, features: number, initRng: Rng, dropoutRng: Rng): tf.LayersModel {
  const seededDropout = (x: tf.Tensor, rate: number): tf.Tensor => tf.dropout(x, rate, undefined, nextSeed(dropoutRng));
  const model = tf.sequential({ name: 'ares_lstm' });
  o.units.forEach((units, k) => {
    model.add(
      tf.layers.lstm({
        name: lstmLayerName(k),
        units,
        returnSequences: k < o.units.length - 1,
        ...(k === 0 ? { inputShape: [o.sequenceLength, features] } : {}),
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed(initRng) }),
        recurrentInitializer: quietOrthogonal(nextSeed(initRng)),
        biasInitializer: 'zeros',
        unitForgetBias: true,
        dropout: o.dropout,
        recurrentDropout: o.recurrentDropout,
        dropoutFunc: seededDropout,
      }),
    );
  });
  model.add(
    tf.layers.dense({
      name: OUTPUT_LAYER,
      units: 3,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed(initRng) }),
      biasInitializer: 'zeros',
    }),
  );
  return model;
}

/**
 * tfjs' seeded orthogonal initializer, minus its console warning for matrices over 2000 elements
 * (every recurrent kernel from 23 units up; measured: 0.2 s for 64 units, once per fit). The warning
 * is filtered by its exact text while the initializer runs, synchronously.
 */
function quietOrthogonal(seed: number): ReturnType<typeof tf.initializers.orthogonal> {
  const inner = tf.initializers.orthogonal({ seed });
  const apply = inner.apply.bind(inner);
  inner.apply = (shape, dtype) => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer is being called on a matrix with more than')) return;
      warn(...args);
    };
    try {
      return apply(shape, dtype);
    } finally {
      console.warn = warn;
    }
  };
  return inner;
}
