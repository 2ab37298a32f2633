import { z } from 'zod';
import { logReturns } from '../../core/returns';
import { col, defineFeature, type FeatureDef } from '../../featureSet/FeatureDef';
import { windowParam } from '../../featureSet/params';
import type { FeatureInput } from '../../series';
import { rollingCoMovement } from './refRegression';

const windowParams = z.object({
  /** Return pairs per window. @default 50 */
  window: windowParam(50, 3),
});
type WindowParams = z.output<typeof windowParams>;

function coMovement(input: FeatureInput, p: WindowParams) {
  return rollingCoMovement(logReturns(col(input, 'close')), logReturns(col(input, 'refClose')), p.window);
}

export const refCorrelationFeature = defineFeature({
  name: 'ref_correlation',
  group: 'cross_asset',
  description: "Pearson correlation of the bar's log returns with the reference symbol's over the last `window` bars.",
  params: windowParams,
  requires: ['close', 'refClose'],
  outputs: (p) => [`corr_ref_${p.window}`],
  // Returns start at bar 1: the first window of `window` return pairs ends at bar `window`.
  warmup: (p) => p.window,
  compute: (input, p) => [coMovement(input, p).corr],
  // Either leg flat over the window.
  mayBeNaN: (p) => [`corr_ref_${p.window}`],
});

export const refBetaFeature = defineFeature({
  name: 'ref_beta',
  group: 'cross_asset',
  description: "Beta of the bar's log returns on the reference symbol's over the last `window` bars: cov / var of the reference (OLS slope).",
  params: windowParams,
  requires: ['close', 'refClose'],
  outputs: (p) => [`beta_ref_${p.window}`],
  warmup: (p) => p.window,
  compute: (input, p) => [coMovement(input, p).beta],
  // The reference flat over the window.
  mayBeNaN: (p) => [`beta_ref_${p.window}`],
});

export const CROSS_ASSET_FEATURES: readonly FeatureDef[] = [refCorrelationFeature as FeatureDef, refBetaFeature as FeatureDef];

/** The default cross-asset columns (2): corr_ref_50, beta_ref_50 (need a reference symbol's close). */
export const DEFAULT_CROSS_ASSET_SET: readonly { readonly name: string; readonly params: Readonly<Record<string, unknown>> }[] = [
  { name: 'ref_correlation', params: { window: 50 } },
  { name: 'ref_beta', params: { window: 50 } },
];
