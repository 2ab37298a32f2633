import { EarlyStopping } from './EarlyStopping';

test('stops after `patience` rounds without a strictly lower value and keeps the first best', () => {
  const stopping = new EarlyStopping(2);
  const values = [1.0, 0.8, 0.9, 0.8, 0.85];
  const stops = values.map((v, i) => stopping.record(i, v));
  // Round 1 is best (0.8); round 3 ties it, which is not an improvement; round 3 is 2 rounds after.
  expect(stops).toEqual([false, false, false, true, true]);
  expect(stopping.bestIteration).toBe(1);
  expect(stopping.bestValue).toBe(0.8);
  expect(stopping.history).toEqual(values);
});

test('NaN never improves', () => {
  const stopping = new EarlyStopping(3);
  expect(stopping.record(0, Number.NaN)).toBe(false);
  expect(stopping.record(1, 0.5)).toBe(false);
  expect(stopping.record(2, Number.NaN)).toBe(false);
  expect(stopping.bestIteration).toBe(1);
});
