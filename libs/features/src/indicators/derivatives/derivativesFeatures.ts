import { z } from 'zod';
import { logChange } from '../../core/returns';
import { sma } from '../../core/rolling';
import { col, defineFeature, type FeatureDef } from '../../featureSet/FeatureDef';
import { windowParam } from '../../featureSet/params';
import { fundingMomentum } from './funding';
import { oiPriceDivergence } from './openInterest';

export const fundingRateFeature = defineFeature({
  name: 'funding_rate',
  group: 'derivatives',
  description: 'Funding rate as published, the last one at or before each bar close.',
  params: z.object({}),
  requires: ['fundingRate'],
  outputs: () => ['funding_rate'],
  warmup: () => 0,
  compute: (input) => [Float64Array.from(col(input, 'fundingRate'))],
});

export const fundingMeanFeature = defineFeature({
  name: 'funding_mean',
  group: 'derivatives',
  description: 'Mean funding rate over the last `window` bars (of the rate as of each bar close).',
  params: z.object({ window: windowParam(24, 1) }),
  requires: ['fundingRate'],
  outputs: (p) => [`funding_mean_${p.window}`],
  warmup: (p) => p.window - 1,
  compute: (input, p) => [sma(col(input, 'fundingRate'), p.window)],
});

export const fundingMomentumFeature = defineFeature({
  name: 'funding_momentum',
  group: 'derivatives',
  description: 'Change of the funding rate over `window` bars: rate[t] - rate[t - window] (8 on 1h bars = one funding period).',
  params: z.object({ window: windowParam(8, 1) }),
  requires: ['fundingRate'],
  outputs: (p) => [`funding_mom_${p.window}`],
  warmup: (p) => p.window,
  compute: (input, p) => [fundingMomentum(col(input, 'fundingRate'), p.window)],
});

export const oiChangeFeature = defineFeature({
  name: 'oi_change',
  group: 'derivatives',
  description: 'Log change of open interest (contracts) over `window` bars: ln(OI[t] / OI[t - window]).',
  params: z.object({ window: windowParam(24, 1) }),
  requires: ['openInterest'],
  outputs: (p) => [`oi_change_${p.window}`],
  warmup: (p) => p.window,
  compute: (input, p) => [logChange(col(input, 'openInterest'), p.window)],
  // A zero open interest has no log.
  mayBeNaN: (p) => [`oi_change_${p.window}`],
});

const divergenceOutputs = (p: { window: number }) => [`oi_price_div_${p.window}`, `oi_price_agree_${p.window}`];

export const oiPriceDivergenceFeature = defineFeature({
  name: 'oi_price_divergence',
  group: 'derivatives',
  description: 'Open interest against price over `window` bars: div = ln OI change - ln price change; agree = sign(OI change) · sign(price change) (+1 agree, -1 disagree, 0 flat).',
  params: z.object({ window: windowParam(24, 1) }),
  requires: ['openInterest', 'close'],
  outputs: divergenceOutputs,
  warmup: (p) => p.window,
  compute: (input, p) => {
    const d = oiPriceDivergence(col(input, 'openInterest'), col(input, 'close'), p.window);
    return [d.divergence, d.agreement];
  },
  mayBeNaN: divergenceOutputs,
});

export const DERIVATIVES_FEATURES: readonly FeatureDef[] = [
  fundingRateFeature as FeatureDef,
  fundingMeanFeature as FeatureDef,
  fundingMomentumFeature as FeatureDef,
  oiChangeFeature as FeatureDef,
  oiPriceDivergenceFeature as FeatureDef,
];

/** The default derivatives columns (6): funding_rate, funding_mean_24, funding_mom_8, oi_change_24, oi_price_div_24, oi_price_agree_24. */
export const DEFAULT_DERIVATIVES_SET: readonly { readonly name: string; readonly params: Readonly<Record<string, unknown>> }[] = [
  { name: 'funding_rate', params: {} },
  { name: 'funding_mean', params: { window: 24 } },
  { name: 'funding_momentum', params: { window: 8 } },
  { name: 'oi_change', params: { window: 24 } },
  { name: 'oi_price_divergence', params: { window: 24 } },
];
