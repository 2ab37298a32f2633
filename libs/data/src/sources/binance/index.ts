/**
 * Binance REST source: klines and aggregated trades (spot), funding rates and open interest
 * (USDⓈ-M futures), with request-weight budgeting, retries and zod validation at the boundary.
 *
 * @example
 * import { BinanceClient, aggregateTradeFlow } from './sources/binance';
 *
 * const binance = new BinanceClient();
 * const candles = await binance.fetchKlines('BTCUSDT', '1h', { startTime: Date.UTC(2024, 0, 1), after: lastStoredOpenTime });
 * const trades = await binance.fetchAggTrades('BTCUSDT', { startTime: candles.openTime[0]!, endTime });
 * const flow = aggregateTradeFlow(trades, '1h', candles.openTime, 5);
 */
export {
  BinanceClient,
  compileBinanceClientOptions,
  OPEN_INTEREST_PERIODS,
  type BinanceClientOptions,
  type FetchKlinesRange,
  type KlinePageRange,
  type OpenInterestPeriod,
  type TimeRange,
} from './BinanceClient';
export { RequestWeightLimiter, type RequestWeightLimiterOptions } from './RequestWeightLimiter';
export { aggregateTradeFlow } from './tradeFlow';
export { REQUEST_WEIGHTS, requestWeight, type BinanceEndpoint } from './weights';
