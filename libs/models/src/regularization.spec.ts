import { InvalidInputError } from '@ares/data';
import { thrown } from '@ares/data/testing';
import { ModelManifestSchema } from './bundle/ModelManifest';
import { parseModelType } from './createModel';
import { UnknownModelTypeError } from './errors';
import { compileLightGBMOptions } from './lightgbm/LightGBMOptions';
import { compileLstmOptions } from './lstm/LstmOptions';
import { applyRegularization, DEFAULT_REGULARIZATION, parseRegularization, type RegularizationConfig } from './regularization';
import { compileXGBoostOptions } from './xgboost/XGBoostOptions';

const REG: RegularizationConfig = { trees: { l1: 0.5, l2: 7 }, lstm: { dropout: 0.35, l1: 1e-4, l2: 2e-3 } };

describe('parseRegularization', () => {
  test('defaults: trees l1 0 / l2 1, lstm dropout 0.2 / l1 0 / l2 0; undefined and {} mean the defaults', () => {
    const expected = { trees: { l1: 0, l2: 1 }, lstm: { dropout: 0.2, l1: 0, l2: 0 } };
    expect(DEFAULT_REGULARIZATION).toEqual(expected);
    expect(parseRegularization({})).toEqual(expected);
    expect(parseRegularization(undefined)).toEqual(expected);
    expect(parseRegularization({ trees: { l2: 3 } })).toEqual({ ...expected, trees: { l1: 0, l2: 3 } });
    expect(parseRegularization({ lstm: { dropout: 0 } })).toEqual({ ...expected, lstm: { dropout: 0, l1: 0, l2: 0 } });
  });

  test('a bad value is an InvalidInputError naming the field path and the value', () => {
    const e = thrown(() => parseRegularization({ trees: { l2: -1 } }));
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.message).toMatch(/^invalid regularization: regularization\.trees\.l2 = -1: /);
    expect(thrown(() => parseRegularization({ lstm: { dropout: 1 } })).message).toMatch(/regularization\.lstm\.dropout = 1: /);
    expect(thrown(() => parseRegularization({ lstm: { l1: 'big' } })).message).toMatch(/regularization\.lstm\.l1 = "big": /);
    expect(thrown(() => parseRegularization({ trees: { l1: Number.POSITIVE_INFINITY } })).message).toMatch(/regularization\.trees\.l1/);
    expect(thrown(() => parseRegularization(null)).message).toMatch(/^invalid regularization: regularization = null: /);
  });

  test('unknown keys are rejected (strict), naming the key', () => {
    expect(thrown(() => parseRegularization({ trees: { lambda: 2 } })).message).toMatch(/regularization\.trees.*lambda/);
    expect(thrown(() => parseRegularization({ tree: {} })).message).toMatch(/regularization.*tree/);
  });
});

