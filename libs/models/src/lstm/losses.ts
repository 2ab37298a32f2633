import * as tf from '@tensorflow/tfjs';

/** Keras' epsilon: probabilities are clipped to [ε, 1 − ε] before the log, in training and validation alike. */
export const EPSILON = 1e-7;

/**
 * Keras' categorical cross-entropy with sample weights ('sum_over_batch_size'): the batch mean of
 * w_i · (−log p_i[y_i]). With 'balanced' class weights the mean weight is 1, so the loss keeps its
 * scale.
 */
export function weightedCrossEntropy(probabilities: tf.Tensor2D, oneHot: tf.Tensor2D, weights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const perSample = tf.neg(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probabilities, EPSILON, 1 - EPSILON))), 1));
    return tf.mean(tf.mul(perSample, weights));
  });
}

/** L1/L2 penalty over `kernels`: l1 · Σ|w| + l2 · Σw² (Keras' l1_l2 regularizer), or undefined when both are 0. */
export function kernelPenalty(kernels: readonly tf.Tensor[], l1: number, l2: number): tf.Scalar | undefined {
  if ((l1 === 0 && l2 === 0) || kernels.length === 0) return undefined;
  return tf.tidy(() => {
    let total = tf.scalar(0);
    for (const w of kernels) {
      if (l1 > 0) total = tf.add(total, tf.mul(l1, tf.sum(tf.abs(w))));
      if (l2 > 0) total = tf.add(total, tf.mul(l2, tf.sum(tf.square(w))));
    }
    return total;
  });
}

/**
 * Mean cross-entropy of rows × 3 probabilities against class labels, over the rows listed in `rows`
 * (clipped as in training; float64 arithmetic). With `weight`, a weighted mean Σ w·ce / Σ w.
 * This is the validation loss early stopping monitors, computed from predictProba's own output.
 */
export function meanLogLoss(proba: Float64Array, y: Int32Array, rows: ArrayLike<number>, weight?: Float32Array): number {
  let sum = 0;
  let total = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const p = Math.min(Math.max(proba[r * 3 + y[r]!]!, EPSILON), 1 - EPSILON);
    const w = weight === undefined ? 1 : weight[r]!;
    sum += -Math.log(p) * w;
    total += w;
  }
  return sum / total;
}
