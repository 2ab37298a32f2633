import { KlineSchema, type Kline } from '../../market/schema';
import { isAlignedOpenTime, klineViolations } from './klineChecks';

// A valid BTCUSDT 1h kline (values written for this test) and one variant per KlineSchema rule.
const VALID: Kline = {
  openTime: 1704067200000, open: 42283.58, high: 42554.57, low: 42261.02, close: 42475.23, volume: 1271.68108,
  closeTime: 1704070799999, quoteVolume: 53957248.973789, trades: 47134, takerBuyBaseVolume: 682.57581, takerBuyQuoteVolume: 28957416.819656,
};

const VARIANTS: [string, Partial<Kline>][] = [
  ['valid', {}],
  ['fractional openTime', { openTime: 1704067200000.5 }],
  ['negative openTime', { openTime: -1, closeTime: 5 }],
  ['zero open', { open: 0, low: 0 }],
  ['negative high', { high: -1 }],
  ['zero close', { close: 0, low: 0 }],
  ['negative volume', { volume: -1 }],
  ['negative quoteVolume', { quoteVolume: -1 }],
  ['fractional trades', { trades: 1.5 }],
  ['negative takerBuyQuoteVolume', { takerBuyQuoteVolume: -1 }],
  ['high below close', { high: 42400 }],
  ['low above open', { low: 42300 }],
  ['closeTime equal to openTime', { closeTime: 1704067200000 }],
  ['fractional closeTime', { closeTime: 1704070799999.5 }],
  ['taker volume above volume', { takerBuyBaseVolume: 1300 }],
  ['taker volume above volume within 1e-9', { takerBuyBaseVolume: 1271.68108 * (1 + 1e-10) }],
  ['high equal to open and close, low equal', { open: 1, high: 1, low: 1, close: 1 }],
];

describe('klineViolations', () => {
  it.each(VARIANTS)('agrees with KlineSchema: %s', (_, change) => {
    const kline = { ...VALID, ...change };
    expect(klineViolations(kline) === undefined).toBe(KlineSchema.safeParse(kline).success);
  });

  it('names fields and values, with the caller\'s names', () => {
    const kline = { ...VALID, high: 42400, volume: -2 };
    expect(klineViolations(kline)).toBe('volume -2 < 0; high 42400 < max(open, close) 42475.23; takerBuyBaseVolume 682.57581 > volume -2');
    expect(klineViolations({ ...VALID, trades: 1.5 }, { ...namesOf(VALID), trades: 'count' })).toBe('count 1.5 is not an integer');
  });
});

describe('isAlignedOpenTime', () => {
  it('uses epoch multiples for intraday and daily bars', () => {
    expect(isAlignedOpenTime(1704067200000, '1h')).toBe(true); // 2024-01-01T00:00Z
    expect(isAlignedOpenTime(1704067200000 + 15 * 60_000, '1h')).toBe(false);
    expect(isAlignedOpenTime(1704067200000 + 15 * 60_000, '15m')).toBe(true);
    expect(isAlignedOpenTime(1704067200000, '1d')).toBe(true);
  });

  it('uses Mondays 00:00 UTC for weekly bars', () => {
    expect(isAlignedOpenTime(1704067200000, '1w')).toBe(true); // Monday 2024-01-01
    expect(isAlignedOpenTime(1704326400000, '1w')).toBe(false); // Thursday 2024-01-04, an epoch multiple of 7 days
  });
});

function namesOf(k: Kline): { [F in keyof Kline]: string } {
  return Object.fromEntries(Object.keys(k).map((key) => [key, key])) as { [F in keyof Kline]: string };
}
