import { z } from 'zod';
import { firstValid, nans, wilder } from '../../core/rolling';
import { col, defineFeature } from '../../featureSet/FeatureDef';

/**
 * Relative Strength Index (Wilder, 1978), as TA-Lib's RSI: 100 · G / (G + L), where G and L are
 * the Wilder-smoothed gains and losses (alpha 1/n, seeded with the mean of the first n price
 * changes), so the first value sits at index n.
 *
 * A window without any price change (0/0) gives 50, the neutral value: TA-Lib writes 0 there,
 * which would read as "maximally oversold" to a model.
 */
export function rsi(close: Float64Array, period: number): Float64Array {
  const n = close.length;
  const start = firstValid(close);
  const gains = nans(n);
  const losses = nans(n);
  for (let i = start + 1; i < n; i++) {
    const change = close[i]! - close[i - 1]!;
    gains[i] = change > 0 ? change : 0;
    losses[i] = change < 0 ? -change : 0;
  }
  const g = wilder(gains, period);
  const l = wilder(losses, period);
  const out = nans(n);
  for (let i = start + period; i < n; i++) {
    const total = g[i]! + l[i]!;
    out[i] = total === 0 ? 50 : (100 * g[i]!) / total;
  }
  return out;
}

export const rsiFeature = defineFeature({
  name: 'rsi',
  group: 'momentum',
  description: "Wilder's RSI of the close, 0-100 (TA-Lib RSI; 50 on a window without price change).",
  params: z.strictObject({ period: z.number().int().min(2).default(14) }),
  requires: ['close'],
  outputs: (p) => [`rsi_${p.period}`],
  warmup: (p) => p.period,
  compute: (input, p) => [rsi(col(input, 'close'), p.period)],
});
