/**
 * A process-wide profile of where training time goes, by category (native training, Dataset /
 * DMatrix construction, thread start-up, data loading, checkpoint writes, …). Off unless
 * ARES_PROFILE=1 (or `profiler.enable()`): recording then costs one `performance.now()` pair.
 * `bench/governor.bench.ts --profile` reads the worker processes' totals (see apps/worker's
 * ARES_PROFILE_FILE) to print the breakdown.
 */

/** Seconds and number of events of one category. */
export interface ProfileEntry {
  seconds: number;
  count: number;
}

export type ProfileTotals = Record<string, ProfileEntry>;

export class Profiler {
  private totals = new Map<string, ProfileEntry>();

  constructor(private on: boolean) {}

  get enabled(): boolean {
    return this.on;
  }

  enable(): void {
    this.on = true;
  }

  /** Adds `ms` milliseconds (and `count` events) to a category. */
  add(category: string, ms: number, count = 1): void {
    if (!this.on) return;
    const entry = this.totals.get(category) ?? { seconds: 0, count: 0 };
    entry.seconds += ms / 1000;
    entry.count += count;
    this.totals.set(category, entry);
  }

  /** Runs `fn` and adds its wall time to `category` (also when it throws). */
  async time<T>(category: string, fn: () => Promise<T>): Promise<T> {
    if (!this.on) return fn();
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.add(category, performance.now() - start);
    }
  }

  /** Synchronous `time`. */
  timeSync<T>(category: string, fn: () => T): T {
    if (!this.on) return fn();
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.add(category, performance.now() - start);
    }
  }

  /** A copy of the totals, categories sorted by name. */
  snapshot(): ProfileTotals {
    return Object.fromEntries([...this.totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]));
  }

  reset(): void {
    this.totals = new Map();
  }
}

/** The profile of this process (the worker threads report their native timings to it through the pool). */
export const profiler = new Profiler(process.env.ARES_PROFILE === '1');
