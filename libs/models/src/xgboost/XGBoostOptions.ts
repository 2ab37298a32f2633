import { z } from 'zod';
import { InvalidInputError } from '@ares/data';

const positive = z.number().positive();

/**
 * Options of the XGBoost model (multiclass, three classes: see core/labelMap.ts). Names are the
 * camelCase of the scikit-learn wrapper's; each comment names the XGBoost parameter it sets.
 * Defaults are XGBoost's own except `learningRate` (0.3 in XGBoost) and the round counts, which
 * XGBoost leaves to the caller.
 */
export const XGBoostOptionsSchema = z.strictObject({
  /** XGBoost `objective`. Only class probabilities make sense for the ensemble. @default 'multi:softprob' */
  objective: z.literal('multi:softprob').default('multi:softprob'),
  /** XGBoost `num_class`: the three trading labels −1/0/1 as classes 0/1/2. @default 3 */
  numClass: z.literal(3).default(3),
  /** Boosting rounds at most (early stopping may use fewer). @default 500 */
  nEstimators: z.number().int().min(1).max(100_000).default(500),
  /** XGBoost `eta`: shrinkage of each tree's contribution. @default 0.05 */
  learningRate: z.number().positive().max(1).default(0.05),
  /** XGBoost `max_depth`. @default 6 */
  maxDepth: z.number().int().min(1).max(64).default(6),
  /** XGBoost `min_child_weight`: minimum sum of hessians in a leaf. @default 1 */
  minChildWeight: z.number().min(0).default(1),
  /** XGBoost `subsample`: fraction of rows sampled per tree (drawn from `seed`). @default 1 */
  subsample: z.number().positive().max(1).default(1),
  /** XGBoost `colsample_bytree`: fraction of columns sampled per tree (drawn from `seed`). @default 1 */
  colsampleBytree: z.number().positive().max(1).default(1),
  /** XGBoost `alpha`: L1 regularisation of leaf weights. @default 0 */
  regAlpha: z.number().min(0).default(0),
  /** XGBoost `lambda`: L2 regularisation of leaf weights. @default 1 */
  regLambda: z.number().min(0).default(1),
  /** XGBoost `tree_method`. @default 'hist' */
  treeMethod: z.enum(['hist', 'approx', 'exact']).default('hist'),
  /** XGBoost `nthread` for training and prediction; 0 = every core XGBoost sees. @default 0 */
  nthread: z.number().int().min(0).max(1024).default(0),
  /** XGBoost `seed`: with the same seed, data and thread count, training reproduces bit for bit. @default 0 */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /**
   * Class weights, multiplied into each training row's weight: 'balanced' gives class c the
   * weight n / (3 · n_c) (scikit-learn's formula), a tuple gives classes 0, 1, 2 their weights.
   * The validation set keeps its own weights, so early stopping measures the unweighted loss.
   * @default undefined (no class weights)
   */
  classWeight: z.union([z.literal('balanced'), z.tuple([positive, positive, positive])]).optional(),
  /**
   * With a validation set, training stops after this many rounds without a lower validation
   * mlogloss and the model predicts with the best round. @default 50
   */
  earlyStoppingRounds: z.number().int().min(1).default(50),
  /**
   * Further XGBoost parameters, passed verbatim to XGBoosterSetParam after the ones above (e.g.
   * `{ max_bin: 128, grow_policy: 'lossguide' }`). XGBoost validates them: a bad value fails fit
   * with XGBoost's message. Parameters the fields above already set are rejected.
   * @default {}
   */
  extraParams: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

/** Options as callers write them (every field optional). */
export type XGBoostOptions = z.input<typeof XGBoostOptionsSchema>;
/** Options with defaults applied; JSON-serialisable (saved with the model). */
export type CompiledXGBoostOptions = z.output<typeof XGBoostOptionsSchema>;

/** The metric the binding evaluates on the validation set (XGBoost's name for multiclass log loss). */
export const VALID_METRIC = 'mlogloss';

/** XGBoost parameter names (and their aliases) that a typed option sets: extraParams may not set them again. */
const TYPED_PARAMS: Record<string, string> = {
  objective: 'objective',
  num_class: 'numClass',
  n_estimators: 'nEstimators',
  num_boost_round: 'nEstimators',
  eta: 'learningRate',
  learning_rate: 'learningRate',
  max_depth: 'maxDepth',
  min_child_weight: 'minChildWeight',
  subsample: 'subsample',
  colsample_bytree: 'colsampleBytree',
  alpha: 'regAlpha',
  reg_alpha: 'regAlpha',
  lambda: 'regLambda',
  reg_lambda: 'regLambda',
  tree_method: 'treeMethod',
  nthread: 'nthread',
  n_jobs: 'nthread',
  seed: 'seed',
  random_state: 'seed',
  early_stopping_rounds: 'earlyStoppingRounds',
};

/** Applies defaults and rejects bad values and contradictions, naming the option and its value. */
export function compileXGBoostOptions(input: unknown = {}): CompiledXGBoostOptions {
  const parsed = XGBoostOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    const where = path ? `XGBoost option '${path}' = ${describe(valueAt(input, issue.path))}` : 'XGBoost options';
    const hint = issue.code === 'unrecognized_keys' ? ' (options are camelCase, e.g. learningRate; other XGBoost parameters go in extraParams)' : '';
    throw new InvalidInputError(`${where}: ${issue.message}${hint}`);
  }
  rejectDuplicatedParams(parsed.data);
  return parsed.data;
}

function rejectDuplicatedParams(options: CompiledXGBoostOptions): void {
  for (const [name, value] of Object.entries(options.extraParams)) {
    if (name === 'eval_metric') {
      throw new InvalidInputError(`XGBoost option extraParams.eval_metric = ${describe(value)}: the binding evaluates ${VALID_METRIC} for early stopping; remove it`);
    }
    const typed = TYPED_PARAMS[name];
    if (typed) {
      const typedValue = (options as Record<string, unknown>)[typed];
      throw new InvalidInputError(`XGBoost option extraParams.${name} = ${describe(value)} contradicts ${typed} = ${describe(typedValue)}: set ${typed} instead`);
    }
  }
}

/** The XGBoosterSetParam calls for `options`, in order. */
export function boosterParams(options: CompiledXGBoostOptions): [string, string][] {
  const params: [string, string][] = [
    ['objective', options.objective],
    ['num_class', String(options.numClass)],
    ['eta', String(options.learningRate)],
    ['max_depth', String(options.maxDepth)],
    ['min_child_weight', String(options.minChildWeight)],
    ['subsample', String(options.subsample)],
    ['colsample_bytree', String(options.colsampleBytree)],
    ['alpha', String(options.regAlpha)],
    ['lambda', String(options.regLambda)],
    ['tree_method', options.treeMethod],
    ['seed', String(options.seed)],
    ['eval_metric', VALID_METRIC],
    // Warnings only (e.g. unused parameters), and warn about misspelt extraParams.
    ['verbosity', '1'],
    ['validate_parameters', '1'],
  ];
  if (options.nthread > 0) params.push(['nthread', String(options.nthread)]);
  for (const [name, value] of Object.entries(options.extraParams)) params.push([name, String(value)]);
  return params;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}
