import { InvalidInputError } from '@ares/data';
import { z } from 'zod';
import type { ModelType } from './bundle/ModelManifest';
import { UnknownModelTypeError } from './errors';

const penalty = z.number().min(0).finite();

/**
 * The one place regularization is configured: L1/L2 penalties of the tree models (LightGBM,
 * random forest, XGBoost) and dropout/L1/L2 of the LSTM. `applyRegularization` writes it into a
 * model's options, overriding any same-meaning option, so tuning and fixed params cannot fight it.
 */
export const RegularizationConfigSchema = z.strictObject({
  trees: z
    .strictObject({
      /** L1 penalty on leaf weights (LightGBM `lambda_l1`, XGBoost `alpha`). @default 0 */
      l1: penalty.default(0),
      /** L2 penalty on leaf weights (LightGBM `lambda_l2`, XGBoost `lambda`). @default 1 */
      l2: penalty.default(1),
    })
    .default({ l1: 0, l2: 1 }),
  lstm: z
    .strictObject({
      /** Fraction of each LSTM layer's inputs dropped during training, in [0, 1). @default 0.2 */
      dropout: z.number().min(0).lt(1).default(0.2),
      /** L1 penalty on layer kernels. @default 0 */
      l1: penalty.default(0),
      /** L2 penalty on layer kernels. @default 0 */
      l2: penalty.default(0),
    })
    .default({ dropout: 0.2, l1: 0, l2: 0 }),
});

/** Regularization with defaults applied (JSON-serialisable; recorded in the model bundle). */
export type RegularizationConfig = z.output<typeof RegularizationConfigSchema>;

/** Validates a regularization section (undefined means all defaults); InvalidInputError naming each bad field path and value, e.g. `regularization.trees.l2 = -1: …`. */
export function parseRegularization(input: unknown): RegularizationConfig {
  const parsed = RegularizationConfigSchema.safeParse(input === undefined ? {} : input, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const path = ['regularization', ...i.path.map(String)].join('.');
      const value = 'input' in i && i.input !== undefined ? ` = ${JSON.stringify(i.input)}` : '';
      return `${path}${value}: ${i.message}`;
    });
    throw new InvalidInputError(`invalid regularization: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The defaults (the parse of `{}`). */
export const DEFAULT_REGULARIZATION: RegularizationConfig = parseRegularization({});

/** One penalty option and every other name the option parser accepts for the same parameter. */
interface PenaltyKey {
  readonly option: string;
  readonly aliases: readonly string[];
}
type Writer = (options: Record<string, unknown>, reg: RegularizationConfig) => Record<string, unknown>;

// Aliases from MANAGED_PARAMS in lightgbm/LightGBMOptions.ts and TYPED_PARAMS in xgboost/XGBoostOptions.ts.
const LIGHTGBM_L1: PenaltyKey = { option: 'lambdaL1', aliases: ['lambda_l1', 'reg_alpha'] };
const LIGHTGBM_L2: PenaltyKey = { option: 'lambdaL2', aliases: ['lambda_l2', 'reg_lambda'] };
const XGBOOST_L1: PenaltyKey = { option: 'regAlpha', aliases: ['alpha', 'reg_alpha'] };
const XGBOOST_L2: PenaltyKey = { option: 'regLambda', aliases: ['lambda', 'reg_lambda'] };

/**
 * Per model type (in MODEL_TYPES order, so the unknown-type message matches parseModelType's).
 * Keyed by the ModelType union so a new model type fails to compile until it is mapped here; only
 * a type import of ModelManifest, because ModelManifest imports this file's schema at runtime.
 */
const WRITERS: Record<ModelType, Writer> = {
  lightgbm: (o, reg) => setPenalties(o, [[LIGHTGBM_L1, reg.trees.l1], [LIGHTGBM_L2, reg.trees.l2]]),
  xgboost: (o, reg) => setPenalties(o, [[XGBOOST_L1, reg.trees.l1], [XGBOOST_L2, reg.trees.l2]]),
  random_forest: (o, reg) => setPenalties(o, [[LIGHTGBM_L1, reg.trees.l1], [LIGHTGBM_L2, reg.trees.l2]]),
  lstm: (o, reg) => ({ ...o, dropout: reg.lstm.dropout, l1: reg.lstm.l1, l2: reg.lstm.l2 }),
};

/**
 * Returns NEW options for `type` with the regularization written in: lightgbm / random_forest set
 * `lambdaL1`/`lambdaL2`, xgboost `regAlpha`/`regLambda`, lstm `dropout`/`l1`/`l2`. The config wins:
 * same-meaning aliases (e.g. `reg_alpha`, `lambda`) are deleted from the options and from their
 * `extraParams`, so the model sees exactly one value. An unknown type throws UnknownModelTypeError
 * with createModel's message.
 */
export function applyRegularization(type: string, options: Record<string, unknown>, reg: RegularizationConfig): Record<string, unknown> {
  if (!Object.hasOwn(WRITERS, type)) throw new UnknownModelTypeError(`unknown model type '${type}'; choose one of ${Object.keys(WRITERS).join(', ')}`);
  return WRITERS[type as ModelType](options, reg);
}

function setPenalties(options: Record<string, unknown>, penalties: readonly (readonly [PenaltyKey, number])[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...options };
  const aliases = penalties.flatMap(([key]) => key.aliases);
  for (const alias of aliases) delete out[alias];
  const extra = out['extraParams'];
  if (extra !== null && typeof extra === 'object' && !Array.isArray(extra)) {
    const cleaned: Record<string, unknown> = { ...(extra as Record<string, unknown>) };
    for (const alias of aliases) delete cleaned[alias];
    out['extraParams'] = cleaned;
  }
  for (const [key, value] of penalties) out[key.option] = value;
  return out;
}
