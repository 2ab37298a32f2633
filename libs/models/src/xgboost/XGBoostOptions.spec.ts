import { InvalidInputError } from '@ares/data';
import { thrown } from '@ares/data/testing';
import { boosterParams, compileXGBoostOptions } from './XGBoostOptions';

test('defaults: multi:softprob over 3 classes, hist, early stopping after 50 rounds', () => {
  const options = compileXGBoostOptions({});
  expect(options).toMatchObject({ objective: 'multi:softprob', numClass: 3, nEstimators: 500, learningRate: 0.05, maxDepth: 6, treeMethod: 'hist', earlyStoppingRounds: 50, seed: 0, nthread: 0 });
  expect(options.classWeight).toBeUndefined();
});

test('boosterParams maps each option to its XGBoost parameter, then extraParams verbatim', () => {
  const params = boosterParams(
    compileXGBoostOptions({ learningRate: 0.1, regAlpha: 0.5, regLambda: 2, colsampleBytree: 0.8, subsample: 0.7, nthread: 2, seed: 9, extraParams: { max_bin: 64 } }),
  );
  const map = new Map(params);
  expect(map.get('eta')).toBe('0.1');
  expect(map.get('alpha')).toBe('0.5');
  expect(map.get('lambda')).toBe('2');
  expect(map.get('colsample_bytree')).toBe('0.8');
  expect(map.get('subsample')).toBe('0.7');
  expect(map.get('nthread')).toBe('2');
  expect(map.get('seed')).toBe('9');
  expect(map.get('eval_metric')).toBe('mlogloss');
  expect(params.at(-1)).toEqual(['max_bin', '64']);
});

test('nthread 0 leaves the thread count to XGBoost (every core)', () => {
  expect(new Map(boosterParams(compileXGBoostOptions({}))).has('nthread')).toBe(false);
});

test('a bad value names the option and the value', () => {
  const err = thrown(() => compileXGBoostOptions({ maxDepth: -1 }));
  expect(err).toBeInstanceOf(InvalidInputError);
  expect(err.message).toMatch(/'maxDepth' = -1/);
});

test('a bad class weight names its position', () => {
  expect(thrown(() => compileXGBoostOptions({ classWeight: [1, 0, 2] })).message).toMatch(/'classWeight\.1' = 0/);
});

test('an unknown option (e.g. the snake_case name) is rejected by name', () => {
  const err = thrown(() => compileXGBoostOptions({ learning_rate: 0.1 }));
  expect(err).toBeInstanceOf(InvalidInputError);
  expect(err.message).toMatch(/learning_rate/);
});

test('extraParams that repeat a typed option are a contradiction naming both', () => {
  const err = thrown(() => compileXGBoostOptions({ learningRate: 0.05, extraParams: { eta: 0.3 } }));
  expect(err).toBeInstanceOf(InvalidInputError);
  expect(err.message).toBe("XGBoost option extraParams.eta = 0.3 contradicts learningRate = 0.05: set learningRate instead");
});

test('extraParams may not change the early-stopping metric', () => {
  expect(thrown(() => compileXGBoostOptions({ extraParams: { eval_metric: 'merror' } })).message).toMatch(/eval_metric = 'merror'.*mlogloss/);
});
