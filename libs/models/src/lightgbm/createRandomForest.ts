import { LightGBMModel, type LightGBMLibraryLocation } from './LightGBMModel';
import type { LightGBMOptions } from './LightGBMOptions';

/**
 * Defaults that make LightGBM's `rf` boosting a conventional random forest. LightGBM samples rows
 * without replacement, so a bagging fraction of 0.632 (the expected share of distinct rows in a
 * bootstrap sample) stands in for the bootstrap; every tree gets a fresh sample (bagging_freq 1)
 * and 70 % of the features.
 */
export const RANDOM_FOREST_DEFAULTS = {
  numIterations: 200,
  numLeaves: 63,
  baggingFraction: 0.632,
  baggingFreq: 1,
  featureFraction: 0.7,
} as const satisfies LightGBMOptions;

/**
 * A LightGBMModel configured as a random forest (type 'random_forest', boosting 'rf'): the
 * options override RANDOM_FOREST_DEFAULTS. LightGBM's rf mode requires bagging, so
 * baggingFraction must stay < 1 and baggingFreq >= 1 (otherwise InvalidInputError naming both).
 */
export function createRandomForest(options: Omit<LightGBMOptions, 'boosting'> = {}, library?: LightGBMLibraryLocation): Promise<LightGBMModel> {
  const merged: LightGBMOptions = { ...RANDOM_FOREST_DEFAULTS, ...options, boosting: 'rf' };
  return library ? LightGBMModel.create(merged, library) : LightGBMModel.create(merged);
}
