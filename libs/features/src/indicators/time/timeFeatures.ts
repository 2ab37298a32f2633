import { z } from 'zod';
import { col, defineFeature, type FeatureDef } from '../../featureSet/FeatureDef';
import { dayOfWeek, hourOfDay } from './calendar';

/** Hour of day (UTC, fractional) of each bar's open as a point on the 24-hour circle. */
export const hourOfDayFeature = defineFeature({
  name: 'hour_of_day',
  group: 'time',
  description: 'Hour of day of the bar open in UTC, fractional (09:30 = 9.5), as sin and cos of 2π·hour/24.',
  params: z.object({}),
  requires: ['openTime'],
  outputs: () => ['hour_sin', 'hour_cos'],
  warmup: () => 0,
  compute: (input) => {
    const h = hourOfDay(col(input, 'openTime'));
    return [h.sin, h.cos];
  },
});

/** Day of week (UTC, Monday = 0) of each bar's open as a point on the 7-day circle. */
export const dayOfWeekFeature = defineFeature({
  name: 'day_of_week',
  group: 'time',
  description: 'Day of week of the bar open in UTC (Monday = 0 … Sunday = 6, whole days), as sin and cos of 2π·day/7.',
  params: z.object({}),
  requires: ['openTime'],
  outputs: () => ['dow_sin', 'dow_cos'],
  warmup: () => 0,
  compute: (input) => {
    const d = dayOfWeek(col(input, 'openTime'));
    return [d.sin, d.cos];
  },
});

export const TIME_FEATURES: readonly FeatureDef[] = [hourOfDayFeature as FeatureDef, dayOfWeekFeature as FeatureDef];

/** The default time columns (4): hour_sin, hour_cos, dow_sin, dow_cos. */
export const DEFAULT_TIME_SET: readonly { readonly name: string; readonly params: Readonly<Record<string, unknown>> }[] = [
  { name: 'hour_of_day', params: {} },
  { name: 'day_of_week', params: {} },
];
