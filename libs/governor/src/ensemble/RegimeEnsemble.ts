import {
  accuracy,
  argmaxRows,
  BundleError,
  createModel as createLibraryModel,
  fitWithEarlyStopping,
  labelTimesOf,
  loadModel,
  MissingFeatureError,
  ModelStateError,
  selectColumns,
  StandardScaler,
  StandardScalerStateSchema,
  type LabelTimes,
  type Matrix,
  type Model,
  type TrainingSet,
} from '@ares/models';
import { z } from 'zod';
import { stackFeatures } from '../stacking/metaFeatures';
import { outOfFoldProbabilities, type BaseModelSpec, type IndexFold, type ModelFactory, type OofCheckpoint } from '../stacking/outOfFold';
import { StackingInputError } from '../stacking/errors';
import { InsufficientRegimeRowsError } from './errors';
import { deserializeModel, SerializedModelSchema, serializeModel } from '../serializedModel';

const K = 3;

/**
 * Fewest training rows a regime needs for its own stacked ensemble. Below it, 3 base models × K
 * folds plus a meta-learner on the out-of-fold rows overfit a handful of samples (with 5 folds,
 * each fold model sees ~240 rows and the meta-learner ~300 rows of 9 features), so
 * `RegimeEnsemble.train` throws `InsufficientRegimeRowsError` and the caller falls back to the
 * pooled model for that regime (see the error's contract).
 */
export const MIN_REGIME_ROWS = 300;

/** Fewest out-of-fold rows (covered by some test fold) the meta-learner is trained on. */
export const MIN_META_ROWS = 100;

/** Default base models: LightGBM, a random forest (LightGBM rf) and XGBoost, with library defaults. */
export const DEFAULT_BASE_MODELS: readonly BaseModelSpec[] = [
  { name: 'lightgbm', type: 'lightgbm', options: {} },
  { name: 'random_forest', type: 'random_forest', options: {} },
  { name: 'xgboost', type: 'xgboost', options: {} },
];

/** The meta-learner: a model type and its options. */
export interface MetaModelSpec {
  readonly type: string;
  readonly options: Record<string, unknown>;
}

/** Default meta-learner: a small LightGBM (few leaves: it sees only 3 × base-model probabilities). */
export const DEFAULT_META_MODEL: MetaModelSpec = { type: 'lightgbm', options: { numIterations: 100, numLeaves: 8 } };

export interface RegimeEnsembleOptions {
  /** Regime name (recorded in the manifest and in errors). */
  regime: string;
  /** Base models; @default DEFAULT_BASE_MODELS. Names must be unique. */
  baseModels?: readonly BaseModelSpec[];
  /** Meta-learner; @default DEFAULT_META_MODEL. */
  meta?: MetaModelSpec;
  /** Seed for preprocessing and, where a model's options give none, for every model (`seed` option). */
  seed: number;
  /**
   * Standardise features (per fold for the out-of-fold models, on all rows for the final ones).
   * @default true
   */
  scale?: boolean;
  /** Minimum training rows; @default MIN_REGIME_ROWS. */
  minRows?: number;
  /** Cancels between folds / models and inside fit. */
  signal?: AbortSignal;
  /** Model factory; @default createModel from @ares/models (tests inject instrumented models). */
  createModel?: ModelFactory;
  /** Resume support for the out-of-fold stage (passed to outOfFoldProbabilities; the meta-learner and final base models are always refitted). */
  checkpoint?: OofCheckpoint;
  /**
   * Called after each step with steps done and total, where total = base models × non-empty folds
   * (out-of-fold steps, loaded from the checkpoint or fitted) + 1 (meta-learner) + base models
   * (final fits on all rows). The last call has done === total.
   */
  onProgress?: (done: number, total: number) => void;
  /**
   * Label intervals of `data`'s rows. With them every boosted fit (out-of-fold base models, the
   * meta-learner, the final base models) early-stops on the latest of its own training rows.
   */
  labelTimes?: LabelTimes;
}

