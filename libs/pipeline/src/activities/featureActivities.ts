import { Context } from '@temporalio/activity';
import { InvalidInputError, joinKey, sha256Hex, type ArtifactStore, type DatasetRef } from '@ares/data';
import {
  buildFeatureMatrix,
  classifyRegimes,
  defaultFeatureSet,
  defaultRegistry,
  loadMarketInput,
  optimizeTargetParams as searchTargetParams,
  publishFeatureDataset,
  tripleBarrierLabels,
  type FeatureDatasetRef,
  type FeatureInput,
  type InputColumn,
} from '@ares/features';
import type { BuildFeaturesInput, TargetParamsRef } from '../contracts';
import { withWorkspace } from './withWorkspace';

/** Steps 2 and 3 of the pipeline over injected dependencies. */
export function createFeatureActivities(deps: { store: ArtifactStore }) {
  return {
    /**
     * Step 2: searches take-profit, stop-loss and holding period on the training window only (the
     * first `trainRatio` of the rows, chronologically; labels ending after it are excluded), and
     * writes the chosen parameters and the table of all candidates.
     */
    async optimizeTargetParams(req: { dataset: DatasetRef; trainRatio: number; search: Record<string, unknown> }): Promise<TargetParamsRef> {
      return withWorkspace(async (tmp) => {
        if (!(req.trainRatio > 0 && req.trainRatio < 1)) throw new InvalidInputError(`trainRatio ${req.trainRatio} must be in (0, 1)`);
        const { input } = await loadMarketInput(deps.store, req.dataset.key, tmp);
        const trainEnd = Math.floor(input.length * req.trainRatio) - 1;
        heartbeat('search', { rows: input.length, trainEnd });
        const result = searchTargetParams(bars(input), { index: trainEnd }, req.search);
        const atrPeriod = typeof req.search.atrPeriod === 'number' ? req.search.atrPeriod : 14;
        const best = { ...result.best, atrPeriod };
        const optionsHash = sha256Hex(JSON.stringify({ search: req.search, trainRatio: req.trainRatio })).slice(0, 12);
        const prefix = joinKey('targets', req.dataset.symbol, req.dataset.interval, req.dataset.sha256.slice(0, 16), optionsHash);
        const trainEndTime = input.columns.openTime![trainEnd]!;
        const candidates = await deps.store.put(joinKey(prefix, 'candidates.json'), JSON.stringify(result.candidates, null, 1));
        const params = await deps.store.put(joinKey(prefix, 'params.json'), JSON.stringify({ params: best, trainEnd: trainEndTime, trainRows: trainEnd + 1, search: req.search, dataset: req.dataset }, null, 2));
        return { key: params.key, candidatesKey: candidates.key, params: best, trainEnd: trainEndTime, candidates: result.candidates.length };
      });
    },

    /** Step 3: features + triple-barrier labels (with t1) + regimes → one Parquet + manifest. */
    async buildFeatures(req: BuildFeaturesInput): Promise<FeatureDatasetRef> {
      return withWorkspace(async (tmp) => {
        const { input } = await loadMarketInput(deps.store, req.dataset.key, tmp);
        // The default set adapts to the interval and to the columns the dataset has; an explicit
        // set is used as given (a feature needing a missing column fails, naming it).
        const featureSet = req.featureSet ?? defaultFeatureSet(input.interval, new Set(Object.keys(input.columns) as InputColumn[]));
        heartbeat('features', { rows: input.length });
        const matrix = buildFeatureMatrix(input, featureSet, defaultRegistry());
        heartbeat('labels');
        const labels = tripleBarrierLabels(bars(input), req.targets.params);
        heartbeat('regimes');
        const regimes = classifyRegimes(bars(input), {});
        const from = matrix.warmupRows;
        const label = new Float64Array(matrix.length);
        for (let r = 0; r < matrix.length; r++) label[r] = labels.valid[from + r] ? labels.label[from + r]! : Number.NaN;
        heartbeat('publish');
        return publishFeatureDataset({
          store: deps.store,
          symbol: req.dataset.symbol,
          interval: req.dataset.interval,
          source: { key: req.dataset.key, sha256: req.dataset.sha256 },
          featureSet,
          matrix,
          labels: { label, t1: maskInvalid(labels.t1, labels.valid, from, matrix.length), ret: maskInvalid(labels.ret, labels.valid, from, matrix.length), method: 'triple_barrier', params: req.targets.params },
          regimes: { code: Float64Array.from(regimes.regime.subarray(from, from + matrix.length)), names: regimes.names, params: regimes.params },
        });
      });
    },
  };
}

function bars(input: FeatureInput) {
  const c = input.columns;
  return { openTime: c.openTime!, closeTime: c.closeTime!, open: c.open!, high: c.high!, low: c.low!, close: c.close!, volume: c.volume! };
}

function maskInvalid(x: Float64Array, valid: Uint8Array, from: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = valid[from + r] ? x[from + r]! : Number.NaN;
  return out;
}

function heartbeat(stage: string, detail: Record<string, unknown> = {}): void {
  Context.current().heartbeat({ stage, ...detail });
}

