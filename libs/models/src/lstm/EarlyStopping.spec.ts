import { EarlyStopping } from './EarlyStopping';

test('stops after `patience` epochs without a strictly lower loss; the first minimum is kept', () => {
  const stopping = new EarlyStopping(2);
  expect(stopping.record(1.0)).toEqual({ improved: true, stop: false });
  expect(stopping.record(0.8)).toEqual({ improved: true, stop: false });
  expect(stopping.record(0.8)).toEqual({ improved: false, stop: false }); // equal is not lower
  expect(stopping.record(0.9)).toEqual({ improved: false, stop: true });
  expect(stopping.bestEpoch).toBe(2);
});

test('patience 0 never stops but still tracks the best epoch', () => {
  const stopping = new EarlyStopping(0);
  for (const loss of [1, 0.5, 2, 3, 4]) expect(stopping.record(loss).stop).toBe(false);
  expect(stopping.bestEpoch).toBe(2);
});
