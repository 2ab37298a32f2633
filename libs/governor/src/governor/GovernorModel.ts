import {
  BundleError,
  createModel,
  loadModel,
  ModelStateError,
  selectRows,
  StandardScaler,
  StandardScalerStateSchema,
  type FitReport,
  type Matrix,
  type Model,
  type TrainingSet,
} from '@ares/models';
import { z } from 'zod';
import { GovernorInputError } from './errors';
import { deserializeModel, SerializedModelSchema, serializeModel } from '../serializedModel';

const K = 3;

/**
 * Label encoding of the governor: class index c ↔ trading label GOVERNOR_LABELS[c]
 * (0 ↔ −1 down/SELL, 1 ↔ 0 flat/HOLD, 2 ↔ +1 up/BUY). Stored in every saved governor.
 */
export const GOVERNOR_LABELS = [-1, 0, 1] as const;

/** Default decision threshold: below this max probability the governor holds. */
export const DEFAULT_DECISION_THRESHOLD = 0.55;

/** Default meta-learner: a small LightGBM that early-stops on the chronologically later slice. */
export const DEFAULT_GOVERNOR_OPTIONS: Readonly<Record<string, unknown>> = { numLeaves: 8, numIterations: 300, earlyStoppingRounds: 30 };

export type GovernorDecision = 'BUY' | 'SELL' | 'HOLD';

/**
 * Trading decision for one probability row [p_down, p_flat, p_up]: HOLD when the max probability
 * is below `threshold` (strictly) or the argmax (ties to the lower class) is the flat class; else
 * BUY for up, SELL for down. A max probability equal to the threshold trades.
 */
export function decide(proba: ArrayLike<number>, threshold = DEFAULT_DECISION_THRESHOLD): GovernorDecision {
  if (proba.length !== K) throw new GovernorInputError(`decide: expected ${K} probabilities, got ${proba.length}`);
  let best = 0;
  for (let c = 1; c < K; c++) if (proba[c]! > proba[best]!) best = c;
  const max = proba[best]!;
  if (!(max >= threshold)) return 'HOLD';
  const label = GOVERNOR_LABELS[best]!;
  return label === 1 ? 'BUY' : label === -1 ? 'SELL' : 'HOLD';
}

export interface GovernorTrainOptions {
  /**
   * First row of the validation slice. Rows [0, validFrom) train the scaler and the model; rows
   * [validFrom, n) — which must be chronologically AFTER the training rows (rows in time order) —
   * are used only for early stopping. Never shuffled folds.
   */
  validFrom: number;
  /** LightGBM seed (unless `options.seed` is given). */
  seed: number;
  /** LightGBM options merged over DEFAULT_GOVERNOR_OPTIONS. */
  options?: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface GovernorPrediction {
  /** rows × 3, row-major [p_down, p_flat, p_up]. */
  readonly proba: Float64Array;
  /** Trading label −1/0/1 of the argmax class per row (via GOVERNOR_LABELS). */
  readonly prediction: Int8Array;
  /** Max probability per row. */
  readonly confidence: Float64Array;
  /** decide() of each row at the given threshold. */
  readonly decision: GovernorDecision[];
}

const FitReportSchema = z.object({ bestIteration: z.number(), iterations: z.number(), validHistory: z.array(z.number()), metric: z.string() }).strict();

export const GovernorManifestSchema = z
  .object({
    kind: z.literal('governor'),
    version: z.literal(1),
    columns: z.array(z.string()).min(1),
    /** labels[c] = trading label of class index c. */
    labels: z.tuple([z.literal(-1), z.literal(0), z.literal(1)]),
    scaler: StandardScalerStateSchema,
    options: z.record(z.string(), z.unknown()),
    trainRows: z.number().int().min(1),
    validRows: z.number().int().min(1),
    fit: FitReportSchema,
    model: SerializedModelSchema,
  })
  .strict();
export type GovernorManifest = z.output<typeof GovernorManifestSchema>;

export interface SavedGovernor {
  manifest: GovernorManifest;
}

/**
 * The governor's meta-learner: a small LightGBM over `governorFeatures` (regime one-hot + each
 * ensemble's predicted class and confidence) that learns which ensemble to trust in which regime.
 *
 * ```ts
 * const gov = await GovernorModel.train(feat.x, labels, { validFrom: Math.floor(feat.x.rows * 0.8), seed: 7 });
 * const { decision } = await gov.predict(liveX);           // 'BUY' | 'SELL' | 'HOLD' per row
 * const again = await GovernorModel.load(JSON.parse(JSON.stringify(gov.save())));
 * ```
 */
export class GovernorModel {
  private disposed = false;

