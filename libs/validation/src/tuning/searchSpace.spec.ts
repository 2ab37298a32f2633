import { InvalidInputError } from '@ares/data';
import { thrown } from '@ares/data/testing';
import { DEFAULT_SEARCH_SPACES, randomSearchPlan } from './searchSpace';

test('plans are seeded: same seed, same trials; another seed, other trials', () => {
  const a = randomSearchPlan(DEFAULT_SEARCH_SPACES.lightgbm, 20, 7);
  expect(randomSearchPlan(DEFAULT_SEARCH_SPACES.lightgbm, 20, 7)).toEqual(a);
  expect(randomSearchPlan(DEFAULT_SEARCH_SPACES.lightgbm, 20, 8)).not.toEqual(a);
});

test('every drawn value lies in its range, ints are integers, log ranges cover orders of magnitude', () => {
  const space = { ...DEFAULT_SEARCH_SPACES.xgboost, gamma: { type: 'float', low: 1e-4, high: 10, log: true } } as const;
  const plan = randomSearchPlan(space, 400, 1);
  for (const p of plan) {
    expect(Number.isInteger(p.maxDepth)).toBe(true);
    expect(p.maxDepth).toBeGreaterThanOrEqual(3);
    expect(p.maxDepth).toBeLessThanOrEqual(10);
    expect(p.gamma).toBeGreaterThanOrEqual(1e-4);
    expect(p.gamma).toBeLessThanOrEqual(10);
  }
  // Log-uniform over [1e-4, 10]: about 40 % of draws fall below 1e-2 (2 of 5 decades).
  const small = plan.filter((p) => (p.gamma as number) < 1e-2).length / plan.length;
  expect(small).toBeGreaterThan(0.3);
  expect(small).toBeLessThan(0.5);
  // Every integer depth appears.
  expect(new Set(plan.map((p) => p.maxDepth)).size).toBe(8);
});

test('default spaces leave regularization to the regularization config (no penalty or dropout is tuned)', () => {
  for (const [type, keys] of [['lightgbm', ['lambdaL1', 'lambdaL2']], ['random_forest', ['lambdaL1', 'lambdaL2']], ['xgboost', ['regAlpha', 'regLambda']], ['lstm', ['dropout', 'l1', 'l2']]] as const) {
    for (const key of keys) expect(Object.keys(DEFAULT_SEARCH_SPACES[type])).not.toContain(key);
  }
});

test('bad ranges name the parameter', () => {
  const e = thrown(() => randomSearchPlan({ max_depth: { type: 'int', low: 9, high: 3 } }, 5, 1));
  expect(e).toBeInstanceOf(InvalidInputError);
  expect(e.message).toBe("search space parameter 'max_depth': low 9 > high 3");
  expect(thrown(() => randomSearchPlan({ lr: { type: 'float', low: 0, high: 1, log: true } }, 5, 1)).message).toMatch(/'lr': log range needs low > 0/);
  expect(thrown(() => randomSearchPlan({}, 0, 1)).message).toBe('trials must be a positive integer, got 0');
});
