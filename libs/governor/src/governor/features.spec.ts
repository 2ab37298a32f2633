import { governorFeatures } from './features';
import { GovernorInputError } from './errors';

describe('governorFeatures', () => {
  it('builds regime one-hots, predicted-class one-hots and confidences; drops NaN rows', () => {
    const A = Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.2, 0.5, 0.3, 0.3, 0.3, 0.4]);
    const B = Float64Array.from([0.1, 0.1, 0.8, NaN, 0.5, 0.5, 0.4, 0.4, 0.2, 0.6, 0.3, 0.1]);
    const f = governorFeatures({ regime: ['X', 'Y', 'Z', 'X'], ensembleProba: { A, B } }, ['X', 'Y', 'Z']);
    expect(f.x.columns).toEqual(['regime_X', 'regime_Y', 'regime_Z', 'A_pred_down', 'A_pred_flat', 'A_pred_up', 'A_conf', 'B_pred_down', 'B_pred_flat', 'B_pred_up', 'B_conf']);
    expect(f.x.rows).toBe(3);
    expect(f.x.cols).toBe(11);
    expect(Array.from(f.rows)).toEqual([0, 2, 3]);
    expect(Array.from(f.excluded)).toEqual([1]);
    const f32 = (v: number): number => Math.fround(v);
    expect(Array.from(f.x.data)).toEqual([
      1, 0, 0, 1, 0, 0, f32(0.7), 0, 0, 1, f32(0.8),
      0, 0, 1, 0, 1, 0, f32(0.5), 1, 0, 0, f32(0.4), // B tie 0.4/0.4 → lower class (down)
      1, 0, 0, 0, 0, 1, f32(0.4), 1, 0, 0, f32(0.6),
    ]);
  });

  it('rejects unknown regimes and wrong probability lengths', () => {
    expect(() => governorFeatures({ regime: ['Q'], ensembleProba: { A: new Float64Array([1, 0, 0]) } }, ['X'])).toThrow(GovernorInputError);
    expect(() => governorFeatures({ regime: ['X'], ensembleProba: { A: new Float64Array([1, 0]) } }, ['X'])).toThrow(GovernorInputError);
  });
});
