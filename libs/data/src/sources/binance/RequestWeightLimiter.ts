const MINUTE_MS = 60_000;

/** Options of a {@link RequestWeightLimiter}; the client fills them from its own options. */
export interface RequestWeightLimiterOptions {
  /** Weight this client may spend per minute on one host. */
  limitPerMinute: number;
  /** Clock in epoch milliseconds. */
  now: () => number;
  /** Waits `ms` milliseconds. */
  sleep: (ms: number) => Promise<void>;
}

/**
 * Keeps one Binance host under its request-weight budget. Three things can make a request wait:
 *
 * 1. this client's own spending over the last rolling minute (`acquire` records each request);
 * 2. the server's count (`X-MBX-USED-WEIGHT-1M`), which also includes other clients on the same IP.
 *    Binance counts per calendar minute, so when that count has reached the budget the next
 *    request waits until the minute rolls over;
 * 3. a block set after a 429/418 (`Retry-After`), which holds every request to the host.
 *
 * Requests are admitted one at a time (a promise chain), so concurrent callers cannot all see
 * the same free budget and overshoot it together.
 */
export class RequestWeightLimiter {
  private readonly spent: { at: number; weight: number }[] = [];
  private serverUsed = 0;
  private serverMinute = Number.NEGATIVE_INFINITY;
  private blockedUntil = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly options: RequestWeightLimiterOptions) {}

  /** Waits until a request of `weight` fits the budget, then records it as spent. */
  acquire(weight: number): Promise<void> {
    const run = this.tail.then(() => this.admit(weight));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Records the server's count from the `X-MBX-USED-WEIGHT-1M` header of a response. */
  observeUsedWeight(usedWeight: number): void {
    if (!Number.isFinite(usedWeight) || usedWeight < 0) return;
    const minute = Math.floor(this.options.now() / MINUTE_MS);
    if (minute > this.serverMinute) {
      this.serverMinute = minute;
      this.serverUsed = usedWeight;
    } else if (minute === this.serverMinute) {
      // Responses can arrive out of order; the highest count of the minute is the current one.
      this.serverUsed = Math.max(this.serverUsed, usedWeight);
    }
  }

  /** Holds every request to this host for `ms` milliseconds (after a 429 or 418). */
  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.options.now() + ms);
  }

  /** Milliseconds a request of `weight` would have to wait now. */
  waitFor(weight: number): number {
    const now = this.options.now();
    this.prune(now);
    return Math.max(0, this.blockedUntil - now, this.localWait(now, weight), this.serverWait(now, weight));
  }

  private async admit(weight: number): Promise<void> {
    // One wait, not a loop: each cause above yields the exact time at which it clears.
    const wait = this.waitFor(weight);
    if (wait > 0) await this.options.sleep(wait);
    this.spent.push({ at: this.options.now(), weight });
  }

  private localWait(now: number, weight: number): number {
    let used = this.spent.reduce((sum, e) => sum + e.weight, 0);
    if (used + weight <= this.options.limitPerMinute) return 0;
    for (const entry of this.spent) {
      used -= entry.weight;
      if (used + weight <= this.options.limitPerMinute) return entry.at + MINUTE_MS - now;
    }
    const last = this.spent[this.spent.length - 1];
    return last === undefined ? 0 : last.at + MINUTE_MS - now;
  }

  private serverWait(now: number, weight: number): number {
    const minute = Math.floor(now / MINUTE_MS);
    if (minute !== this.serverMinute) return 0;
    if (this.serverUsed + weight <= this.options.limitPerMinute) return 0;
    return (minute + 1) * MINUTE_MS - now;
  }

  private prune(now: number): void {
    for (let first = this.spent[0]; first !== undefined && first.at + MINUTE_MS <= now; first = this.spent[0]) {
      this.spent.shift();
    }
  }
}
