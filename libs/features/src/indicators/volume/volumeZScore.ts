import { z } from 'zod';
import { col, defineFeature } from '../../featureSet/FeatureDef';
import { periodParam } from '../../featureSet/params';
import { rollingZScore } from '../statistics/runningMoments';

/** Volume z-score over n bars: (volume - mean) / std, SAMPLE std (ddof 1, pandas); 0 on a flat window. */
export function volumeZScore(volume: Float64Array, n: number): Float64Array {
  return rollingZScore(volume, n);
}

export const volumeZScoreFeature = defineFeature({
  name: 'volume_zscore',
  group: 'volume',
  description: 'Z-score of the volume over `period` bars: (volume - mean) / sample std (ddof 1, pandas); 0 on a flat window.',
  params: z.strictObject({ period: periodParam(2, 20) }),
  requires: ['volume'],
  outputs: (p) => [`volume_z_${p.period}`],
  warmup: (p) => p.period - 1,
  compute: (input, p) => [volumeZScore(col(input, 'volume'), p.period)],
});
