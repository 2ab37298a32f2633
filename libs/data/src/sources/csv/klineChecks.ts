import type { Kline } from '../../market/schema';

/**
 * Hand-written twins of `KlineSchema`'s rules (market/schema.ts) for hot paths that cannot afford a
 * zod parse per row. Keep the two in step: klineChecks.spec.ts compares them on the same rows.
 */

export { barOriginMs, isAlignedOpenTime } from '../../market/schema';

/**
 * Describes every way `k` breaks KlineSchema's rules, or returns undefined when it keeps them all.
 * Messages name the field and the values, e.g. "high 41000 < max(open, close) 42000".
 * `names` maps Kline fields to the names the caller's source uses (CSV columns, API fields).
 */
export function klineViolations(k: Kline, names: KlineFieldNames = KLINE_FIELD_NAMES): string | undefined {
  if (keepsKlineRules(k)) return undefined;
  const reasons = describeViolations(k, names);
  return reasons.length > 0 ? reasons.join('; ') : `values are not finite: ${JSON.stringify(k)}`;
}

/** Field names used in violation messages. */
export type KlineFieldNames = { readonly [F in keyof Kline]: string };

/** The Kline field names themselves (camelCase, as in KlineSchema). */
export const KLINE_FIELD_NAMES: KlineFieldNames = {
  openTime: 'openTime', open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume',
  closeTime: 'closeTime', quoteVolume: 'quoteVolume', trades: 'trades',
  takerBuyBaseVolume: 'takerBuyBaseVolume', takerBuyQuoteVolume: 'takerBuyQuoteVolume',
};

/**
 * Fast path: one boolean expression, no allocation. Every value is assumed finite (the parser checks
 * that), so `x % 1 === 0` is Number.isInteger(x); it avoids a call (boxing its argument) and a global
 * lookup, which is slow inside vm contexts such as jest's.
 */
function keepsKlineRules(k: Kline): boolean {
  return (
    k.openTime % 1 === 0 && k.openTime >= 0 &&
    k.closeTime % 1 === 0 && k.closeTime > k.openTime &&
    k.open > 0 && k.high > 0 && k.low > 0 && k.close > 0 &&
    k.high >= k.open && k.high >= k.close && k.low <= k.open && k.low <= k.close &&
    k.volume >= 0 && k.quoteVolume >= 0 && k.takerBuyBaseVolume >= 0 && k.takerBuyQuoteVolume >= 0 &&
    k.trades % 1 === 0 && k.trades >= 0 &&
    k.takerBuyBaseVolume <= k.volume * (1 + 1e-9)
  );
}

/** Slow path, only for rows that failed `keepsKlineRules`. */
function describeViolations(k: Kline, n: KlineFieldNames): string[] {
  const out: string[] = [];
  for (const f of ['openTime', 'closeTime', 'trades'] as const) {
    if (!Number.isInteger(k[f])) out.push(`${n[f]} ${k[f]} is not an integer`);
    else if (k[f] < 0) out.push(`${n[f]} ${k[f]} < 0`);
  }
  for (const f of ['open', 'high', 'low', 'close'] as const) {
    if (!(k[f] > 0)) out.push(`${n[f]} ${k[f]} <= 0`);
  }
  for (const f of ['volume', 'quoteVolume', 'takerBuyBaseVolume', 'takerBuyQuoteVolume'] as const) {
    if (!(k[f] >= 0)) out.push(`${n[f]} ${k[f]} < 0`);
  }
  const top = Math.max(k.open, k.close);
  const bottom = Math.min(k.open, k.close);
  if (k.high < top) out.push(`${n.high} ${k.high} < max(${n.open}, ${n.close}) ${top}`);
  if (k.low > bottom) out.push(`${n.low} ${k.low} > min(${n.open}, ${n.close}) ${bottom}`);
  if (k.closeTime <= k.openTime) out.push(`${n.closeTime} ${k.closeTime} <= ${n.openTime} ${k.openTime}`);
  if (k.takerBuyBaseVolume > k.volume * (1 + 1e-9)) {
    out.push(`${n.takerBuyBaseVolume} ${k.takerBuyBaseVolume} > ${n.volume} ${k.volume}`);
  }
  return out;
}
