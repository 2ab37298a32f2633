/**
 * The one model interface every model type implements (LightGBM, XGBoost, random forest, LSTM).
 *
 * Data is a dense row-major Float32Array matrix (`rows × cols`), the layout the native libraries
 * take without a copy. Labels are class indices 0..2 (see labelMap.ts: −1 → 0, 0 → 1, 1 → 2).
 */

/** A dense, row-major feature matrix. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** rows × cols values, row-major. NaN is allowed (the tree libraries treat it as missing). */
  readonly data: Float32Array;
  /** Column names, in order. */
  readonly columns: readonly string[];
}

/** Training rows: features, class indices 0..2, optional per-row weights. */
export interface TrainingSet {
  readonly x: Matrix;
  readonly y: Int32Array;
  readonly weight?: Float32Array;
}

/** What fit() reports. */
export interface FitReport {
  /**
   * 0-based index of the round / epoch kept: the best one under early stopping, else the last.
   * Predictions use rounds 0..bestIteration.
   */
  bestIteration: number;
  /** Rounds / epochs run. */
  iterations: number;
  /** Validation metric per iteration, when a validation set was given. */
  validHistory: number[];
  /** The library's name for the metric in validHistory (e.g. multi_logloss, mlogloss). */
  metric: string;
}

/** The files and metadata a model saves into a bundle (the bundle layer adds the manifest). */
export interface SavedModel {
  /** Model type key, e.g. 'lightgbm'. */
  type: string;
  /** Library and version that wrote the files, e.g. { name: 'lightgbm', version: '4.6.0' }. */
  library: { name: string; version: string; backend?: string };
  /** File name → bytes (e.g. model.txt for LightGBM, model.json for XGBoost). */
  files: Record<string, Uint8Array>;
  /** Everything else needed to load (parameters, best iteration, class count). JSON-serialisable. */
  state: Record<string, unknown>;
}

/**
 * 'split': how many times a feature is used in a split. 'gain': the library's gain importance;
 * compare values within one model, not across libraries (LightGBM reports total gain, XGBoost
 * average gain per split).
 */
export type ImportanceType = 'gain' | 'split';

/** Where a fit keeps its state between epochs, so that a retried attempt resumes (e.g. an artifact-store key). */
export interface FitCheckpointStore {
  /** The last saved state, or undefined when there is none. */
  load(): Promise<Uint8Array | undefined>;
  save(bytes: Uint8Array): Promise<void>;
}

/** How a caller follows and steers one fit. */
export interface ModelFitControl {
  signal?: AbortSignal;
  /** Where the fit stands, as a Temporal heartbeat's details (the LSTM: epoch, batch, losses, after every batch). */
  heartbeat?: (details: Record<string, unknown>) => void;
  /** Used by fits long enough to resume (the LSTM, per epoch); the tree fits ignore it. */
  checkpoint?: FitCheckpointStore;
}

/**
 * A trained (or trainable) multiclass model. Implementations free native handles in `dispose()`
 * (and register a FinalizationRegistry as a safety net, never as the plan).
 */
export interface Model {
  readonly type: string;
  /**
   * Trains on `train`; with `valid`, early-stops on it and keeps the best iteration. `control.signal`
   * cancels training between rounds (a Temporal activity passes its cancellation signal).
   */
  fit(train: TrainingSet, valid?: TrainingSet, control?: ModelFitControl): Promise<FitReport>;
  /** Class probabilities, rows × 3, row-major (Float64Array). */
  predictProba(x: Matrix): Promise<Float64Array>;
  /** Importance per column (same order as the training columns). */
  featureImportance(kind: ImportanceType): Float64Array;
  save(): SavedModel;
  dispose(): void;
}

/** Most probable class index per row of a rows × k probability matrix. */
export function argmaxRows(proba: Float64Array, k = 3): Int32Array {
  const rows = proba.length / k;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[r * k + c]! > proba[r * k + best]!) best = c;
    out[r] = best;
  }
  return out;
}