describe('applyRegularization', () => {
  test('lightgbm and random_forest set lambdaL1 / lambdaL2', () => {
    for (const type of ['lightgbm', 'random_forest']) {
      expect(applyRegularization(type, { numLeaves: 15 }, REG)).toEqual({ numLeaves: 15, lambdaL1: 0.5, lambdaL2: 7 });
    }
  });

  test('xgboost sets regAlpha / regLambda', () => {
    expect(applyRegularization('xgboost', { maxDepth: 4 }, REG)).toEqual({ maxDepth: 4, regAlpha: 0.5, regLambda: 7 });
  });

  test('lstm sets dropout, l1 and l2 (the tree penalties do not leak in)', () => {
    expect(applyRegularization('lstm', { epochs: 3 }, REG)).toEqual({ epochs: 3, dropout: 0.35, l1: 1e-4, l2: 2e-3 });
  });

  test('returns a new object and leaves the input untouched', () => {
    const options = { lambdaL2: 3, extraParams: { max_bin: 63, lambda_l2: 3 } };
    const copy = structuredClone(options);
    const out = applyRegularization('lightgbm', options, REG);
    expect(out).not.toBe(options);
    expect(out['extraParams']).not.toBe(options.extraParams);
    expect(options).toEqual(copy);
  });

  test('the config wins over conflicting options and removes their aliases (top level and extraParams)', () => {
    const lgbm = applyRegularization('lightgbm', {
      lambdaL1: 9, lambdaL2: 9, lambda_l1: 9, reg_lambda: 9,
      extraParams: { lambda_l1: 9, lambda_l2: 9, reg_alpha: 9, reg_lambda: 9, max_bin: 63 },
    }, REG);
    expect(lgbm).toEqual({ lambdaL1: 0.5, lambdaL2: 7, extraParams: { max_bin: 63 } });
    // The result is accepted by the option parser and carries exactly the config's values.
    expect(compileLightGBMOptions(lgbm as never)).toMatchObject({ lambdaL1: 0.5, lambdaL2: 7, extraParams: { max_bin: 63 } });

    const xgb = applyRegularization('xgboost', {
      regAlpha: 9, regLambda: 9, alpha: 9, lambda: 9, reg_alpha: 9, reg_lambda: 9,
      extraParams: { alpha: 9, lambda: 9, reg_alpha: 9, reg_lambda: 9, max_bin: 128 },
    }, REG);
    expect(xgb).toEqual({ regAlpha: 0.5, regLambda: 7, extraParams: { max_bin: 128 } });
    expect(compileXGBoostOptions(xgb)).toMatchObject({ regAlpha: 0.5, regLambda: 7, extraParams: { max_bin: 128 } });

    const lstm = applyRegularization('lstm', { dropout: 0.9, l1: 9, l2: 9 }, REG);
    expect(compileLstmOptions(lstm as never)).toMatchObject({ dropout: 0.35, l1: 1e-4, l2: 2e-3 });
  });

  test('without such an alias, extraParams are copied as they are; absent extraParams stay absent', () => {
    expect(applyRegularization('xgboost', {}, DEFAULT_REGULARIZATION)).toEqual({ regAlpha: 0, regLambda: 1 });
    expect(applyRegularization('xgboost', { extraParams: { grow_policy: 'lossguide' } }, DEFAULT_REGULARIZATION)).toEqual({ regAlpha: 0, regLambda: 1, extraParams: { grow_policy: 'lossguide' } });
  });

  test('an unknown model type throws the same UnknownModelTypeError as createModel / parseModelType', () => {
    const e = thrown(() => applyRegularization('catboost', {}, DEFAULT_REGULARIZATION));
    expect(e).toBeInstanceOf(UnknownModelTypeError);
    expect(e.message).toBe(thrown(() => parseModelType('catboost')).message);
    expect(e.message).toMatch(/'catboost'/);
    expect(thrown(() => applyRegularization('toString', {}, DEFAULT_REGULARIZATION))).toBeInstanceOf(UnknownModelTypeError);
  });
});

describe('ModelManifest.regularization', () => {
  const manifest = {
    bundleVersion: 1, modelKey: 'k', type: 'xgboost', library: { name: 'xgboost', version: '3' }, symbol: 'BTCUSDT', interval: '1h',
    features: { original: ['a'], processed: ['a'] }, labelMap: { '-1': 0, '0': 1, '1': 2 }, params: {}, sequenceLength: null, scaler: null,
    trainingDataHash: 'h', metrics: {}, seed: 1, codeVersion: 'c', files: [{ name: 'm', key: 'k/m', sha256: 's', size: 1 }], state: {},
  };

  test('is optional (older bundles lack it) and validated when present', () => {
    expect(ModelManifestSchema.parse(manifest).regularization).toBeUndefined();
    expect(ModelManifestSchema.parse({ ...manifest, regularization: REG }).regularization).toEqual(REG);
    expect(ModelManifestSchema.safeParse({ ...manifest, regularization: { trees: { l2: -1 } } }).success).toBe(false);
  });
});
