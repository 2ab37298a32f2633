/**
 * Futures features: funding-rate level, mean and momentum, open-interest change and its
 * divergence from price, as pure functions and their FeatureDefs. Funding and open interest come
 * aligned to the bars as of each bar's close.
 *
 * ```ts
 * const oi = logChange(openInterest, 24);
 * const { divergence, agreement } = oiPriceDivergence(openInterest, close, 24);
 * ```
 */
export {
  DEFAULT_DERIVATIVES_SET,
  DERIVATIVES_FEATURES,
  fundingMeanFeature,
  fundingMomentumFeature,
  fundingRateFeature,
  oiChangeFeature,
  oiPriceDivergenceFeature,
} from './derivativesFeatures';
export { fundingMomentum } from './funding';
export { logChange, logReturns } from '../../core/returns';
export { oiPriceDivergence, type OiPriceDivergence } from './openInterest';
