export { narrowRanges, NarrowRangesOptionsSchema, type NarrowRangesOptions, type Trial } from './narrowRanges';
export { pearson, pruneFeatures, PruneFeaturesOptionsSchema, subsetRows, type DroppedFeature, type PruneFeaturesOptions, type PruneResult } from './pruneFeatures';
