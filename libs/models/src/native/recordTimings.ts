import { profiler } from '../core/profile';

/** Adds a training thread's timings (milliseconds by part: dataset, train, save) to the process profile as `<library>.<part>`. */
export function recordTimings(library: string, timings: Record<string, number>): void {
  for (const [part, ms] of Object.entries(timings)) profiler.add(`${library}.${part}`, ms);
}
