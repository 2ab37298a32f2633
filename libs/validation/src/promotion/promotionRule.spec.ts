import { decidePromotion, PromotionRuleSchema } from './promotionRule';

const rule = PromotionRuleSchema.parse({});
const good = { dsr: 0.99, pbo: 0.1, cvar95: 0.05, maxDrawdown: -0.1, trades: 80 };

test('every gate passing promotes, and the reason lists them', () => {
  const d = decidePromotion(good, rule);
  expect(d.promote).toBe(true);
  expect(d.reasons[0]).toMatch(/^all 5 gates passed: deflated Sharpe ratio 0.9900/);
});

test('each failing gate is named with its value and limit', () => {
  const d = decidePromotion({ dsr: 0.4, pbo: 0.6, cvar95: 0.3, maxDrawdown: -0.5, trades: 3 }, rule);
  expect(d.promote).toBe(false);
  expect(d.gates.filter((g) => !g.passed).map((g) => g.name)).toEqual(['dsr', 'pbo', 'cvar95', 'maxDrawdown', 'trades']);
  expect(d.reasons).toContain('deflated Sharpe ratio 0.4000 (needs ≥ 0.95)');
  expect(decidePromotion({ ...good, pbo: null }, rule).reasons).toEqual(['probability of backtest overfitting unknown (too few trials)']);
});

test('with a champion the challenger must beat it significantly on enough shared bars', () => {
  const comparison = { champion: 'run-a', sharedBars: 2000, sharpeChallenger: 3.1, sharpeChampion: 3.0, pValue: 0.4 };
  expect(decidePromotion(good, rule, { id: 'run-a', comparison }).reasons).toEqual(['Sharpe 3.100 vs champion run-a 3.000 on 2000 shared bars, one-sided p = 0.4000 (needs < 0.05)']);
  expect(decidePromotion(good, rule, { id: 'run-a', comparison: { ...comparison, pValue: 0.01 } }).promote).toBe(true);
  expect(decidePromotion(good, rule, { id: 'run-a', comparison: { ...comparison, sharedBars: 100, pValue: 0.001 } }).promote).toBe(false);
  expect(decidePromotion(good, rule, { id: 'run-a' }).reasons[0]).toMatch(/only 0 out-of-sample bars shared with champion run-a/);
});
