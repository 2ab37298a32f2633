import { InvalidInputError } from '@ares/data';
import { z } from 'zod';

/**
 * LightGBM training options. Names are camelCase; each field names the LightGBM parameter it sets
 * (and the scikit-learn alias where one exists). The objective is always `multiclass` with
 * `num_class=3` and the metric `multi_logloss`.
 */
export interface LightGBMOptions {
  /**
   * `boosting`: 'gbdt' (gradient boosting) or 'rf' (random forest: trees fitted independently on
   * bagged rows and averaged). 'rf' requires bagging: baggingFraction < 1 and baggingFreq >= 1
   * (see createRandomForest for sensible defaults).
   * @default 'gbdt'
   */
  boosting?: 'gbdt' | 'rf';
  /** `num_iterations` (sklearn `n_estimators`): boosting rounds; each round adds one tree per class. @default 100 */
  numIterations?: number;
  /** `learning_rate` (shrinkage). Unused by 'rf'. @default 0.1 */
  learningRate?: number;
  /** `num_leaves`: maximum leaves per tree. @default 31 */
  numLeaves?: number;
  /** `max_depth`: maximum tree depth; <= 0 means no limit. @default -1 */
  maxDepth?: number;
  /** `min_data_in_leaf` (sklearn `min_child_samples`). @default 20 */
  minDataInLeaf?: number;
  /** `feature_fraction` (sklearn `colsample_bytree`): share of features sampled per tree, in (0, 1]. @default 1 */
  featureFraction?: number;
  /** `bagging_fraction` (sklearn `subsample`): share of rows sampled, in (0, 1]; needs baggingFreq >= 1 when < 1. @default 1 */
  baggingFraction?: number;
  /** `bagging_freq` (sklearn `subsample_freq`): re-sample rows every k rounds; 0 disables bagging. @default 0 */
  baggingFreq?: number;
  /** `lambda_l1` (sklearn `reg_alpha`). @default 0 */
  lambdaL1?: number;
  /** `lambda_l2` (sklearn `reg_lambda`). @default 0 */
  lambdaL2?: number;
  /**
   * Class weights, multiplied into any per-row weights of the training set: 'balanced' gives class
   * c the weight n / (3 · n_c) (scikit-learn's formula); three numbers weight classes 0, 1, 2.
   * Validation rows keep their own weights only. Unset: no class weighting.
   * @default undefined
   */
  classWeight?: 'balanced' | readonly [number, number, number];
  /**
   * With a validation set: stop after this many rounds without a lower validation multi_logloss
   * and keep the best round (the C API has no early stopping; the binding does it). 0 trains all
   * rounds and keeps them all.
   * @default 50
   */
  earlyStoppingRounds?: number;
  /**
   * `num_threads` for training and prediction; 0 lets OpenMP choose (all cores). With
   * deterministic=true the model does not depend on it. LightGBM keeps the thread count in one
   * process-wide variable, so fits and predictions that overlap in one process should use the same value.
   * @default 0
   */
  numThreads?: number;
  /**
   * `seed`; the binding also sets `bagging_seed` = seed + 1, `feature_fraction_seed` = seed + 2 and
   * `data_random_seed` = seed + 3, with `deterministic=true`: same seed, data, options and thread
   * count give bit-identical models.
   * @default 42
   */
  seed?: number;
  /**
   * `force_row_wise=true` or `force_col_wise=true`. Forcing one makes training reproducible:
   * otherwise LightGBM picks by timing both, and the two sum histograms in different orders.
   * @default 'row_wise'
   */
  histogramLayout?: 'row_wise' | 'col_wise';
  /**
   * Any other LightGBM parameters, passed through verbatim (e.g. `{ max_bin: 63 }`). Parameters
   * the options above set cannot be given here.
   * @default {}
   */
  extraParams?: Readonly<Record<string, string | number | boolean>>;
}

/** Options with defaults applied and contradictions rejected (JSON-serialisable; saved with the model). */
export type CompiledLightGBMOptions = z.output<typeof LightGBMOptionsSchema>;

const positiveWeight = z.number().positive().finite();

/** The zod schema behind compileLightGBMOptions (unknown keys are rejected, so typos fail). */
export const LightGBMOptionsSchema = z.strictObject({
  boosting: z.enum(['gbdt', 'rf']).default('gbdt'),
  numIterations: z.number().int().min(1).default(100),
  learningRate: z.number().positive().finite().default(0.1),
  numLeaves: z.number().int().min(2).max(131072).default(31),
  maxDepth: z.number().int().default(-1),
  minDataInLeaf: z.number().int().min(0).default(20),
  featureFraction: z.number().gt(0).max(1).default(1),
  baggingFraction: z.number().gt(0).max(1).default(1),
  baggingFreq: z.number().int().min(0).default(0),
  lambdaL1: z.number().min(0).finite().default(0),
  lambdaL2: z.number().min(0).finite().default(0),
  classWeight: z.union([z.literal('balanced'), z.tuple([positiveWeight, positiveWeight, positiveWeight]).readonly()]).optional(),
  earlyStoppingRounds: z.number().int().min(0).default(50),
  numThreads: z.number().int().min(0).default(0),
  seed: z.number().int().min(0).max(2 ** 31 - 8).default(42),
  histogramLayout: z.enum(['row_wise', 'col_wise']).default('row_wise'),
  extraParams: z
    .record(z.string().regex(/^[A-Za-z0-9_]+$/, 'parameter names are letters, digits and _'), z.union([z.string().regex(/^\S+$/, 'values have no spaces'), z.number(), z.boolean()]))
    .default({}),
});

