import { chanceBand, degenerateWarnings } from './degenerate';

describe('degenerate-model warnings', () => {
  test('the chance band is 2 binomial standard errors of 1/3: 2·√(2/9/n)', () => {
    // n = 900: √(2/9/900) = √(2/8100) = 0.0157135, doubled 0.0314270.
    expect(chanceBand(900)).toBeCloseTo(0.031427, 6);
  });

  test('a governor at balanced accuracy exactly 1/3, all HOLD, one class everywhere: three warnings naming the figures', () => {
    expect(degenerateWarnings({ balancedAccuracy: 1 / 3, rows: 900, predicted: new Int32Array(900).fill(1), decisions: { BUY: 0, SELL: 0, HOLD: 900 } })).toEqual([
      'balanced accuracy 0.3333 is at chance: within 2 standard errors (±0.0314) of 1/3 on 900 held-out rows, or below',
      'predicts one class (1) on all 900 held-out rows',
      'decides HOLD on all 900 rows: it never trades at its threshold',
    ]);
  });

  test('an LSTM far below chance and an XGBoost stopped at iteration 0 are flagged', () => {
    expect(degenerateWarnings({ balancedAccuracy: 0.049, rows: 250 })[0]).toMatch(/^balanced accuracy 0\.0490 is at chance/);
    expect(degenerateWarnings({ bestIteration: 0, iterations: 51 })).toEqual(['early stopping kept iteration 0 of 51: the validation loss never improved after the first rounds']);
  });

  test('a model with skill gets no warning', () => {
    expect(degenerateWarnings({ balancedAccuracy: 0.45, rows: 900, predicted: [0, 1, 2, 1], bestIteration: 37, iterations: 87, decisions: { BUY: 12, SELL: 9, HOLD: 879 } })).toEqual([]);
  });
});
