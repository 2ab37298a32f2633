import { InvalidInputError } from '@ares/data';
import { compileLightGBMOptions, lightgbmParams, paramString } from './LightGBMOptions';

describe('compileLightGBMOptions', () => {
  test('applies the documented defaults', () => {
    expect(compileLightGBMOptions()).toEqual({
      boosting: 'gbdt',
      numIterations: 100,
      learningRate: 0.1,
      numLeaves: 31,
      maxDepth: -1,
      minDataInLeaf: 20,
      featureFraction: 1,
      baggingFraction: 1,
      baggingFreq: 0,
      lambdaL1: 0,
      lambdaL2: 0,
      earlyStoppingRounds: 50,
      numThreads: 0,
      seed: 42,
      histogramLayout: 'row_wise',
      extraParams: {},
    });
  });

  test('rejects an out-of-range value naming the field and the value', () => {
    expect(() => compileLightGBMOptions({ numLeaves: 1 })).toThrow(InvalidInputError);
    expect(() => compileLightGBMOptions({ numLeaves: 1 })).toThrow(/numLeaves = 1/);
    expect(() => compileLightGBMOptions({ featureFraction: 0 })).toThrow(/featureFraction = 0/);
  });

  test('rejects unknown keys, so a snake_case typo does not pass silently', () => {
    expect(() => compileLightGBMOptions({ num_leaves: 15 } as never)).toThrow(/num_leaves/);
  });

  test("boosting 'rf' without bagging is rejected with a message naming both fields", () => {
    expect(() => compileLightGBMOptions({ boosting: 'rf', baggingFraction: 1, baggingFreq: 1 })).toThrow(
      /baggingFraction \(bagging_fraction\) must be < 1 and baggingFreq \(bagging_freq\) >= 1; got baggingFraction=1, baggingFreq=1/,
    );
    expect(() => compileLightGBMOptions({ boosting: 'rf', baggingFraction: 0.5, baggingFreq: 0 })).toThrow(/got baggingFraction=0.5, baggingFreq=0/);
    expect(compileLightGBMOptions({ boosting: 'rf', baggingFraction: 0.5, baggingFreq: 1 }).boosting).toBe('rf');
  });

  test('a bagging fraction without a bagging frequency is a contradiction', () => {
    expect(() => compileLightGBMOptions({ baggingFraction: 0.8 })).toThrow(/baggingFraction=0.8 has no effect while baggingFreq=0/);
  });

  test('class weights: balanced or three positive numbers', () => {
    expect(compileLightGBMOptions({ classWeight: 'balanced' }).classWeight).toBe('balanced');
    expect(compileLightGBMOptions({ classWeight: [1, 2, 3] }).classWeight).toEqual([1, 2, 3]);
    expect(() => compileLightGBMOptions({ classWeight: [1, 0, 3] })).toThrow(/classWeight\.1 = 0/);
    expect(() => compileLightGBMOptions({ classWeight: [1, 2] as never })).toThrow(/classWeight/);
  });

  test('extraParams may not repeat a parameter the options set', () => {
    expect(() => compileLightGBMOptions({ extraParams: { reg_lambda: 1 } })).toThrow(/extraParams.reg_lambda is set by the options \(lambdaL2\)/);
    expect(() => compileLightGBMOptions({ extraParams: { 'max bin': 3 } })).toThrow(/extraParams/);
    expect(compileLightGBMOptions({ extraParams: { max_bin: 63 } }).extraParams).toEqual({ max_bin: 63 });
  });
});

describe('lightgbmParams', () => {
  test('maps options to LightGBM parameters, with derived seeds and the fixed objective', () => {
    const params = lightgbmParams(compileLightGBMOptions({ seed: 7, lambdaL1: 0.5, histogramLayout: 'col_wise', extraParams: { max_bin: 63 } }));
    expect(params).toMatchObject({
      objective: 'multiclass',
      num_class: '3',
      metric: 'multi_logloss',
      lambda_l1: '0.5',
      seed: '7',
      bagging_seed: '8',
      feature_fraction_seed: '9',
      data_random_seed: '10',
      deterministic: 'true',
      force_col_wise: 'true',
      verbosity: '-1',
      max_bin: '63',
    });
    expect(params.force_row_wise).toBeUndefined();
    expect(paramString({ a: '1', b: 'x' })).toBe('a=1 b=x');
  });
});
