import { setImmediate as nextTurn } from 'node:timers/promises';
import { InvalidInputError, toolPaths } from '@ares/data';
import { z } from 'zod';
import type { FitReport, ImportanceType, Matrix, Model, SavedModel, TrainingSet } from '../core/Model';
import { ModelStateError } from './errors';
import { LightGBMBooster } from './LightGBMBooster';
import { LightGBMLibrary } from './LightGBMLibrary';
import { compileLightGBMOptions, lightgbmParams, paramString, type CompiledLightGBMOptions, type LightGBMOptions } from './LightGBMOptions';
import { trainInWorker } from './trainInWorker';
import { checkMatrix, NUM_CLASS, toNativeDataset } from './trainingInput';
import { profiler } from '../core/profile';

/** Where lib_lightgbm.so is and which version it is (recorded in saved models). Default: the installed tools (toolPaths()). */
export interface LightGBMLibraryLocation {
  path: string;
  version: string;
}

/** Extra arguments of LightGBMModel.fit (beyond the Model interface). */
export interface LightGBMFitOptions {
  /** Called on the main thread after each round: the round (1-based) and, with a validation set, its multi_logloss. Throwing stops training. */
  onProgress?: (iteration: number, metric: number | undefined) => void;
  /** Cancels training between rounds; fit then rejects with TrainingCancelledError. */
  signal?: AbortSignal;
}

/** 'lightgbm' for gradient boosting, 'random_forest' for boosting 'rf'. */
export type LightGBMModelType = 'lightgbm' | 'random_forest';

const METRIC = 'multi_logloss';
const MODEL_FILE = 'model.txt';
/** predictProba yields to the event loop between chunks of this many rows. */
const PREDICT_CHUNK_ROWS = 8192;

const SavedStateSchema = z.object({
  options: z.record(z.string(), z.unknown()),
  bestIteration: z.number().int().min(0),
  iterations: z.number().int().min(0),
  numClass: z.literal(NUM_CLASS),
  columns: z.array(z.string()),
});

interface Trained {
  booster: LightGBMBooster;
  modelText: string;
  bestIteration: number;
  iterations: number;
  columns: readonly string[];
}

/**
 * LightGBM multiclass (3 classes) model over the C API through koffi.
 *
 * fit() trains in a worker thread (see trainInWorker.ts) that returns the model text truncated to
 * the kept round; the main thread loads that text (LGBM_BoosterLoadModelFromString) for
 * predictProba and featureImportance, so a fitted model and a saved-then-loaded one are the same
 * text and predict bit-identically. dispose() frees the booster and cancels a running fit.
 */
export class LightGBMModel implements Model {
  readonly type: LightGBMModelType;
  private trained: Trained | undefined;
  private running: AbortController | undefined;
  private disposed = false;

  private constructor(
    /** Compiled options (defaults applied). */
    readonly options: CompiledLightGBMOptions,
    private readonly library: LightGBMLibraryLocation,
  ) {
    this.type = options.boosting === 'rf' ? 'random_forest' : 'lightgbm';
  }

  /** A new, untrained model. Rejects invalid options (InvalidInputError) and a library that does not load. */
  static async create(options: LightGBMOptions = {}, library: LightGBMLibraryLocation = installedLibrary()): Promise<LightGBMModel> {
    const compiled = compileLightGBMOptions(options);
    LightGBMLibrary.open(library.path);
    return new LightGBMModel(compiled, library);
  }

  /** Restores a model written by save(); its predictions are bit-identical to the saved model's. */
  static async load(saved: SavedModel, library: LightGBMLibraryLocation = installedLibrary()): Promise<LightGBMModel> {
    if (saved.library.name !== 'lightgbm') throw new InvalidInputError(`saved model was written by ${saved.library.name} ${saved.library.version}; LightGBMModel.load reads lightgbm models`);
    if (saved.type !== 'lightgbm' && saved.type !== 'random_forest') throw new InvalidInputError(`saved model type is '${saved.type}'; LightGBMModel.load reads 'lightgbm' and 'random_forest'`);
    const bytes = saved.files[MODEL_FILE];
    if (!bytes) throw new InvalidInputError(`saved ${saved.type} model has no ${MODEL_FILE} (files: ${Object.keys(saved.files).join(', ') || 'none'})`);
    const parsed = SavedStateSchema.safeParse(saved.state);
    if (!parsed.success) throw new InvalidInputError(`saved ${saved.type} model has an invalid state: ${z.prettifyError(parsed.error)}`);
    const state = parsed.data;
    const model = await LightGBMModel.create(state.options as LightGBMOptions, library);
    if (model.type !== saved.type) throw new InvalidInputError(`saved model type '${saved.type}' contradicts its options (boosting '${model.options.boosting}')`);
    model.install(new TextDecoder().decode(bytes), state);
    return model;
  }

  /** The LightGBM parameters these options produce (what the worker passes to the C API). */
  get params(): Record<string, string> {
    return lightgbmParams(this.options);
  }