/** What training measured (JSON-serialisable; stored in the manifest). */
export interface RegimeEnsembleReport {
  regime: string;
  /** Training rows given. */
  rows: number;
  /** Rows with out-of-fold probabilities from every base model: the meta-learner's training rows. */
  oofRows: number;
  /** Rows in no test fold (no out-of-fold probabilities; not used by the meta-learner). */
  uncoveredRows: number;
  folds: number;
  /** Training rows per class 0..2 (down, flat, up). */
  classCounts: number[];
  /** Per base model: accuracy of its out-of-fold predictions on the oofRows. */
  baseOofAccuracy: Record<string, number>;
  /** Meta-learner accuracy on its own training rows (the out-of-fold stack) — in-sample, optimistic. */
  metaTrainAccuracy: number;
}

/** `predictDetailed` output. */
export interface EnsemblePrediction {
  /** Meta-learner probabilities, rows × 3. */
  proba: Float64Array;
  /** Per base model name, its probabilities rows × 3 (the meta-learner's inputs). */
  base: Record<string, Float64Array>;
}

const ReportSchema = z.object({
  regime: z.string(),
  rows: z.number(),
  oofRows: z.number(),
  uncoveredRows: z.number(),
  folds: z.number(),
  classCounts: z.array(z.number()),
  baseOofAccuracy: z.record(z.string(), z.number()),
  metaTrainAccuracy: z.number(),
});

export const RegimeEnsembleManifestSchema = z
  .object({
    kind: z.literal('regime_ensemble'),
    version: z.literal(1),
    regime: z.string().min(1),
    /** Feature columns, in the order the models were trained on. */
    columns: z.array(z.string()),
    /** Scaler fitted on all training rows, or null when scale was false. */
    scaler: StandardScalerStateSchema.nullable(),
    baseModels: z.array(z.object({ name: z.string().min(1), type: z.string(), options: z.record(z.string(), z.unknown()), saved: SerializedModelSchema }).strict()).min(1),
    meta: z.object({ type: z.string(), options: z.record(z.string(), z.unknown()), saved: SerializedModelSchema }).strict(),
    report: ReportSchema,
  })
  .strict();
export type RegimeEnsembleManifest = z.output<typeof RegimeEnsembleManifestSchema>;

/** A saved ensemble: plain JSON (model files base64-encoded inside the manifest). */
export interface SavedRegimeEnsemble {
  manifest: RegimeEnsembleManifest;
}

interface NamedModel {
  readonly name: string;
  readonly type: string;
  readonly options: Record<string, unknown>;
  readonly model: Model;
}

/**
 * The stacked ensemble of one regime: base models (default LightGBM, random forest, XGBoost) whose
 * class probabilities feed a LightGBM meta-learner. The meta-learner is trained on the base models'
 * OUT-OF-FOLD probabilities (folds from the caller); the final base models are then refitted on all
 * the regime's training rows for prediction.
 *
 * ```ts
 * const ens = await RegimeEnsemble.train(train, folds, { regime: 'trend_up', seed: 7 });
 * const proba = await ens.predictProba(x);               // rows × 3
 * const json = JSON.stringify(ens.save());               // …later
 * const again = await RegimeEnsemble.load(JSON.parse(json));
 * ens.dispose();
 * ```
 */
export class RegimeEnsemble {
  private disposed = false;

  private constructor(
    readonly regime: string,
    /** Feature columns the models were trained on (prediction input is selected by these names). */
    readonly columns: readonly string[],
    private readonly scaler: StandardScaler | null,
    private readonly bases: readonly NamedModel[],
    private readonly meta: { readonly type: string; readonly options: Record<string, unknown>; readonly model: Model },
    readonly report: RegimeEnsembleReport,
  ) {}

  /** Base model names, in meta-feature order. */
  get baseNames(): string[] {
    return this.bases.map((b) => b.name);
  }

