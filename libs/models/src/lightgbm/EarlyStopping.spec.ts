import { EarlyStopping } from './EarlyStopping';

test('stops after `patience` rounds without a strictly lower value and keeps the first minimum', () => {
  const s = new EarlyStopping(2);
  expect([0.9, 0.7, 0.7, 0.8].map((v) => s.record(v))).toEqual([false, false, false, true]);
  expect(s.keptRound).toBe(2);
  expect(s.history).toEqual([0.9, 0.7, 0.7, 0.8]);
});

test('patience 0 never stops and keeps the last round', () => {
  const s = new EarlyStopping(0);
  expect([0.5, 0.6, 0.7].some((v) => s.record(v))).toBe(false);
  expect(s.keptRound).toBe(3);
});