// Compile-time guard: the documented interface and the schema accept the same options.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _interfaceMatchesSchema: Same<Required<LightGBMOptions>, Required<z.input<typeof LightGBMOptionsSchema>>> = true;

/** LightGBM parameter → the option that sets it (extraParams may not repeat these). */
const MANAGED_PARAMS: Record<string, string> = {
  objective: '(fixed: multiclass)',
  num_class: '(fixed: 3)',
  metric: '(fixed: multi_logloss)',
  boosting: 'boosting',
  num_iterations: 'numIterations',
  n_estimators: 'numIterations',
  learning_rate: 'learningRate',
  num_leaves: 'numLeaves',
  max_depth: 'maxDepth',
  min_data_in_leaf: 'minDataInLeaf',
  feature_fraction: 'featureFraction',
  bagging_fraction: 'baggingFraction',
  bagging_freq: 'baggingFreq',
  lambda_l1: 'lambdaL1',
  reg_alpha: 'lambdaL1',
  lambda_l2: 'lambdaL2',
  reg_lambda: 'lambdaL2',
  num_threads: 'numThreads',
  seed: 'seed',
  bagging_seed: 'seed',
  feature_fraction_seed: 'seed',
  data_random_seed: 'seed',
  deterministic: '(fixed: true)',
  force_row_wise: 'histogramLayout',
  force_col_wise: 'histogramLayout',
  verbosity: '(fixed: -1)',
  early_stopping_round: 'earlyStoppingRounds',
};

/** Applies defaults and rejects invalid or contradictory options with an InvalidInputError naming the fields and values. */
export function compileLightGBMOptions(input: LightGBMOptions = {}): CompiledLightGBMOptions {
  const parsed = LightGBMOptionsSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}${'input' in i && i.input !== undefined ? ` = ${JSON.stringify(i.input)}` : ''}: ${i.message}`);
    throw new InvalidInputError(`invalid LightGBM options: ${problems.join('; ')}`);
  }
  const o = parsed.data;
  if (o.boosting === 'rf' && !(o.baggingFraction < 1 && o.baggingFreq >= 1)) {
    throw new InvalidInputError(
      `boosting 'rf' (random forest) requires bagging: baggingFraction (bagging_fraction) must be < 1 and baggingFreq (bagging_freq) >= 1; ` +
        `got baggingFraction=${o.baggingFraction}, baggingFreq=${o.baggingFreq}`,
    );
  }
  if (o.baggingFraction < 1 && o.baggingFreq === 0) {
    throw new InvalidInputError(`baggingFraction=${o.baggingFraction} has no effect while baggingFreq=0: set baggingFreq >= 1 to bag every k rounds, or baggingFraction=1`);
  }
  for (const key of Object.keys(o.extraParams)) {
    const owner = MANAGED_PARAMS[key];
    if (owner) throw new InvalidInputError(`extraParams.${key} is set by the options (${owner}); set it there instead`);
  }
  return o;
}

/** The LightGBM parameter map for compiled options, in a stable order (the same map goes to Python in the parity test and the benchmark). */
export function lightgbmParams(o: CompiledLightGBMOptions): Record<string, string> {
  const params: Record<string, string | number | boolean> = {
    objective: 'multiclass',
    num_class: 3,
    metric: 'multi_logloss',
    boosting: o.boosting,
    num_iterations: o.numIterations,
    learning_rate: o.learningRate,
    num_leaves: o.numLeaves,
    max_depth: o.maxDepth,
    min_data_in_leaf: o.minDataInLeaf,
    feature_fraction: o.featureFraction,
    bagging_fraction: o.baggingFraction,
    bagging_freq: o.baggingFreq,
    lambda_l1: o.lambdaL1,
    lambda_l2: o.lambdaL2,
    num_threads: o.numThreads,
    seed: o.seed,
    bagging_seed: o.seed + 1,
    feature_fraction_seed: o.seed + 2,
    data_random_seed: o.seed + 3,
    deterministic: true,
    [o.histogramLayout === 'row_wise' ? 'force_row_wise' : 'force_col_wise']: true,
    verbosity: -1,
    ...o.extraParams,
  };
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
}

/** The `key=value key=value` string the C API takes. */
export function paramString(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
