/**
 * Calendar features from each bar's open time (UTC) as sine/cosine pairs, so that the end of a
 * cycle sits next to its start: pure functions and their FeatureDefs.
 *
 * ```ts
 * const { sin, cos } = hourOfDay(openTime);
 * const [dowSin, dowCos] = dayOfWeekFeature.compute(input, {});
 * ```
 */
export { dayOfWeek, hourOfDay, type Cyclical } from './calendar';
export { DEFAULT_TIME_SET, TIME_FEATURES, dayOfWeekFeature, hourOfDayFeature } from './timeFeatures';
