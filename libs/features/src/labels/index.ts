/**
 * Labels: triple-barrier (ATR-scaled barriers, end time t1 for purging), fixed-horizon, and the
 * search of the barrier targets on a training window.
 *
 * ```ts
 * import { optimizeTargetParams, tripleBarrierLabels } from './labels';
 *
 * const { best } = optimizeTargetParams(candles, { index: trainRows - 1 }, { mode: 'grid' });
 * const { label, t1, valid } = tripleBarrierLabels(candles, { ...best, atrPeriod: 14 });
 * ```
 */
export {
  FixedHorizonParamsSchema,
  TOUCH,
  TripleBarrierParamsSchema,
  fixedHorizonLabels,
  tripleBarrierLabels,
  type FixedHorizonLabels,
  type FixedHorizonParams,
  type LabelBars,
  type TripleBarrierLabels,
  type TripleBarrierParams,
} from './tripleBarrier';
export {
  MAX_GRID_CANDIDATES,
  OptimizeTargetOptionsSchema,
  optimizeTargetParams,
  type OptimizeTargetOptions,
  type OptimizeTargetResult,
  type TargetCandidate,
  type TargetParams,
  type TrainEnd,
} from './optimizeTargetParams';
