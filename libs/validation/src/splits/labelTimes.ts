import { InvalidLabelTimesError } from '../errors';

/**
 * Checks the label times a purging splitter relies on: `times` (label start, the bar time) finite
 * and sorted ascending (ties allowed), `t1` (label end) either NaN (no label: the row takes part in
 * no split) or finite and >= its start. Throws InvalidLabelTimesError naming the first bad row.
 */
export function checkLabelTimes(what: string, times: Float64Array, t1: Float64Array): void {
  if (t1.length !== times.length) {
    throw new InvalidLabelTimesError(`${what}: t1 has ${t1.length} rows but times has ${times.length}`);
  }
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!Number.isFinite(t)) throw new InvalidLabelTimesError(`${what}: times[${i}] is ${t}; label start times must be finite`);
    if (i > 0 && t < times[i - 1]!) {
      throw new InvalidLabelTimesError(`${what}: times are not sorted: times[${i}] = ${showTime(t)} is before times[${i - 1}] = ${showTime(times[i - 1]!)}`);
    }
  }
  let early = 0;
  let first = -1;
  for (let i = 0; i < t1.length; i++) {
    const e = t1[i]!;
    if (Number.isNaN(e)) continue;
    if (!Number.isFinite(e)) throw new InvalidLabelTimesError(`${what}: t1[${i}] is ${e}; a label end must be a finite time, or NaN for no label`);
    if (e < times[i]!) {
      if (early === 0) first = i;
      early++;
    }
  }
  if (early > 0) {
    throw new InvalidLabelTimesError(
      `${what}: ${early} label${early === 1 ? ' ends' : 's end'} before ${early === 1 ? 'it starts' : 'they start'}, first at row ${first}: t1 ${showTime(t1[first]!)} < times ${showTime(times[first]!)}`,
    );
  }
}

/** A time as a message shows it: the number, with its ISO date when it looks like epoch ms. */
export function showTime(t: number): string {
  return Math.abs(t) >= 1e11 && Math.abs(t) < 1e14 ? `${t} (${new Date(t).toISOString()})` : String(t);
}
