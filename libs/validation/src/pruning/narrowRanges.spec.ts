import { InvalidInputError } from '@ares/data';
import type { SearchSpace } from '../tuning/searchSpace';
import { narrowRanges } from './narrowRanges';

const space: SearchSpace = {
  numLeaves: { type: 'int', low: 8, high: 128 },
  featureFraction: { type: 'float', low: 0.5, high: 1 },
  learningRate: { type: 'float', low: 0.001, high: 1, log: true },
  boosting: { type: 'choice', values: ['gbdt', 'rf', 'dart'] },
};

// 8 trials: the top 25 % are the two with mean 0.9 and 0.8.
const trials = [
  { params: { numLeaves: 20, featureFraction: 0.6, learningRate: 0.01, boosting: 'gbdt' }, mean: 0.5 },
  { params: { numLeaves: 40, featureFraction: 0.7, learningRate: 0.01, boosting: 'rf' }, mean: 0.9 },
  { params: { numLeaves: 100, featureFraction: 0.9, learningRate: 0.5, boosting: 'dart' }, mean: 0.1 },
  { params: { numLeaves: 64, featureFraction: 0.8, learningRate: 0.1, boosting: 'gbdt' }, mean: 0.8 },
  { params: { numLeaves: 10, featureFraction: 0.55, learningRate: 0.002, boosting: 'dart' }, mean: 0.3 },
  { params: { numLeaves: 120, featureFraction: 0.95, learningRate: 0.9, boosting: 'dart' }, mean: 0.2 },
  { params: { numLeaves: 30, featureFraction: 0.65, learningRate: 0.05, boosting: 'gbdt' }, mean: Number.NaN },
  { params: { numLeaves: 50, featureFraction: 0.75, learningRate: 0.2, boosting: 'rf' }, mean: 0.4 },
];

describe('narrowRanges', () => {
  test('narrows around the best trials, widened by margin × original width and clipped', () => {
    // 7 finite trials → ceil(0.25·7) = 2 best: numLeaves 40/64, featureFraction 0.7/0.8, lr 0.01/0.1, rf/gbdt.
    const out = narrowRanges(trials, space);
    // int: [40 − 12, 64 + 12] (margin 0.1 × width 120)
    expect(out.numLeaves).toEqual({ type: 'int', low: 28, high: 76 });
    // float: [0.7 − 0.05, 0.8 + 0.05]
    expect(out.featureFraction!.type).toBe('float');
    const ff = out.featureFraction as { low: number; high: number; log: boolean };
    expect(ff.low).toBeCloseTo(0.65, 12);
    expect(ff.high).toBeCloseTo(0.85, 12);
    expect(ff.log).toBe(false);
    // log: width ln(1000) ⇒ margin factor 1000^0.1; [0.01 / 10^0.3, 0.1 · 10^0.3]
    const lr = out.learningRate as { low: number; high: number; log: boolean };
    expect(lr.low).toBeCloseTo(0.01 / 10 ** 0.3, 12);
    expect(lr.high).toBeCloseTo(0.1 * 10 ** 0.3, 12);
    expect(lr.log).toBe(true);
    // choice: seen values, original order
    expect(out.boosting).toEqual({ type: 'choice', values: ['gbdt', 'rf'] });
  });

  test('clips to the original bounds, and minimize picks the lowest means', () => {
    // lowest 2 of 7: means 0.1, 0.2 → numLeaves 100/120, featureFraction 0.9/0.95, boosting dart
    const out = narrowRanges(trials, space, { direction: 'minimize', margin: 0.2 });
    expect(out.numLeaves).toEqual({ type: 'int', low: 76, high: 128 }); // 100 − 24; 120 + 24 → clipped 128
    const ff = out.featureFraction as { low: number; high: number };
    expect(ff.low).toBeCloseTo(0.8, 12);
    expect(ff.high).toBe(1);
    expect((out.learningRate as { high: number }).high).toBe(1);
    expect(out.boosting).toEqual({ type: 'choice', values: ['dart'] });
  });

  test('topFraction 1 with margin 0 spans all finite trials; missing params keep their range', () => {
    const out = narrowRanges(trials.map((t) => ({ ...t, params: { numLeaves: t.params.numLeaves } })), space, { topFraction: 1, margin: 0 });
    expect(out.numLeaves).toEqual({ type: 'int', low: 10, high: 120 }); // the NaN trial (30) is not counted either way
    expect(out.featureFraction).toEqual({ type: 'float', low: 0.5, high: 1, log: false });
    expect(out.boosting).toEqual({ type: 'choice', values: ['gbdt', 'rf', 'dart'] });
  });

  test('rejects bad options and an empty trial table', () => {
    expect(() => narrowRanges(trials, space, { topFraction: 0 })).toThrow(InvalidInputError);
    expect(() => narrowRanges([], space)).toThrow(/finite mean/);
  });
});