  private constructor(
    readonly columns: readonly string[],
    private readonly scaler: StandardScaler,
    private readonly model: Model,
    readonly options: Record<string, unknown>,
    /** What fit() reported (best iteration under early stopping on the later slice). */
    readonly fitReport: FitReport,
    readonly trainRows: number,
    readonly validRows: number,
  ) {}

  /**
   * Fits the scaler on rows [0, validFrom) only, trains LightGBM on them and early-stops on the
   * chronologically later rows [validFrom, n). `y` holds trading labels −1/0/1 (mapped to class
   * indices through GOVERNOR_LABELS).
   */
  static async train(x: Matrix, y: ArrayLike<number>, options: GovernorTrainOptions): Promise<GovernorModel> {
    const n = x.rows;
    if (y.length !== n) throw new GovernorInputError(`GovernorModel.train: ${y.length} labels for ${n} rows`);
    const { validFrom } = options;
    if (!Number.isInteger(validFrom) || validFrom < 1 || validFrom >= n) throw new GovernorInputError(`GovernorModel.train: validFrom must be an integer in 1..${n - 1}, got ${validFrom}`);
    const classes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = GOVERNOR_LABELS.indexOf(y[i] as (typeof GOVERNOR_LABELS)[number]);
      if (c < 0) throw new GovernorInputError(`GovernorModel.train: label at row ${i} is ${y[i]}; labels must be -1, 0 or 1`);
      classes[i] = c;
    }
    const all: TrainingSet = { x, y: classes };
    const train = selectRows(all, Int32Array.from({ length: validFrom }, (_, i) => i));
    const valid = selectRows(all, Int32Array.from({ length: n - validFrom }, (_, i) => validFrom + i));
    const scaler = StandardScaler.fit(train.x);
    const modelOptions: Record<string, unknown> = { ...DEFAULT_GOVERNOR_OPTIONS, seed: options.seed, ...(options.options ?? {}) };
    const model = await createModel('lightgbm', modelOptions);
    try {
      const report = await model.fit({ x: scaler.transform(train.x), y: train.y }, { x: scaler.transform(valid.x), y: valid.y }, options.signal === undefined ? undefined : { signal: options.signal });
      return new GovernorModel([...x.columns], scaler, model, modelOptions, report, validFrom, n - validFrom);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /** Mean of each feature over the training slice, as the scaler stores it. */
  get scalerMean(): Float64Array {
    return Float64Array.from(this.scaler.mean);
  }

  /** Probabilities, labels −1/0/1, confidence and decisions (at `threshold`) per row. Columns must match training. */
  async predict(x: Matrix, threshold = DEFAULT_DECISION_THRESHOLD): Promise<GovernorPrediction> {
    this.assertLive('predict');
    const proba = await this.model.predictProba(this.scaler.transform(x));
    const prediction = new Int8Array(x.rows);
    const confidence = new Float64Array(x.rows);
    const decision: GovernorDecision[] = [];
    for (let r = 0; r < x.rows; r++) {
      const row = proba.subarray(r * K, (r + 1) * K);
      let best = 0;
      for (let c = 1; c < K; c++) if (row[c]! > row[best]!) best = c;
      prediction[r] = GOVERNOR_LABELS[best]!;
      confidence[r] = row[best]!;
      decision.push(decide(row, threshold));
    }
    return { proba, prediction, confidence, decision };
  }

  /** JSON-serialisable snapshot: scaler, label map, options, fit report and the native model text (base64). */
  save(): SavedGovernor {
    this.assertLive('save');
    return {
      manifest: {
        kind: 'governor',
        version: 1,
        columns: [...this.columns],
        labels: [...GOVERNOR_LABELS],
        scaler: this.scaler.toJSON(),
        options: JSON.parse(JSON.stringify(this.options)) as Record<string, unknown>,
        trainRows: this.trainRows,
        validRows: this.validRows,
        fit: { ...this.fitReport, validHistory: [...this.fitReport.validHistory] },
        model: serializeModel(this.model.save()),
      },
    };
  }

  /** Restores a governor from `save()` output (also after JSON); predictions are bit-identical. BundleError when malformed. */
  static async load(saved: unknown): Promise<GovernorModel> {
    const parsed = z.object({ manifest: GovernorManifestSchema }).safeParse(saved);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new BundleError(`GovernorModel.load: ${issue.path.length > 0 ? `'${issue.path.join('.')}': ` : ''}${issue.message}`);
    }
    const m = parsed.data.manifest;
    const scaler = StandardScaler.fromJSON(m.scaler);
    const model = await loadModel(deserializeModel(m.model));
    return new GovernorModel(m.columns, scaler, model, m.options, m.fit, m.trainRows, m.validRows);
  }

  /** Frees the native model. Idempotent; predict/save afterwards throw ModelStateError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }

  private assertLive(what: string): void {
    if (this.disposed) throw new ModelStateError(`GovernorModel: ${what} after dispose()`);
  }
}

