import { nans } from '../../core/rolling';

// Globals captured once: inside jest's vm sandbox a global lookup (Math, Number) in a hot loop
// costs about 100x a module-scope one.
const { cos, floor, PI, sin } = Math;
const finite = Number.isFinite;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** 1970-01-01 (epoch day 0) was a Thursday: weekday 3 with Monday = 0, as Python's `weekday()`. */
const EPOCH_WEEKDAY = 3;

/** A cyclical quantity as a point on the unit circle, so 23:00 sits next to 00:00. */
export interface Cyclical {
  sin: Float64Array;
  cos: Float64Array;
}

/**
 * Hour of day in UTC from epoch-millisecond times, fractional (09:30 is 9.5), encoded as
 * sin/cos(2π · hour / 24). NaN where the time is not finite.
 */
export function hourOfDay(time: Float64Array): Cyclical {
  return cyclical(time, 24, (ms) => mod(ms, DAY_MS) / HOUR_MS);
}

/**
 * Day of week in UTC (Monday = 0 … Sunday = 6, whole days) from epoch-millisecond times, encoded
 * as sin/cos(2π · day / 7). NaN where the time is not finite.
 */
export function dayOfWeek(time: Float64Array): Cyclical {
  return cyclical(time, 7, (ms) => mod(floor(ms / DAY_MS) + EPOCH_WEEKDAY, 7));
}

function cyclical(time: Float64Array, period: number, phase: (ms: number) => number): Cyclical {
  const out: Cyclical = { sin: nans(time.length), cos: nans(time.length) };
  for (let i = 0; i < time.length; i++) {
    const ms = time[i]!;
    if (!finite(ms)) continue;
    const angle = (2 * PI * phase(ms)) / period;
    out.sin[i] = sin(angle);
    out.cos[i] = cos(angle);
  }
  return out;
}

/** Remainder in [0, m), also for times before 1970. */
function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
