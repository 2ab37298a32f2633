import { InvalidInputError } from '../../errors';
import type { AggTrade } from '../../market/schema';
import { aggregateTradeFlow } from './tradeFlow';

const T0 = Date.UTC(2024, 2, 1);
const M15 = 15 * 60_000;

function trade(id: number, time: number, quantity: number, isBuyerMaker: boolean): AggTrade {
  return { id, price: 100, quantity, firstTradeId: id, lastTradeId: id, time, isBuyerMaker };
}

describe('aggregateTradeFlow', () => {
  // Hand-computed: 15m bars at T0, T0+15m and (after a gap) T0+45m; threshold 5.
  //   bar 0: buys 1 + 6 = 7 (2 trades), sells 2 (1), large 6
  //   bar 1: buys 0, sells 5 + 0.5 = 5.5 (2), large 5 (5 >= 5: the threshold is inclusive)
  //   T0+30m..45m has no bar (gap): its trade is ignored; so is the one before T0
  //   bar 2: buys 3 (1), sells 0, large 0
  const openTimes = new Float64Array([T0, T0 + M15, T0 + 3 * M15]);
  const trades = [
    trade(1, T0 - 1, 100, false),
    trade(2, T0, 1, false),
    trade(3, T0 + 60_000, 2, true),
    trade(4, T0 + M15 - 1, 6, false),
    trade(5, T0 + M15, 5, true),
    trade(6, T0 + M15 + 1, 0.5, true),
    trade(7, T0 + 2 * M15 + 10, 50, false),
    trade(8, T0 + 4 * M15 - 1, 3, false),
  ];

  it('sums taker buys, taker sells, counts and large volume per bar', () => {
    const flow = aggregateTradeFlow(trades, '15m', openTimes, 5);
    expect(flow.length).toBe(3);
    expect(Array.from(flow.openTime)).toEqual(Array.from(openTimes));
    expect(Array.from(flow.buyVolume)).toEqual([7, 0, 3]);
    expect(Array.from(flow.sellVolume)).toEqual([2, 5.5, 0]);
    expect(Array.from(flow.buyTrades)).toEqual([2, 0, 1]);
    expect(Array.from(flow.sellTrades)).toEqual([1, 2, 0]);
    expect(Array.from(flow.largeTradeVolume)).toEqual([6, 5, 0]);
  });

  it('does not depend on the order of the trades', () => {
    const reversed = aggregateTradeFlow([...trades].reverse(), '15m', openTimes, 5);
    expect(Array.from(reversed.buyVolume)).toEqual([7, 0, 3]);
  });

  it('returns zeroed columns when there are no trades, and empty ones for no bars', () => {
    expect(Array.from(aggregateTradeFlow([], '15m', openTimes, 5).buyVolume)).toEqual([0, 0, 0]);
    expect(aggregateTradeFlow(trades, '15m', new Float64Array(0), 5).length).toBe(0);
  });

  it('rejects unordered open times and a bad threshold, naming the value', () => {
    expect(() => aggregateTradeFlow(trades, '15m', new Float64Array([T0, T0]), 5)).toThrow(InvalidInputError);
    expect(() => aggregateTradeFlow(trades, '15m', new Float64Array([T0 + M15, T0]), 5)).toThrow(/openTimes\[1\] = \d+ \(2024-03-01T00:00:00.000Z\) follows/);
    expect(() => aggregateTradeFlow(trades, '15m', openTimes, Number.NaN)).toThrow(/largeTradeQuantity must be a finite number >= 0; got NaN/);
  });
});
