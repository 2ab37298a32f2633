import { profiler } from '../core/profile';
import { z } from 'zod';
import { InvalidInputError, toolPaths } from '@ares/data';
import type { FitReport, ImportanceType, Matrix, Model, SavedModel, TrainingSet } from '../core/Model';
import { Booster } from './Booster';
import { DMatrix } from './DMatrix';
import { ModelStateError, TrainingCancelledError } from './errors';
import { rowWeights } from './rowWeights';
import { runTrainingWorker, type FitControl } from './runTrainingWorker';
import type { LabelledRows, TrainingJob } from './trainBooster';
import { validateMatrix, validateTrainingSet } from './validateInput';
import { XGBoostLibrary } from './XGBoostLibrary';
import { boosterParams, compileXGBoostOptions, VALID_METRIC, XGBoostOptionsSchema, type CompiledXGBoostOptions, type XGBoostOptions } from './XGBoostOptions';

/** Where the native library comes from; tests and tools may point elsewhere. */
export interface XGBoostDeps {
  /** Path of libxgboost.so. @default toolPaths().xgboostLib */
  libraryPath?: string;
}

/** The file XGBoost's JSON model is saved as. */
export const MODEL_FILE = 'model.json';

/** SavedModel.state of an XGBoost model. */
const SavedStateSchema = z.object({
  params: XGBoostOptionsSchema,
  /** 0-based best round; predictions use rounds [0, bestIteration + 1). */
  bestIteration: z.number().int().min(0),
  numClass: z.literal(3),
  columns: z.array(z.string()).min(1),
});
type SavedState = z.output<typeof SavedStateSchema>;

/** What a trained model holds besides its booster. */
interface Trained {
  booster: Booster;
  /** The JSON model bytes the booster was loaded from (saved verbatim). */
  modelJson: Uint8Array;
  bestIteration: number;
  columns: readonly string[];
}

/**
 * XGBoost multiclass model (multi:softprob over the classes 0/1/2) behind the Model interface.
 *
 * fit() trains on a worker thread (see runTrainingWorker) and gets XGBoost's JSON model back; this
 * thread loads it with XGBoosterLoadModelFromBuffer for prediction and importance, so the main
 * thread only ever runs short native calls. `bestIteration` is 0-based: predictions and
 * importance use rounds [0, bestIteration + 1), the rounds after it stay in the saved model
 * (as XGBoost's Python early stopping leaves them).
 *
 * ```ts
 * const model = await XGBoostModel.create({ nEstimators: 400, earlyStoppingRounds: 30, seed: 7 });
 * try {
 *   const report = await model.fit(train, valid, { onProgress: (p) => heartbeat(p) });
 *   const proba = await model.predictProba(test.x); // rows × 3
 *   await store.putModel(model.save());
 * } finally {
 *   model.dispose();
 * }
 * ```
 */
export class XGBoostModel implements Model {
  static readonly type = 'xgboost';
  readonly type = XGBoostModel.type;

  private trained: Trained | undefined;
  private disposed = false;
  /** Aborts an in-flight fit when the model is disposed. */
  private readonly training = new Set<AbortController>();

  private constructor(
    /** The compiled options (defaults applied). */
    readonly options: CompiledXGBoostOptions,
    private readonly lib: XGBoostLibrary,
  ) {}

  /** A new, untrained model; rejects bad options with InvalidInputError naming the option and value. */
  static async create(options: XGBoostOptions = {}, deps: XGBoostDeps = {}): Promise<XGBoostModel> {
    const compiled = compileXGBoostOptions(options);
    return new XGBoostModel(compiled, XGBoostLibrary.open(deps.libraryPath ?? toolPaths().xgboostLib));
  }

