import { isPivotHigh, isPivotLow } from './pivots';

/** Parameters of the level tracker (validated by the callers' zod schemas). */
export interface LevelTrackerOptions {
  /** Pivot width k: bars on each side of a pivot; a pivot at j is confirmed at j + k. */
  readonly pivotWidth: number;
  /** Pivots at bars j > t - lookback take part in the levels at bar t. */
  readonly lookback: number;
  /** Merge distance in ATR multiples (ATR at the bar where the levels are rebuilt). */
  readonly tolerance: number;
  /** Levels with fewer pivots than this are dropped. */
  readonly minTouches: number;
}

/** One support/resistance level. */
export interface Level {
  /** Mean price of the pivots in the cluster. */
  readonly price: number;
  /** Number of pivots (highs and lows) in the cluster. */
  readonly touches: number;
  /** Bar of the most recent pivot in the cluster (its confirmation came pivotWidth bars later). */
  readonly lastTouch: number;
}

/**
 * Support/resistance levels maintained bar by bar from confirmed pivots only.
 *
 * `advance()` processes bars 0, 1, 2, ... in order. At bar t it
 * 1. drops pivots that left the window (bar j <= t - lookback),
 * 2. adds the pivot high and/or low at j = t - k, which bar t has just confirmed (it reads bars <= t),
 * 3. when the pivot set changed, rebuilds the levels with tolerance × ATR[t] (if ATR[t] is not yet
 *    defined, the rebuild waits for the first bar where it is).
 *
 * Clustering (deterministic 1-D leader clustering): pivot prices are kept sorted; one pass opens
 * a cluster at the lowest price and adds each next price while it lies within the tolerance of the
 * cluster's running mean, else opens a new cluster. Clusters are contiguous in price, so levels
 * come out sorted by price. Highs and lows are pooled: a broken resistance becomes support.
 *
 * Cost per rebuild is O(pivots in window) (insertion into the sorted array plus one pass), and a
 * rebuild happens only when a pivot arrives or leaves, so a series of n bars costs
 * O(n·k + rebuilds·pivots in window).
 */
export class LevelTracker {
  /** Level prices, ascending; valid up to `levelCount`. */
  readonly levelPrice: Float64Array;
  readonly levelTouches: Int32Array;
  readonly levelLastTouch: Int32Array;
  levelCount = 0;

  private readonly sortedPrice: Float64Array;
  private readonly sortedBar: Int32Array;
  private pivotCount = 0;
  /** Pivot bars in confirmation order (ring buffer): the head is the next to leave the window. */
  private readonly queue: Int32Array;
  private queueHead = 0;
  private queueSize = 0;
  private dirty = false;
  private t = 0;

  constructor(
    private readonly high: Float64Array,
    private readonly low: Float64Array,
    private readonly atr: Float64Array,
    private readonly options: LevelTrackerOptions,
  ) {
    // Two pivot highs are more than k bars apart, so each kind has at most lookback / (k + 1) + 1 in the window.
    const capacity = 2 * (Math.floor(options.lookback / (options.pivotWidth + 1)) + 2);
    this.sortedPrice = new Float64Array(capacity);
    this.sortedBar = new Int32Array(capacity);
    this.queue = new Int32Array(capacity);
    this.levelPrice = new Float64Array(capacity);
    this.levelTouches = new Int32Array(capacity);
    this.levelLastTouch = new Int32Array(capacity);
  }

  /** The bar the next `advance()` will process. */
  get nextBar(): number {
    return this.t;
  }

  /** Processes the next bar; the levels then reflect everything known at its close. */
  advance(): void {
    const t = this.t++;
    const { pivotWidth: k, lookback } = this.options;
    while (this.queueSize > 0 && this.queue[this.queueHead]! <= t - lookback) {
      this.removePivot(this.queue[this.queueHead]!);
      this.queueHead = (this.queueHead + 1) % this.queue.length;
      this.queueSize--;
      this.dirty = true;
    }
    const j = t - k;
    if (j >= k) {
      if (isPivotHigh(this.high, j, k)) this.addPivot(this.high[j]!, j);
      if (isPivotLow(this.low, j, k)) this.addPivot(this.low[j]!, j);
    }
    if (this.dirty && Number.isFinite(this.atr[t]!)) {
      this.rebuild(this.options.tolerance * this.atr[t]!);
      this.dirty = false;
    }
  }

  /** Index of the highest level with price <= `price`, or -1. */
  floorLevel(price: number): number {
    let lo = 0;
    let hi = this.levelCount; // first level with price > `price` lies in [lo, hi]
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.levelPrice[mid]! <= price) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** A copy of the current levels, ascending by price. */
  levels(): Level[] {
    const out: Level[] = [];
    for (let i = 0; i < this.levelCount; i++) {
      out.push({ price: this.levelPrice[i]!, touches: this.levelTouches[i]!, lastTouch: this.levelLastTouch[i]! });
    }
    return out;
  }

  private addPivot(price: number, bar: number): void {
    let lo = 0;
    let hi = this.pivotCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sortedPrice[mid]! <= price) lo = mid + 1; // after equal prices: arrival order breaks ties
      else hi = mid;
    }
    this.sortedPrice.copyWithin(lo + 1, lo, this.pivotCount);
    this.sortedBar.copyWithin(lo + 1, lo, this.pivotCount);
    this.sortedPrice[lo] = price;
    this.sortedBar[lo] = bar;
    this.pivotCount++;
    this.queue[(this.queueHead + this.queueSize) % this.queue.length] = bar;
    this.queueSize++;
    this.dirty = true;
  }

  /** Removes one pivot of `bar` (a bar can hold a pivot high and a pivot low: each has its queue entry). */
  private removePivot(bar: number): void {
    for (let i = 0; i < this.pivotCount; i++) {
      if (this.sortedBar[i] !== bar) continue;
      this.sortedPrice.copyWithin(i, i + 1, this.pivotCount);
      this.sortedBar.copyWithin(i, i + 1, this.pivotCount);
      this.pivotCount--;
      return;
    }
  }

  private rebuild(tolerance: number): void {
    const price = this.sortedPrice;
    const bar = this.sortedBar;
    const m = this.pivotCount;
    const minTouches = this.options.minTouches;
    let n = 0;
    let i = 0;
    while (i < m) {
      let sum = price[i]!;
      let count = 1;
      let mean = sum;
      let last = bar[i]!;
      for (i++; i < m && price[i]! - mean <= tolerance; i++) {
        sum += price[i]!;
        count++;
        mean = sum / count;
        if (bar[i]! > last) last = bar[i]!;
      }
      if (count < minTouches) continue;
      this.levelPrice[n] = mean;
      this.levelTouches[n] = count;
      this.levelLastTouch[n] = last;
      n++;
    }
    this.levelCount = n;
  }
}
