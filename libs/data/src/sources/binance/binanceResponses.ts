import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import {
  AggTradeSchema,
  FundingRateSchema,
  KlineSchema,
  OpenInterestSchema,
  type AggTrade,
  type FundingRate,
  type Kline,
  type OpenInterest,
} from '../../market/schema';

// Zod schemas for Binance's wire format (decimals as strings, times as integers), each piped
// into the domain schema of market/schema.ts so a row is checked once, at the boundary.

/** Binance sends prices and quantities as decimal strings ("0.01634790") to keep precision. */
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'must be a decimal string such as "0.01634790"')
  .transform(Number);
const epochMs = z.number().int().nonnegative();
/** openInterestHist documents `timestamp` as a string in one example and a number in others. */
const epochMsOrString = z.union([epochMs, z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number)]);

/**
 * One kline row: [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades,
 * takerBuyBase, takerBuyQuote, ignore]. Trailing fields beyond the 11 used are ignored.
 */
export const KlineRowSchema = z
  .tuple([epochMs, decimal, decimal, decimal, decimal, decimal, epochMs, decimal, z.number().int().nonnegative(), decimal, decimal], z.unknown())
  .transform(
    ([openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBaseVolume, takerBuyQuoteVolume]): Kline => ({
      openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBaseVolume, takerBuyQuoteVolume,
    }),
  )
  .pipe(KlineSchema);

/** One aggregated trade: {a, p, q, f, l, T, m, M}. */
export const AggTradeRowSchema = z
  .object({ a: epochMs, p: decimal, q: decimal, f: epochMs, l: epochMs, T: epochMs, m: z.boolean(), M: z.boolean().optional() })
  .transform((r): AggTrade => ({ id: r.a, price: r.p, quantity: r.q, firstTradeId: r.f, lastTradeId: r.l, time: r.T, isBuyerMaker: r.m }))
  .pipe(AggTradeSchema);

/** One funding event: {symbol, fundingTime, fundingRate, markPrice}; old events may lack a mark price (absent or ""). */
export const FundingRateRowSchema = z
  .object({ symbol: z.string(), fundingTime: epochMs, fundingRate: decimal, markPrice: z.union([decimal, z.literal('')]).optional() })
  .transform((r): FundingRate => ({
    fundingTime: r.fundingTime,
    fundingRate: r.fundingRate,
    ...(typeof r.markPrice === 'number' ? { markPrice: r.markPrice } : {}),
  }))
  .pipe(FundingRateSchema);

/** One open-interest point: {symbol, sumOpenInterest, sumOpenInterestValue, timestamp}. */
export const OpenInterestRowSchema = z
  .object({ symbol: z.string(), sumOpenInterest: decimal, sumOpenInterestValue: decimal, timestamp: epochMsOrString })
  .transform((r): OpenInterest => ({ time: r.timestamp, sumOpenInterest: r.sumOpenInterest, sumOpenInterestValue: r.sumOpenInterestValue }))
  .pipe(OpenInterestSchema);

/** Binance's error body, e.g. {"code": -1121, "msg": "Invalid symbol."}. */
export const BinanceErrorBodySchema = z.object({ code: z.number(), msg: z.string() });
export type BinanceErrorBody = z.infer<typeof BinanceErrorBodySchema>;

/**
 * Validates a JSON array response row by row.
 * @param where names the request in error messages, e.g. "GET /api/v3/klines BTCUSDT 1h".
 * @throws InvalidInputError naming `where`, the row index, the failing fields and the row itself.
 */
export function parseRows<T>(body: unknown, schema: z.ZodType<T>, where: string): T[] {
  if (!Array.isArray(body)) {
    throw new InvalidInputError(`${where}: expected a JSON array, got ${describe(body)}`);
  }
  return body.map((row: unknown, index) => {
    const result = schema.safeParse(row);
    if (result.success) return result.data;
    const issues = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'row'}: ${i.message}`).join('; ');
    throw new InvalidInputError(`${where}: row ${index} is malformed (${issues}); row = ${describe(row)}`, { cause: result.error });
  });
}

/** A short, bounded rendering of a JSON value for error messages. */
export function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
