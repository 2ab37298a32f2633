import { nans } from '../../core/rolling';

/**
 * Funding momentum: fundingRate[t] - fundingRate[t - n] over n bars. The rate is aligned to bars as
 * the last one published at or before each close, so with 1h bars and 8h funding n = 8 is the
 * change over one funding period.
 */
export function fundingMomentum(fundingRate: Float64Array, n: number): Float64Array {
  const out = nans(fundingRate.length);
  for (let t = n; t < out.length; t++) out[t] = fundingRate[t]! - fundingRate[t - n]!;
  return out;
}
