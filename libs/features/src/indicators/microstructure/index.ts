/**
 * Order-flow features from kline taker volume and per-bar trade flow: taker-buy ratio, large-trade
 * share and trade-count intensity, as pure functions and their FeatureDefs.
 *
 * ```ts
 * const ratio = takerBuyRatio(takerBuyBaseVolume, volume, 20);
 * const [intensity] = tradeIntensityFeature.compute(input, tradeIntensityFeature.params.parse({ window: 50 }));
 * ```
 */
export { largeTradeShare, takerBuyRatio, tradeIntensity, tradeIntensityZ } from './flow';
export { DEFAULT_MICROSTRUCTURE_SET, MICROSTRUCTURE_FEATURES, largeTradeShareFeature, takerBuyRatioFeature, tradeIntensityFeature } from './microstructureFeatures';
export { ratioOfSums, windowSum } from '../../core/windows';