  /**
   * Trains the ensemble: (1) out-of-fold probabilities of every base model over `folds`;
   * (2) the meta-learner on the rows every base model covered; (3) the final base models on ALL
   * rows of `data` (scaler fitted on them). Throws InsufficientRegimeRowsError below `minRows`
   * training rows or MIN_META_ROWS out-of-fold rows. Models created here are disposed on failure.
   */
  static async train(data: TrainingSet, folds: readonly IndexFold[], options: RegimeEnsembleOptions): Promise<RegimeEnsemble> {
    const { regime } = options;
    if (typeof regime !== 'string' || regime.length === 0) throw new StackingInputError('RegimeEnsemble.train: regime must be a non-empty string');
    const rows = data.x.rows;
    const minRows = options.minRows ?? MIN_REGIME_ROWS;
    if (rows < minRows) throw new InsufficientRegimeRowsError(regime, rows, minRows, 'train');
    const specs = (options.baseModels ?? DEFAULT_BASE_MODELS).map((s) => ({ ...s, options: withSeed(s.options, options.seed) }));
    const metaSpec = options.meta ?? DEFAULT_META_MODEL;
    const metaOptions = withSeed(metaSpec.options, options.seed);
    const factory = options.createModel ?? createLibraryModel;
    const scale = options.scale ?? true;
    const control = options.signal === undefined ? undefined : { signal: options.signal };

    const oofSteps = specs.length * folds.filter((fold) => fold.test.length > 0).length;
    const total = oofSteps + 1 + specs.length;
    let done = oofSteps;
    const progress = options.onProgress;
    const step = progress === undefined ? () => undefined : () => progress(++done, total);

    // (1) Out-of-fold base probabilities.
    const oof = await outOfFoldProbabilities(data, folds, specs, {
      seed: options.seed,
      scale,
      createModel: factory,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
      ...(progress === undefined ? {} : { onProgress: (d: number) => progress(d, total) }),
      ...(options.labelTimes === undefined ? {} : { labelTimes: options.labelTimes }),
    });
    const stacked = stackFeatures(oof.probabilities, oof.names);
    if (stacked.x.rows < MIN_META_ROWS) throw new InsufficientRegimeRowsError(regime, stacked.x.rows, MIN_META_ROWS, 'meta');
    const metaY = Int32Array.from(stacked.rows, (i) => data.y[i]!);
    const baseOofAccuracy: Record<string, number> = {};
    oof.names.forEach((name, m) => {
      const p = oof.probabilities[m]!;
      const sub = new Float64Array(stacked.rows.length * K);
      stacked.rows.forEach((i, r) => sub.set(p.subarray(i * K, (i + 1) * K), r * K));
      baseOofAccuracy[name] = accuracy(metaY, argmaxRows(sub));
    });

    const created: Model[] = [];
    try {
      // (2) Meta-learner on the out-of-fold stack.
      const metaModel = await factory(metaSpec.type, metaOptions);
      created.push(metaModel);
      const metaWeight = data.weight === undefined ? undefined : Float32Array.from(stacked.rows, (i) => data.weight![i]!);
      const metaSet = metaWeight === undefined ? { x: stacked.x, y: metaY } : { x: stacked.x, y: metaY, weight: metaWeight };
      await fitWithEarlyStopping(metaModel, metaSet, options.labelTimes === undefined ? undefined : labelTimesOf(options.labelTimes, stacked.rows), control);
      const metaTrainAccuracy = accuracy(metaY, argmaxRows(await metaModel.predictProba(stacked.x)));
      step();

      // (3) Final base models on all rows.
      const scaler = scale ? StandardScaler.fit(data.x) : null;
      const all: TrainingSet = scaler === null ? data : { ...data, x: scaler.transform(data.x) };
      const bases: NamedModel[] = [];
      for (const spec of specs) {
        options.signal?.throwIfAborted();
        const model = await factory(spec.type, spec.options);
        created.push(model);
        await fitWithEarlyStopping(model, all, options.labelTimes, control);
        bases.push({ name: spec.name, type: spec.type, options: spec.options, model });
        step();
      }

      const classCounts = [0, 0, 0];
      for (const y of data.y) classCounts[y] = (classCounts[y] ?? 0) + 1;
      const report: RegimeEnsembleReport = {
        regime,
        rows,
        oofRows: stacked.x.rows,
        uncoveredRows: oof.uncovered.length,
        folds: folds.length,
        classCounts,
        baseOofAccuracy,
        metaTrainAccuracy,
      };
      return new RegimeEnsemble(regime, [...data.x.columns], scaler, bases, { type: metaSpec.type, options: metaOptions, model: metaModel }, report);
    } catch (error) {
      for (const m of created) m.dispose();
      throw error;
    }
  }

