import { InvalidInputError } from '../../errors';
import { allocateTradeFlow, intervalMs, type AggTrade, type Interval, type TradeFlowColumns } from '../../market/schema';

/**
 * Summarises aggregated trades per bar, aligned row for row to `openTimes` (a candle column).
 *
 * Side convention: `isBuyerMaker = false` means the buyer was the taker (an aggressive buy), so
 * the quantity counts as `buyVolume`; `isBuyerMaker = true` is a taker sell (`sellVolume`).
 * A trade belongs to the bar with `openTime <= time < openTime + intervalMs(interval)`; trades
 * outside every bar (gaps, before the first, after the last) are ignored. `largeTradeVolume` sums
 * the quantity of trades with `quantity >= largeTradeQuantity`, whichever side.
 *
 * @throws InvalidInputError when `openTimes` is not strictly ascending or the threshold is not a finite number >= 0.
 */
export function aggregateTradeFlow(
  trades: readonly AggTrade[],
  interval: Interval,
  openTimes: Float64Array,
  largeTradeQuantity: number,
): TradeFlowColumns {
  if (!Number.isFinite(largeTradeQuantity) || largeTradeQuantity < 0) {
    throw new InvalidInputError(`largeTradeQuantity must be a finite number >= 0; got ${largeTradeQuantity}`);
  }
  assertAscending(openTimes);
  const step = intervalMs(interval);
  const flow = allocateTradeFlow(openTimes.length);
  flow.openTime.set(openTimes);
  for (const trade of trades) {
    const bar = barIndex(openTimes, step, trade.time);
    if (bar < 0) continue;
    if (trade.isBuyerMaker) {
      add(flow.sellVolume, bar, trade.quantity);
      add(flow.sellTrades, bar, 1);
    } else {
      add(flow.buyVolume, bar, trade.quantity);
      add(flow.buyTrades, bar, 1);
    }
    if (trade.quantity >= largeTradeQuantity) add(flow.largeTradeVolume, bar, trade.quantity);
  }
  return flow;
}

function add(column: Float64Array, index: number, value: number): void {
  column[index] = (column[index] ?? 0) + value;
}

/** Index of the bar containing `time` (binary search on ascending open times), or -1. */
function barIndex(openTimes: Float64Array, step: number, time: number): number {
  let lo = 0;
  let hi = openTimes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const open = openTimes[mid] as number;
    if (time < open) hi = mid - 1;
    else if (time >= open + step) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function assertAscending(openTimes: Float64Array): void {
  for (let i = 1; i < openTimes.length; i++) {
    const prev = openTimes[i - 1] as number;
    const cur = openTimes[i] as number;
    if (!(cur > prev)) {
      throw new InvalidInputError(
        `openTimes must be strictly ascending; openTimes[${i}] = ${cur} (${iso(cur)}) follows ${prev} (${iso(prev)})`,
      );
    }
  }
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}
