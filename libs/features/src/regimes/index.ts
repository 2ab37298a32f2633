/**
 * Market regimes and support/resistance levels, from past bars only.
 *
 * ```ts
 * import { classifyRegimes, regimeShares, supportResistance } from '@ares/features'; // re-exported by the lib's index
 *
 * const { regime, names, warmup } = classifyRegimes(market.candles); // zod-validated params, defaults documented
 * console.log(regimeShares(regime)); // { BULL_TREND: 0.2, BEAR_TREND: 0.2, SIDEWAYS_RANGE: ..., SR_ZONE_ACTION: ..., HIGH_IMPACT_CANDLE: ... }
 * const sr = supportResistance(market.candles); // distances to the nearest support / resistance in ATR units
 * ```
 */
export type { OhlcvColumns } from './input';
export type { Level, LevelTrackerOptions } from './LevelTracker';
export { findPivots, isPivotHigh, isPivotLow } from './pivots';
export {
  REGIME_NAMES,
  REGIME_WARMUP,
  Regime,
  RegimeParamsSchema,
  classifyRegimes,
  regimeShares,
  regimeWarmup,
  resolveRegime,
  type ParsedRegimeParams,
  type RegimeClassification,
  type RegimeName,
  type RegimeParams,
  type RegimeSignals,
} from './regimes';
export {
  LevelParamsSchema,
  SupportResistanceParamsSchema,
  supportResistance,
  supportResistanceLevels,
  type LevelParams,
  type SupportResistance,
  type SupportResistanceLevel,
  type SupportResistanceParams,
} from './supportResistance';
