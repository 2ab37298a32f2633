/**
 * Request weight of each endpoint this client calls, charged against the per-minute budget of
 * the host it goes to (spot `api.binance.com` and futures `fapi.binance.com` are separate pools).
 *
 * Sources (Binance's own documentation):
 * - Spot, `binance-spot-api-docs` rest-api.md, "Market Data endpoints"
 *   (developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints):
 *   `GET /api/v3/klines` weight 2 whatever the limit (1..1000); `GET /api/v3/aggTrades` weight 4.
 *   Both were 1 in the 2023-06 revision and were raised since, so a stale table under-counts:
 *   the `X-MBX-USED-WEIGHT-1M` header is read as well and wins when it is higher.
 * - USDⓈ-M futures (developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api):
 *   `GET /fapi/v1/fundingRate` has no minute weight but "shares 500/5min/IP rate limit with
 *   GET /fapi/v1/fundingInfo"; `GET /futures/data/openInterestHist` is listed with weight 0 and
 *   has its own per-IP request cap. Both are charged 1 here so the minute budget also bounds how
 *   many of them are sent.
 */
export const REQUEST_WEIGHTS = {
  '/api/v3/klines': (_limit: number): number => 2,
  '/api/v3/aggTrades': (_limit: number): number => 4,
  '/fapi/v1/fundingRate': (_limit: number): number => 1,
  '/futures/data/openInterestHist': (_limit: number): number => 1,
} as const satisfies Record<string, (limit: number) => number>;

export type BinanceEndpoint = keyof typeof REQUEST_WEIGHTS;

/** Weight of one request to `endpoint` with `limit` rows. */
export function requestWeight(endpoint: BinanceEndpoint, limit: number): number {
  return REQUEST_WEIGHTS[endpoint](limit);
}
