/** `lap(part)` adds the milliseconds since the previous lap (or since creation) to `timings[part]`. Imports nothing: training threads use it. */
export function lapTimer(timings: Record<string, number>): (part: string) => void {
  let start = performance.now();
  return (part) => {
    const now = performance.now();
    timings[part] = (timings[part] ?? 0) + now - start;
    start = now;
  };
}
