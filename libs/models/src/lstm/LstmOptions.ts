import { InvalidInputError } from '@ares/data';
import { z } from 'zod';

/**
 * LSTM training options, after the classic trainer's Keras model (stacked LSTM layers, dropout,
 * softmax over 3 classes, class weights, early stopping, ReduceLROnPlateau). Every field is
 * JSON-serialisable and saved with the model.
 */
export interface LstmOptions {
  /**
   * Bars per sample: the sample for row i is rows [i − L + 1 .. i], so the first L − 1 rows of any
   * input produce no sample (and predictProba returns NaN for them).
   * @default 32
   */
  sequenceLength?: number;
  /** Units of each stacked LSTM layer, input side first; all but the last return sequences. @default [64, 32] */
  units?: readonly number[];
  /**
   * Fraction of each LSTM layer's inputs dropped during training (tfjs `dropout`, a mask per
   * sequence and gate, as Keras does). Masks are drawn from the seed.
   * @default 0.2
   */
  dropout?: number;
  /** Fraction of the recurrent state dropped during training (tfjs `recurrentDropout`, variational). @default 0 */
  recurrentDropout?: number;
  /** L1 penalty on every layer's `kernel` (LSTM input kernels and the output Dense kernel; not recurrent kernels or biases). @default 0 */
  l1?: number;
  /** L2 penalty on the same kernels as l1. @default 0 */
  l2?: number;
  /** Adam's initial learning rate. @default 0.001 */
  learningRate?: number;
  /** Sequences per gradient step (the last batch of an epoch may be smaller). @default 64 */
  batchSize?: number;
  /** Maximum epochs (all of them without a validation set). @default 50 */
  epochs?: number;
  /**
   * With a validation set: stop after this many epochs without a strictly lower validation loss and
   * restore the weights of the best epoch. 0 never stops (the best epoch is still restored).
   * @default 10
   */
  earlyStoppingPatience?: number;
  /**
   * Keras ReduceLROnPlateau: after `patience` epochs without the monitored loss falling below
   * best − minDelta, multiply the learning rate by `factor`, not below `minLr`. Monitors the
   * validation loss, or the training loss when fit gets no validation set. `false` disables it.
   * @default { factor: 0.5, patience: 5, minLr: 0.00001, minDelta: 0.0001 }
   */
  reduceLrOnPlateau?: false | ReduceLrOnPlateauOptions;
  /**
   * Class weights, multiplied into any per-row weights of the training set: 'balanced' gives class
   * c the weight n / (3 · n_c) over the training sequences (scikit-learn's formula); three numbers
   * weight classes 0, 1, 2. The validation loss is never class-weighted. Unset: no class weighting.
   * @default undefined
   */
  classWeight?: 'balanced' | readonly [number, number, number];
  /**
   * Seeds every initializer (glorotUniform kernels, orthogonal recurrent kernels), the shuffle order
   * of each epoch and every dropout mask. Same seed, data, options and backend give bit-identical
   * weights (see the README of this folder for what differs across backends).
   * @default 42
   */
  seed?: number;
}

export interface ReduceLrOnPlateauOptions {
  /** Multiplier applied to the learning rate, in (0, 1). */
  factor: number;
  /** Epochs without improvement before a reduction (the counter restarts after each one). */
  patience: number;
  /** The learning rate never goes below this. */
  minLr: number;
  /** An epoch improves only when its loss is below best − minDelta. @default 0.0001 */
  minDelta?: number;
}

/** Options with defaults applied and contradictions rejected (JSON-serialisable; saved with the model). */
export type CompiledLstmOptions = z.output<typeof LstmOptionsSchema>;

const positiveWeight = z.number().positive().finite();
const rate = z.number().min(0).lt(1);

const ReduceLrOnPlateauSchema = z.strictObject({
  factor: z.number().gt(0).lt(1),
  patience: z.number().int().min(1),
  minLr: z.number().min(0).finite(),
  minDelta: z.number().min(0).finite().default(1e-4),
});

/** The zod schema behind compileLstmOptions (unknown keys are rejected, so typos fail). */
export const LstmOptionsSchema = z.strictObject({
  sequenceLength: z.number().int().min(1).max(10_000).default(32),
  units: z.array(z.number().int().min(1).max(4096)).min(1).default([64, 32]),
  dropout: rate.default(0.2),
  recurrentDropout: rate.default(0),
  l1: z.number().min(0).finite().default(0),
  l2: z.number().min(0).finite().default(0),
  learningRate: z.number().positive().finite().default(1e-3),
  batchSize: z.number().int().min(1).default(64),
  epochs: z.number().int().min(1).default(50),
  earlyStoppingPatience: z.number().int().min(0).default(10),
  reduceLrOnPlateau: z.union([z.literal(false), ReduceLrOnPlateauSchema]).default({ factor: 0.5, patience: 5, minLr: 1e-5, minDelta: 1e-4 }),
  classWeight: z.union([z.literal('balanced'), z.tuple([positiveWeight, positiveWeight, positiveWeight])]).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
});

/** Applies defaults and rejects invalid or contradictory options with an InvalidInputError naming the fields and values. */
export function compileLstmOptions(input: LstmOptions = {}): CompiledLstmOptions {
  const parsed = LstmOptionsSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}${'input' in i && i.input !== undefined ? ` = ${JSON.stringify(i.input)}` : ''}: ${i.message}`);
    throw new InvalidInputError(`invalid LSTM options: ${problems.join('; ')}`);
  }
  const o = parsed.data;
  const plateau = o.reduceLrOnPlateau;
  if (plateau !== false) {
    if (plateau.minLr > o.learningRate) {
      throw new InvalidInputError(`reduceLrOnPlateau.minLr (${plateau.minLr}) must not exceed learningRate (${o.learningRate})`);
    }
    if (o.earlyStoppingPatience > 0 && plateau.patience >= o.earlyStoppingPatience) {
      throw new InvalidInputError(
        `reduceLrOnPlateau.patience (${plateau.patience}) must be below earlyStoppingPatience (${o.earlyStoppingPatience}): ` +
          `otherwise early stopping ends training before the learning rate is ever reduced (set reduceLrOnPlateau: false to mean that)`,
      );
    }
  }
  return o;
}
