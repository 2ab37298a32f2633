/**
 * Runs tasks with at most `limit` in flight; results in task order. Deterministic in workflow code.
 * With `holdBack`, lanes beyond the first `holdBack.lanes` start only once `holdBack.until` has
 * settled (a trickle while other work has the slots, full width after).
 */
export async function pool<T>(tasks: (() => Promise<T>)[], limit: number, holdBack?: { lanes: number; until: Promise<unknown> }): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async (k: number) => {
    if (holdBack && k >= holdBack.lanes) await holdBack.until.then(() => undefined, () => undefined);
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, (_, k) => lane(k)));
  return results;
}
