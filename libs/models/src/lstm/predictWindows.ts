import { setImmediate as nextTurn } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import { TrainingCancelledError } from '../core/nativeErrors';
import type { Matrix } from '../core/Model';
import { gatherWindows, sequenceEnds, windowsWithNonFinite } from './sequences';

/** Windows per forward pass: bounds the batch tensor (512 × 32 × 30 float32 = 2 MB). */
const PREDICT_BATCH = 512;

/**
 * Class probabilities for every row of `x` (rows × 3, row-major), each from the window ending at
 * that row (`signal` cancels between forward passes). Rows 0 .. L − 2 (no full window) and rows whose window holds a NaN/±Inf value are NaN.
 */
export async function predictWindows(network: tf.LayersModel, x: Matrix, sequenceLength: number, signal?: AbortSignal): Promise<Float64Array> {
  const out = new Float64Array(x.rows * 3).fill(Number.NaN);
  const ends = sequenceEnds(x.rows, sequenceLength);
  const buffer = new Float32Array(Math.min(PREDICT_BATCH, ends.length) * sequenceLength * x.cols);
  for (let from = 0; from < ends.length; from += PREDICT_BATCH) {
    const to = Math.min(from + PREDICT_BATCH, ends.length);
    gatherWindows(x, ends, from, to, sequenceLength, buffer);
    const n = to - from;
    const input = tf.tensor3d(buffer.subarray(0, n * sequenceLength * x.cols), [n, sequenceLength, x.cols]);
    const output = network.predict(input) as tf.Tensor;
    const values = await output.data<'float32'>();
    tf.dispose([input, output]);
    for (let k = 0; k < n * 3; k++) out[ends[from]! * 3 + k] = values[k]!;
    // A turn of the event loop per forward pass (tfjs settles data() as a microtask): timers run.
    await nextTurn();
    if (signal?.aborted) throw new TrainingCancelledError('LSTM prediction cancelled', { cause: signal.reason });
  }
  const bad = windowsWithNonFinite(x, sequenceLength);
  for (let r = 0; r < x.rows; r++) if (bad[r]) out.fill(Number.NaN, r * 3, r * 3 + 3);
  return out;
}
