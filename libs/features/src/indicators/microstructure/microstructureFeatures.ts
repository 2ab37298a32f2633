import { z } from 'zod';
import { col, defineFeature, type FeatureDef } from '../../featureSet/FeatureDef';
import { windowParam } from '../../featureSet/params';
import { largeTradeShare, takerBuyRatio, tradeIntensity, tradeIntensityZ } from './flow';

export const takerBuyRatioFeature = defineFeature({
  name: 'taker_buy_ratio',
  group: 'microstructure',
  description: 'Taker-buy share of volume over the last `window` bars: Σ takerBuyBaseVolume / Σ volume (window 1: the bar itself); 0.5 is balanced.',
  params: z.object({ window: windowParam(1, 1) }),
  requires: ['volume', 'takerBuyBaseVolume'],
  outputs: (p) => [`taker_buy_ratio_${p.window}`],
  warmup: (p) => p.window - 1,
  compute: (input, p) => [takerBuyRatio(col(input, 'takerBuyBaseVolume'), col(input, 'volume'), p.window)],
  // Zero volume over the whole window.
  mayBeNaN: (p) => [`taker_buy_ratio_${p.window}`],
});

export const largeTradeShareFeature = defineFeature({
  name: 'large_trade_share',
  group: 'microstructure',
  description: 'Share of volume traded in large trades over the last `window` bars: Σ largeTradeVolume / Σ volume.',
  params: z.object({ window: windowParam(20, 1) }),
  requires: ['volume', 'largeTradeVolume'],
  outputs: (p) => [`large_trade_share_${p.window}`],
  warmup: (p) => p.window - 1,
  compute: (input, p) => [largeTradeShare(col(input, 'largeTradeVolume'), col(input, 'volume'), p.window)],
  mayBeNaN: (p) => [`large_trade_share_${p.window}`],
});

const TRADE_INTENSITY_MODES = ['ratio', 'zscore'] as const;
const tradeIntensityParams = z.object({
  window: windowParam(20, 2),
  /** 'ratio': trades / n-bar mean; 'zscore': (trades - mean) / sample std. @default 'ratio' */
  mode: z.enum(TRADE_INTENSITY_MODES, { error: (i) => `mode must be one of ${TRADE_INTENSITY_MODES.join(', ')}; got ${JSON.stringify(i.input)}` }).default('ratio'),
});
type TradeIntensityParams = z.output<typeof tradeIntensityParams>;
const tradeIntensityName = (p: TradeIntensityParams) => (p.mode === 'ratio' ? `trade_intensity_${p.window}` : `trade_intensity_z_${p.window}`);

export const tradeIntensityFeature = defineFeature({
  name: 'trade_intensity',
  group: 'microstructure',
  description: "Trade count against its last `window` bars (bar included): mode 'ratio' = trades / mean, 'zscore' = (trades - mean) / sample std.",
  params: tradeIntensityParams,
  requires: ['trades'],
  outputs: (p) => [tradeIntensityName(p)],
  warmup: (p) => p.window - 1,
  compute: (input, p) => {
    const trades = col(input, 'trades');
    return [p.mode === 'ratio' ? tradeIntensity(trades, p.window) : tradeIntensityZ(trades, p.window)];
  },
  // No trades (ratio) or the same count on every bar (zscore).
  mayBeNaN: (p) => [tradeIntensityName(p)],
});

export const MICROSTRUCTURE_FEATURES: readonly FeatureDef[] = [takerBuyRatioFeature as FeatureDef, largeTradeShareFeature as FeatureDef, tradeIntensityFeature as FeatureDef];

/** The default microstructure columns (4): taker_buy_ratio_1, taker_buy_ratio_20, large_trade_share_20, trade_intensity_20. */
export const DEFAULT_MICROSTRUCTURE_SET: readonly { readonly name: string; readonly params: Readonly<Record<string, unknown>> }[] = [
  { name: 'taker_buy_ratio', params: { window: 1 } },
  { name: 'taker_buy_ratio', params: { window: 20 } },
  { name: 'large_trade_share', params: { window: 20 } },
  { name: 'trade_intensity', params: { window: 20, mode: 'ratio' } },
];
