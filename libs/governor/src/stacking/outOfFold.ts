import { createModel as createLibraryModel, fitWithEarlyStopping, labelTimesOf, prepareTrainingFold, selectRows, type LabelTimes, type Model, type TrainingSet } from '@ares/models';
import { StackingInputError } from './errors';

/** One cross-validation fold as row indices into the training set (built by the caller, e.g. @ares/validation). */
export interface IndexFold {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** A base model of the stack: a unique name (used in meta-feature column names), a model type and its options. */
export interface BaseModelSpec {
  readonly name: string;
  readonly type: string;
  readonly options: Record<string, unknown>;
}

/**
 * Where out-of-fold probabilities are kept between runs, so an interrupted stacking run resumes
 * where it stopped: keyed by base model name and fold index. The caller owns the key space (one
 * checkpoint per data set, folds and base-model specs: a stale entry is used as it is).
 */
export interface OofCheckpoint {
  /** The saved probabilities of (model, fold) — fold.test.length × 3, row-major — or undefined. */
  load(model: string, fold: number): Promise<Float64Array | undefined>;
  /** Saves them after the (model, fold) fit. */
  save(model: string, fold: number, proba: Float64Array): Promise<void>;
}

/** Creates an untrained model; defaults to @ares/models' createModel (tests inject instrumented models). */
export type ModelFactory = (type: string, options: Record<string, unknown>) => Promise<Model>;

export interface OutOfFoldOptions {
  /** Seed passed to prepareTrainingFold. */
  seed: number;
  /**
   * Standardise features with a scaler fitted on each fold's training rows only.
   * @default true
   */
  scale?: boolean;
  /** Cancels between folds / models and inside fit. */
  signal?: AbortSignal;
  /** Model factory; @default createModel from @ares/models. */
  createModel?: ModelFactory;
  /** Resume support: a fold's probabilities (fold.test rows × 3) are saved after each (model, fold) fit and loaded instead of refitting. */
  checkpoint?: OofCheckpoint;
  /** Called after each (model, fold) step with steps done and total (model count × non-empty folds). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Label intervals of `data`'s rows. With them, boosted base models early-stop on the latest rows
   * of each fold's TRAINING rows (fitWithEarlyStopping), never on the fold's test rows.
   */
  labelTimes?: LabelTimes;
}

export interface OutOfFoldResult {
  /** Base model names, in the order of `probabilities`. */
  readonly names: readonly string[];
  /**
   * Per base model, rows × 3 (row-major, [p_down, p_flat, p_up]). Row i comes from the model of the
   * fold whose test set holds i, which never trained on i. Rows in no test fold are NaN.
   */
  readonly probabilities: readonly Float64Array[];
  /** 1 where a row lies in some fold's test set (and so has out-of-fold probabilities), else 0. */
  readonly coverage: Uint8Array;
  /** Indices of rows in no test fold (their probabilities are NaN), ascending. */
  readonly uncovered: Int32Array;
  /** For each row, the index of the fold that predicted it, or −1. */
  readonly foldOfRow: Int32Array;
}

const K = 3;

/**
 * Out-of-fold class probabilities of each base model: for every fold, preprocess with
 * `prepareTrainingFold` (scaler fitted on fold.train only), fit a fresh model on fold.train (with
 * `labelTimes`, boosted models early-stop on the latest of those training rows; nothing about the
 * test rows reaches training — not even early stopping), predict fold.test, dispose the model. These are the only predictions a meta-learner may be
 * trained on: in-sample predictions of a memorising base model look like the labels themselves.
 *
 * Test folds must not overlap (each row is predicted once), and a fold's train and test must be
 * disjoint. Rows in no test fold stay NaN and are listed in `uncovered`.
 *
 * With a `checkpoint`, each (model, fold) is first looked up: saved probabilities are used as they
 * are (so a resumed run is bit-identical to an uninterrupted one), and a fold is preprocessed only
 * when some model of it still needs fitting. `onProgress` counts loaded and fitted steps alike.
 */
export async function outOfFoldProbabilities(data: TrainingSet, folds: readonly IndexFold[], baseModels: readonly BaseModelSpec[], options: OutOfFoldOptions): Promise<OutOfFoldResult> {
  const rows = data.x.rows;
  if (data.y.length !== rows) throw new StackingInputError(`outOfFoldProbabilities: ${data.y.length} labels for ${rows} rows`);
  if (folds.length === 0) throw new StackingInputError('outOfFoldProbabilities: no folds');
  if (baseModels.length === 0) throw new StackingInputError('outOfFoldProbabilities: no base models');
  const names = baseModels.map((m) => m.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new StackingInputError(`outOfFoldProbabilities: base model name '${duplicate}' is used twice`);
  const foldOfRow = checkFolds(folds, rows);
  const factory = options.createModel ?? createLibraryModel;
  const scale = options.scale ?? true;

  const probabilities = baseModels.map(() => new Float64Array(rows * K).fill(Number.NaN));
  const total = baseModels.length * folds.filter((fold) => fold.test.length > 0).length;
  let done = 0;
  for (let f = 0; f < folds.length; f++) {
    const fold = folds[f]!;
    if (fold.test.length === 0) continue;
    const saved = await loadCheckpoints(options.checkpoint, baseModels, f, fold.test.length);
    let prepared: ReturnType<typeof prepareTrainingFold> | undefined;
    for (let m = 0; m < baseModels.length; m++) {
      options.signal?.throwIfAborted();
      const spec = baseModels[m]!;
      let proba = saved[m];
      if (proba === undefined) {
        prepared ??= prepareTrainingFold(selectRows(data, fold.train), selectRows(data, fold.test), { scale, balance: 'none', seed: options.seed });
        const foldTimes = options.labelTimes === undefined ? undefined : labelTimesOf(options.labelTimes, fold.train);
        proba = await fitAndPredict(factory, spec, prepared, foldTimes, options.signal);
        if (proba.length !== fold.test.length * K) throw new StackingInputError(`outOfFoldProbabilities: model '${spec.name}' returned ${proba.length} values for ${fold.test.length} rows`);
        await options.checkpoint?.save(spec.name, f, proba);
      }
      const out = probabilities[m]!;
      for (let r = 0; r < fold.test.length; r++) out.set(proba.subarray(r * K, (r + 1) * K), fold.test[r]! * K);
      options.onProgress?.(++done, total);
    }
  }
  const coverage = new Uint8Array(rows);
  const uncovered: number[] = [];
  for (let i = 0; i < rows; i++) {
    if (foldOfRow[i]! >= 0) coverage[i] = 1;
    else uncovered.push(i);
  }
  return { names, probabilities, coverage, uncovered: Int32Array.from(uncovered), foldOfRow };
}

/** Per base model, the checkpointed probabilities of fold `f` (undefined: not saved yet); a wrong length names model and fold. */
async function loadCheckpoints(checkpoint: OofCheckpoint | undefined, baseModels: readonly BaseModelSpec[], f: number, testRows: number): Promise<(Float64Array | undefined)[]> {
  if (checkpoint === undefined) return baseModels.map(() => undefined);
  const saved: (Float64Array | undefined)[] = [];
  for (const spec of baseModels) {
    const proba = await checkpoint.load(spec.name, f);
    if (proba !== undefined && !(proba instanceof Float64Array && proba.length === testRows * K)) {
      const got = proba instanceof Float64Array ? `${proba.length} values` : `a value of type ${Object.prototype.toString.call(proba).slice(8, -1)}, not a Float64Array`;
      throw new StackingInputError(`outOfFoldProbabilities: checkpoint of model '${spec.name}' fold ${f} holds ${got}; expected ${testRows} test rows × ${K} = ${testRows * K} values`);
    }
    saved.push(proba);
  }
  return saved;
}

/** Fits a fresh model on the fold's training rows (early-stopping inside them), predicts its test rows, disposes it. */
async function fitAndPredict(factory: ModelFactory, spec: BaseModelSpec, prepared: ReturnType<typeof prepareTrainingFold>, labelTimes: LabelTimes | undefined, signal: AbortSignal | undefined): Promise<Float64Array> {
  const model = await factory(spec.type, spec.options);
  try {
    await fitWithEarlyStopping(model, prepared.train, labelTimes, signal === undefined ? undefined : { signal });
    return await model.predictProba(prepared.valid.x);
  } finally {
    model.dispose();
  }
}

/** Validates folds and returns, per row, the fold whose test set holds it (−1 for none). */
function checkFolds(folds: readonly IndexFold[], rows: number): Int32Array {
  const foldOfRow = new Int32Array(rows).fill(-1);
  const inTrain = new Int32Array(rows).fill(-1);
  folds.forEach((fold, f) => {
    if (fold.train.length === 0) throw new StackingInputError(`outOfFoldProbabilities: fold ${f} has no training rows`);
    for (const i of fold.train) {
      if (!(i >= 0 && i < rows)) throw new StackingInputError(`outOfFoldProbabilities: fold ${f} train index ${i} outside 0..${rows - 1}`);
      inTrain[i] = f;
    }
    for (const i of fold.test) {
      if (!(i >= 0 && i < rows)) throw new StackingInputError(`outOfFoldProbabilities: fold ${f} test index ${i} outside 0..${rows - 1}`);
      if (inTrain[i] === f) throw new StackingInputError(`outOfFoldProbabilities: fold ${f} has row ${i} in both train and test`);
      if (foldOfRow[i] !== -1) throw new StackingInputError(`outOfFoldProbabilities: row ${i} is in the test sets of folds ${foldOfRow[i]} and ${f}`);
      foldOfRow[i] = f;
    }
  });
  return foldOfRow;
}
