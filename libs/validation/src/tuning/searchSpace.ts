import { InvalidInputError, Rng } from '@ares/data';
import { z } from 'zod';

/** One hyperparameter's range. `log` samples uniformly in log space (learning rates, penalties). */
export const ParamRangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('int'), low: z.number().int(), high: z.number().int() }),
  z.object({ type: z.literal('float'), low: z.number(), high: z.number(), log: z.boolean().default(false) }),
  z.object({ type: z.literal('choice'), values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1) }),
]);
export type ParamRange = z.input<typeof ParamRangeSchema>;
export type SearchSpace = Record<string, ParamRange>;

/**
 * Default search spaces per model type (the classic trainer's ranges, under the option names of
 * the @ares/models bindings). Narrowed ranges from feature pruning (a later stage) replace these.
 * Regularization (L1/L2 penalties, LSTM dropout) is not searched: it comes from the one
 * regularization config section (@ares/models applyRegularization), which overrides any tuned value.
 */
export const DEFAULT_SEARCH_SPACES: Record<'lightgbm' | 'xgboost' | 'random_forest' | 'lstm', SearchSpace> = {
  lightgbm: {
    numLeaves: { type: 'int', low: 8, high: 128 },
    learningRate: { type: 'float', low: 0.01, high: 0.2, log: true },
    minDataInLeaf: { type: 'int', low: 10, high: 200 },
    featureFraction: { type: 'float', low: 0.5, high: 1 },
  },
  xgboost: {
    maxDepth: { type: 'int', low: 3, high: 10 },
    learningRate: { type: 'float', low: 0.01, high: 0.2, log: true },
    minChildWeight: { type: 'float', low: 1, high: 20, log: true },
    subsample: { type: 'float', low: 0.5, high: 1 },
    colsampleBytree: { type: 'float', low: 0.5, high: 1 },
  },
  random_forest: {
    numLeaves: { type: 'int', low: 16, high: 256 },
    minDataInLeaf: { type: 'int', low: 5, high: 100 },
    featureFraction: { type: 'float', low: 0.3, high: 0.9 },
    baggingFraction: { type: 'float', low: 0.5, high: 0.9 },
  },
  lstm: {
    learningRate: { type: 'float', low: 1e-4, high: 1e-2, log: true },
  },
};

/** Validates a search space; a bad range names the parameter and both bounds. */
export function parseSearchSpace(space: SearchSpace): Record<string, z.output<typeof ParamRangeSchema>> {
  const out: Record<string, z.output<typeof ParamRangeSchema>> = {};
  for (const [name, range] of Object.entries(space)) {
    const parsed = ParamRangeSchema.safeParse(range);
    if (!parsed.success) throw new InvalidInputError(`search space parameter '${name}': ${parsed.error.issues[0]!.message}`);
    const r = parsed.data;
    if (r.type !== 'choice' && !(r.low <= r.high)) throw new InvalidInputError(`search space parameter '${name}': low ${r.low} > high ${r.high}`);
    if (r.type === 'float' && r.log && r.low <= 0) throw new InvalidInputError(`search space parameter '${name}': log range needs low > 0, got ${r.low}`);
    out[name] = r;
  }
  return out;
}

/**
 * The trials of a randomized search: `trials` parameter sets drawn with a seeded generator.
 * Deterministic, so each trial can run as its own (retryable) activity and be recomputed anywhere.
 */
export function randomSearchPlan(space: SearchSpace, trials: number, seed: number): Record<string, string | number | boolean>[] {
  if (!Number.isInteger(trials) || trials < 1) throw new InvalidInputError(`trials must be a positive integer, got ${trials}`);
  const ranges = parseSearchSpace(space);
  const rng = new Rng(seed);
  return Array.from({ length: trials }, () => {
    const params: Record<string, string | number | boolean> = {};
    // Sorted names: the plan does not depend on the order the space was written in.
    for (const name of Object.keys(ranges).sort()) {
      const r = ranges[name]!;
      const u = rng.uniform();
      if (r.type === 'int') params[name] = r.low + Math.floor(u * (r.high - r.low + 1));
      else if (r.type === 'float') params[name] = r.log ? Math.exp(Math.log(r.low) + u * (Math.log(r.high) - Math.log(r.low))) : r.low + u * (r.high - r.low);
      else params[name] = r.values[Math.floor(u * r.values.length)]!;
    }
    return params;
  });
}
