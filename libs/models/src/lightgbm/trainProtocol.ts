/**
 * What the main thread sends a training thread for a LightGBM fit (native/trainingThread.ts). Everything here is
 * structured-cloneable; the Float32Arrays are fresh copies whose buffers are transferred.
 */

/** A dense float32 data set as LightGBM takes it: row-major features, float32 labels (class indices) and optional weights. */
export interface NativeDataset {
  data: Float32Array;
  rows: number;
  cols: number;
  label: Float32Array;
  weight?: Float32Array;
}

/** workerData of the training worker. */
export interface TrainRequest {
  /** Path of lib_lightgbm.so (the worker must not import @ares/data to find it). */
  libraryPath: string;
  /** LightGBM parameter string for the data sets and the booster. */
  params: string;
  numIterations: number;
  /** 0: no early stopping. */
  earlyStoppingRounds: number;
  train: NativeDataset;
  valid?: NativeDataset;
  /** Int32Array over a SharedArrayBuffer; the main thread stores 1 to cancel, checked between rounds. */
  cancel: Int32Array;
}

/** What training produced: the model text truncated to the kept round. */
export interface TrainResult {
  modelText: string;
  bestIteration: number;
  iterations: number;
  validHistory: number[];
}