  /** A trained model from save()'s output; predictions are bit-identical to the saved model's. */
  static async load(saved: SavedModel, deps: XGBoostDeps = {}): Promise<XGBoostModel> {
    const { state, modelJson } = parseSaved(saved);
    const model = new XGBoostModel(state.params, XGBoostLibrary.open(deps.libraryPath ?? toolPaths().xgboostLib));
    const booster = model.loadBooster(modelJson);
    try {
      const rounds = booster.boostedRounds();
      if (rounds <= state.bestIteration) {
        throw new InvalidInputError(`saved XGBoost model: state.bestIteration is ${state.bestIteration} but ${MODEL_FILE} holds ${rounds} rounds`);
      }
      model.adopt({ booster, modelJson, bestIteration: state.bestIteration, columns: state.columns });
    } catch (err) {
      booster.dispose();
      throw err;
    }
    return model;
  }

  /** 0-based best round of the trained model; undefined before fit. */
  get bestIteration(): number | undefined {
    return this.trained?.bestIteration;
  }

  /**
   * Trains on `train` off the main thread. With `valid`, evaluates mlogloss on it after every
   * round, stops after `earlyStoppingRounds` rounds without improvement and keeps the best round.
   * A second fit replaces the model. Rejects with XGBoostError (XGBoost's message and the call)
   * on bad parameters, TrainingCancelledError when `control.signal` aborts or the model is disposed.
   */
  async fit(train: TrainingSet, valid?: TrainingSet, control: FitControl = {}): Promise<FitReport> {
    this.assertNotDisposed('fit');
    const numClass = this.options.numClass;
    validateTrainingSet(train, 'training set', numClass);
    if (valid) validateTrainingSet(valid, 'validation set', numClass, train.x.columns);

    const job: TrainingJob = {
      libraryPath: this.lib.path,
      params: boosterParams(this.options),
      rounds: this.options.nEstimators,
      earlyStoppingRounds: this.options.earlyStoppingRounds,
      metric: VALID_METRIC,
      nthread: this.options.nthread,
      train: labelledRows(train, rowWeights(train.y, numClass, this.options.classWeight, train.weight)),
      valid: valid ? labelledRows(valid, valid.weight) : undefined,
    };
    const abort = new AbortController();
    const onCallerAbort = () => abort.abort(control.signal?.reason);
    if (control.signal?.aborted) onCallerAbort();
    control.signal?.addEventListener('abort', onCallerAbort, { once: true });
    this.training.add(abort);
    const started = performance.now();
    try {
      const result = await runTrainingWorker(job, { onProgress: control.onProgress, signal: abort.signal });
      if (this.disposed) throw new TrainingCancelledError('XGBoost model was disposed while fit was running');
      const booster = profiler.timeSync('xgboost.load', () => this.loadBooster(result.model));
      profiler.add('xgboost.fit', performance.now() - started);
      profiler.add('xgboost.rounds', 0, result.iterations);
      this.adopt({ booster, modelJson: result.model, bestIteration: result.bestIteration, columns: [...train.x.columns] });
      return { bestIteration: result.bestIteration, iterations: result.iterations, validHistory: result.validHistory, metric: VALID_METRIC };
    } finally {
      this.training.delete(abort);
      control.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Class probabilities from rounds [0, bestIteration + 1): rows × 3, row-major. */
  async predictProba(x: Matrix): Promise<Float64Array> {
    const trained = this.assertTrained('predictProba');
    validateMatrix(x, 'prediction rows', trained.columns);
    if (x.rows === 0) return new Float64Array(0);
    const started = performance.now();
    const data = DMatrix.fromRows(this.lib, x, {}, this.options.nthread);
    try {
      const { shape, values } = trained.booster.predict(data, trained.bestIteration + 1);
      const k = this.options.numClass;
      if (shape[0] !== x.rows || shape[1] !== k) {
        throw new ModelStateError(`XGBoosterPredictFromDMatrix returned shape [${shape.join(', ')}]; expected [${x.rows}, ${k}]`);
      }
      return Float64Array.from(values);
    } finally {
      data.dispose();
      profiler.add('xgboost.predict', performance.now() - started);
    }
  }

  /**
   * Importance per training column over rounds [0, bestIteration + 1): 'gain' is XGBoost's
   * importance_type 'gain' (mean loss reduction per split on the column), 'split' its 'weight'
   * (number of splits). Columns never split on get 0.
   */
  featureImportance(kind: ImportanceType): Float64Array {
    const trained = this.assertTrained('featureImportance');
    const rounds = trained.booster.boostedRounds();
    const kept = trained.bestIteration + 1;
    const booster = kept < rounds ? trained.booster.slice(0, kept) : trained.booster;
    try {
      const { features, scores } = booster.featureScore(kind === 'gain' ? 'gain' : 'weight');
      return scoresByColumn(features, scores, trained.columns);
    } finally {
      if (booster !== trained.booster) booster.dispose();
    }
  }

  /** files { 'model.json': XGBoost's JSON model }, state { params, bestIteration, numClass, columns }. */
  save(): SavedModel {
    const trained = this.assertTrained('save');
    const state: SavedState = { params: this.options, bestIteration: trained.bestIteration, numClass: this.options.numClass, columns: [...trained.columns] };
    return {
      type: XGBoostModel.type,
      library: { name: 'xgboost', version: this.lib.version() },
      files: { [MODEL_FILE]: trained.modelJson.slice() },
      state: JSON.parse(JSON.stringify(state)) as Record<string, unknown>,
    };
  }

  /** Frees the native booster and cancels a running fit; idempotent. The model is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const abort of this.training) abort.abort(new ModelStateError('XGBoost model disposed'));
    this.trained?.booster.dispose();
    this.trained = undefined;
  }

  /** XGBoosterLoadModelFromBuffer; the JSON model carries no thread count, so nthread is set again. */
  private loadBooster(modelJson: Uint8Array): Booster {
    const booster = Booster.fromModel(this.lib, modelJson);
    if (this.options.nthread > 0) booster.setParams([['nthread', String(this.options.nthread)]]);
    return booster;
  }

  private adopt(next: Trained): void {
    this.trained?.booster.dispose();
    this.trained = next;
  }

  private assertNotDisposed(method: string): void {
    if (this.disposed) throw new ModelStateError(`XGBoostModel.${method}() called after dispose()`);
  }

  private assertTrained(method: string): Trained {
    this.assertNotDisposed(method);
    if (!this.trained) throw new ModelStateError(`XGBoostModel.${method}() called before fit() or load()`);
    return this.trained;
  }
}

function labelledRows(set: TrainingSet, weight: Float32Array | undefined): LabelledRows {
  return { x: { data: set.x.data, rows: set.x.rows, cols: set.x.cols }, label: Float32Array.from(set.y), weight };
}

/** Maps XGBoost's feature names f0..fN (the booster has no names of its own) back to column positions. */
function scoresByColumn(features: readonly string[], scores: Float32Array, columns: readonly string[]): Float64Array {
  const out = new Float64Array(columns.length);
  features.forEach((name, i) => {
    const match = /^f(\d+)$/.exec(name);
    const index = match ? Number(match[1]) : -1;
    if (index < 0 || index >= columns.length) {
      throw new ModelStateError(`XGBoosterFeatureScore named feature '${name}'; expected f0..f${columns.length - 1}`);
    }
    out[index] = scores[i]!;
  });
  return out;
}

function parseSaved(saved: SavedModel): { state: SavedState; modelJson: Uint8Array } {
  if (saved.type !== XGBoostModel.type) throw new InvalidInputError(`saved model type is '${saved.type}'; XGBoostModel.load needs '${XGBoostModel.type}'`);
  if (saved.library?.name !== 'xgboost') throw new InvalidInputError(`saved model library is '${saved.library?.name}'; XGBoostModel.load needs 'xgboost'`);
  const modelJson = saved.files[MODEL_FILE];
  if (!modelJson) throw new InvalidInputError(`saved XGBoost model has no ${MODEL_FILE} (files: ${Object.keys(saved.files).join(', ') || 'none'})`);
  const parsed = SavedStateSchema.safeParse(saved.state);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(`saved XGBoost model: state.${issue.path.join('.')}: ${issue.message}`);
  }
  return { state: parsed.data, modelJson };
}
