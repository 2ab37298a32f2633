import { StackingInputError } from './errors';
import { stackFeatures } from './metaFeatures';

describe('stackFeatures', () => {
  it('names columns per base model and keeps only rows every base model covered', () => {
    const a = Float64Array.from([0.1, 0.2, 0.7, NaN, NaN, NaN, 0.3, 0.3, 0.4]);
    const b = Float64Array.from([0.5, 0.25, 0.25, 0.2, 0.2, 0.6, NaN, NaN, NaN]);
    const s = stackFeatures([a, b], ['lgbm', 'xgb']);
    expect(s.x.columns).toEqual(['lgbm_p_down', 'lgbm_p_flat', 'lgbm_p_up', 'xgb_p_down', 'xgb_p_flat', 'xgb_p_up']);
    expect([...s.rows]).toEqual([0]);
    expect(s.x.rows).toBe(1);
    expect(s.x.cols).toBe(6);
    expect([...s.x.data]).toEqual([...Float32Array.from([0.1, 0.2, 0.7, 0.5, 0.25, 0.25])]);
  });

  it('rejects mismatched inputs', () => {
    expect(() => stackFeatures([], [])).toThrow(StackingInputError);
    expect(() => stackFeatures([new Float64Array(3)], ['a', 'b'])).toThrow(/names/);
    expect(() => stackFeatures([new Float64Array(3), new Float64Array(6)], ['a', 'b'])).toThrow(/rows/);
  });
});