  /**
   * Trains off the main thread. With `valid`, evaluates multi_logloss on it after every round,
   * stops after `earlyStoppingRounds` rounds without improvement and keeps the best round.
   * Inputs are copied once (the caller's arrays are never detached). A second fit replaces the first.
   */
  async fit(train: TrainingSet, valid?: TrainingSet, fitOptions: LightGBMFitOptions = {}): Promise<FitReport> {
    this.assertNotDisposed();
    if (this.running) throw new ModelStateError(`fit is already running on this ${this.type} model`);
    const trainSet = toNativeDataset(train, 'train', this.options.classWeight);
    if (valid) checkSameColumns(valid.x.columns, train.x.columns, 'valid.x');
    const validSet = valid ? toNativeDataset(valid, 'valid') : undefined;
    const controller = new AbortController();
    this.running = controller;
    const started = performance.now();
    try {
      const result = await trainInWorker(
        {
          libraryPath: this.library.path,
          params: paramString(this.params),
          numIterations: this.options.numIterations,
          earlyStoppingRounds: this.options.earlyStoppingRounds,
          train: trainSet,
          ...(validSet ? { valid: validSet } : {}),
        },
        { profileAs: this.type, onProgress: fitOptions.onProgress, signal: fitOptions.signal ? AbortSignal.any([fitOptions.signal, controller.signal]) : controller.signal },
      );
      this.assertNotDisposed();
      profiler.timeSync(`${this.type}.load`, () => this.install(result.modelText, { bestIteration: result.bestIteration, iterations: result.iterations, columns: [...train.x.columns] }));
      profiler.add(`${this.type}.fit`, performance.now() - started);
      profiler.add(`${this.type}.rounds`, 0, result.iterations);
      return { bestIteration: result.bestIteration, iterations: result.iterations, validHistory: result.validHistory, metric: METRIC };
    } finally {
      this.running = undefined;
    }
  }

  /** Class probabilities, rows × 3 row-major; x must have the training columns, in order. Yields to the event loop between chunks. */
  async predictProba(x: Matrix): Promise<Float64Array> {
    const { booster, columns } = this.fitted();
    checkMatrix(x, 'x');
    checkSameColumns(x.columns, columns, 'x');
    const started = performance.now();
    const out = new Float64Array(x.rows * NUM_CLASS);
    const params = this.options.numThreads > 0 ? `num_threads=${this.options.numThreads}` : '';
    for (let start = 0; start < x.rows; start += PREDICT_CHUNK_ROWS) {
      if (start > 0) {
        await nextTurn();
        if (this.trained?.booster !== booster) throw new ModelStateError(`the ${this.type} model was refitted or disposed during predictProba`);
      }
      const end = Math.min(x.rows, start + PREDICT_CHUNK_ROWS);
      out.set(booster.predict(x.data.subarray(start * x.cols, end * x.cols), end - start, params), start * NUM_CLASS);
    }
    profiler.add(`${this.type}.predict`, performance.now() - started);
    return out;
  }

  /** Total gain or split count per training column (over the kept rounds). */
  featureImportance(kind: ImportanceType): Float64Array {
    if (kind !== 'gain' && kind !== 'split') throw new InvalidInputError(`importance kind '${String(kind)}' is not 'gain' or 'split'`);
    return this.fitted().booster.featureImportance(kind);
  }

  /** files: model.txt (LightGBM's model text, kept rounds only); state: options, LightGBM params, bestIteration, numClass, columns. */
  save(): SavedModel {
    const t = this.fitted();
    return {
      type: this.type,
      library: { name: 'lightgbm', version: this.library.version },
      files: { [MODEL_FILE]: new TextEncoder().encode(t.modelText) },
      state: {
        options: this.options,
        params: this.params,
        bestIteration: t.bestIteration,
        iterations: t.iterations,
        numClass: NUM_CLASS,
        columns: [...t.columns],
        metric: METRIC,
      },
    };
  }

  /** Frees the native booster and cancels a running fit. Idempotent; the model is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.running?.abort(new ModelStateError(`the ${this.type} model was disposed`));
    this.trained?.booster.dispose();
    this.trained = undefined;
  }

  private install(modelText: string, meta: { bestIteration: number; iterations: number; columns: readonly string[] }): void {
    const booster = LightGBMBooster.fromModelText(this.library.path, modelText);
    if (booster.numFeatures !== meta.columns.length || booster.numClasses !== NUM_CLASS) {
      booster.dispose();
      throw new InvalidInputError(
        `LightGBM model text has ${booster.numFeatures} features and ${booster.numClasses} classes; expected ${meta.columns.length} columns and ${NUM_CLASS} classes`,
      );
    }
    this.trained?.booster.dispose();
    this.trained = { booster, modelText, ...meta };
  }

  private fitted(): Trained {
    this.assertNotDisposed();
    if (!this.trained) throw new ModelStateError(`the ${this.type} model has not been fitted (call fit or LightGBMModel.load first)`);
    return this.trained;
  }

  private assertNotDisposed(): void {
    if (this.disposed) throw new ModelStateError(`the ${this.type} model has been disposed`);
  }
}

function installedLibrary(): LightGBMLibraryLocation {
  const tools = toolPaths();
  return { path: tools.lightgbmLib, version: tools.lightgbmVersion };
}

/** Throws unless `actual` are the training columns in the same order, naming the first difference. */
function checkSameColumns(actual: readonly string[], expected: readonly string[], what: string): void {
  if (actual.length !== expected.length) throw new InvalidInputError(`${what} has ${actual.length} columns; the model was trained on ${expected.length}`);
  const i = actual.findIndex((name, k) => name !== expected[k]);
  if (i >= 0) throw new InvalidInputError(`${what} column ${i} is '${actual[i]}'; the model was trained with '${expected[i]}' there`);
}
