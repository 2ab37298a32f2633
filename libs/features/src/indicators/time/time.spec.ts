/**
 * Calendar features against Python's datetime (time.reference.py) on the S&P 500 daily open times,
 * 15-minute bars across a week, and arbitrary instants down to the millisecond (before 1970 too).
 */
import { join } from 'node:path';
import { Rng } from '@ares/data';
import { expectSeriesClose, loadSp500, pythonReference } from '../../testing';
import type { FeatureInput } from '../../series';
import { dayOfWeek, hourOfDay } from './calendar';
import { dayOfWeekFeature, hourOfDayFeature } from './timeFeatures';

const rng = new Rng(3);
const cases: Record<string, Float64Array> = {
  sp500: loadSp500().openTime,
  '15m bars': Float64Array.from({ length: 7 * 96 + 5 }, (_, i) => Date.UTC(2024, 0, 1) + i * 900_000),
  'arbitrary instants': Float64Array.from({ length: 2000 }, () => Math.floor(-2e12 + rng.uniform() * 6e12)),
};

test.each(Object.keys(cases))('hour and day of week on %s match datetime', (name) => {
  const time = cases[name]!;
  const ref = pythonReference(join(__dirname, 'time.reference.py'), { openTime: time });
  const h = hourOfDay(time);
  const d = dayOfWeek(time);
  // sin(π) and friends: exact zeros in the reference, 1e-16 here; absolute 1e-12 near zero.
  expectSeriesClose('hour_sin', h.sin, ref.hour_sin!, 1e-9, 1e-12);
  expectSeriesClose('hour_cos', h.cos, ref.hour_cos!, 1e-9, 1e-12);
  expectSeriesClose('dow_sin', d.sin, ref.dow_sin!, 1e-9, 1e-12);
  expectSeriesClose('dow_cos', d.cos, ref.dow_cos!, 1e-9, 1e-12);
});

test('hand-checked points: 2024-01-01 (a Monday) 06:00 UTC is a quarter turn; Sunday is 6/7 of a week', () => {
  const monday6 = Date.UTC(2024, 0, 1, 6);
  const h = hourOfDay(Float64Array.of(monday6));
  expect(h.sin[0]).toBeCloseTo(1, 15);
  expect(h.cos[0]).toBeCloseTo(0, 15);
  const d = dayOfWeek(Float64Array.of(monday6, Date.UTC(2024, 0, 7, 23, 59)));
  expect([d.sin[0], d.cos[0]]).toEqual([0, 1]);
  expect(d.sin[1]).toBeCloseTo(Math.sin((2 * Math.PI * 6) / 7), 15);
  expect(Number.isNaN(hourOfDay(Float64Array.of(Number.NaN)).sin[0]!)).toBe(true);
});

test('FeatureDefs: names, no warm-up, and each bar uses its own open time only', () => {
  const time = cases['15m bars']!;
  const input: FeatureInput = { length: time.length, interval: '15m', columns: { openTime: time } };
  expect(hourOfDayFeature.outputs({})).toEqual(['hour_sin', 'hour_cos']);
  expect(dayOfWeekFeature.outputs({})).toEqual(['dow_sin', 'dow_cos']);
  for (const def of [hourOfDayFeature, dayOfWeekFeature]) {
    expect(def.warmup({})).toBe(0);
    const full = def.compute(input, {});
    for (const o of full) expect(o.every(Number.isFinite)).toBe(true);
    const part = def.compute({ ...input, length: 100, columns: { openTime: time.slice(0, 100) } }, {});
    part.forEach((o, j) => expect(Array.from(o)).toEqual(Array.from(full[j]!.slice(0, 100))));
  }
});