  /** Meta-learner class probabilities, rows × 3 ([p_down, p_flat, p_up] per row). */
  async predictProba(x: Matrix): Promise<Float64Array> {
    return (await this.predictDetailed(x)).proba;
  }

  /**
   * Meta-learner probabilities plus each base model's (the meta-features). `x` may hold extra
   * columns or another order: the training columns are selected by name (a missing one throws
   * MissingFeatureError).
   */
  async predictDetailed(x: Matrix): Promise<EnsemblePrediction> {
    this.assertLive('predict');
    const selected = selectColumns(x, this.columns, (c) => new MissingFeatureError(`RegimeEnsemble: input lacks feature column '${c}'`));
    const input = this.scaler === null ? selected : this.scaler.transform(selected);
    const base: Record<string, Float64Array> = {};
    const probabilities: Float64Array[] = [];
    for (const b of this.bases) {
      const p = await b.model.predictProba(input);
      if (p.length !== x.rows * K) throw new StackingInputError(`RegimeEnsemble(${this.regime}): base model '${b.name}' returned ${p.length} values for ${x.rows} rows`);
      base[b.name] = p;
      probabilities.push(p);
    }
    const stacked = stackFeatures(probabilities, this.baseNames);
    if (stacked.x.rows !== x.rows) throw new StackingInputError(`RegimeEnsemble(${this.regime}): base models gave non-finite probabilities for ${x.rows - stacked.x.rows} of ${x.rows} rows`);
    this.assertLive('predict');
    const proba = await this.meta.model.predictProba(stacked.x);
    return { proba, base };
  }

  /** JSON-serialisable snapshot (model files base64-encoded). `load(save())` predicts bit-identically. */
  save(): SavedRegimeEnsemble {
    this.assertLive('save');
    return {
      manifest: {
        kind: 'regime_ensemble',
        version: 1,
        regime: this.regime,
        columns: [...this.columns],
        scaler: this.scaler === null ? null : this.scaler.toJSON(),
        baseModels: this.bases.map((b) => ({ name: b.name, type: b.type, options: b.options, saved: serializeModel(b.model.save()) })),
        meta: { type: this.meta.type, options: this.meta.options, saved: serializeModel(this.meta.model.save()) },
        report: structuredClone(this.report),
      },
    };
  }

  /** Restores an ensemble from `save()` output (also after a JSON round trip); BundleError on a malformed one. */
  static async load(saved: unknown): Promise<RegimeEnsemble> {
    const parsed = z.object({ manifest: RegimeEnsembleManifestSchema }).safeParse(saved);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new BundleError(`RegimeEnsemble.load: ${issue.path.length > 0 ? `'${issue.path.join('.')}': ` : ''}${issue.message}`);
    }
    const m = parsed.data.manifest;
    const names = m.baseModels.map((b) => b.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) throw new BundleError(`RegimeEnsemble.load: base model name '${duplicate}' is used twice`);
    const scaler = m.scaler === null ? null : StandardScaler.fromJSON(m.scaler);
    const loaded: Model[] = [];
    try {
      const bases: NamedModel[] = [];
      for (const b of m.baseModels) {
        const model = await loadModel(deserializeModel(b.saved));
        loaded.push(model);
        bases.push({ name: b.name, type: b.type, options: b.options, model });
      }
      const metaModel = await loadModel(deserializeModel(m.meta.saved));
      loaded.push(metaModel);
      return new RegimeEnsemble(m.regime, m.columns, scaler, bases, { type: m.meta.type, options: m.meta.options, model: metaModel }, m.report);
    } catch (error) {
      for (const model of loaded) model.dispose();
      throw error;
    }
  }

  /** Frees every model (base and meta). Idempotent; predict/save afterwards throw ModelStateError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.bases) b.model.dispose();
    this.meta.model.dispose();
  }

  private assertLive(what: string): void {
    if (this.disposed) throw new ModelStateError(`RegimeEnsemble(${this.regime}): ${what} after dispose()`);
  }
}

function withSeed(options: Record<string, unknown>, seed: number): Record<string, unknown> {
  return 'seed' in options ? { ...options } : { ...options, seed };
}
