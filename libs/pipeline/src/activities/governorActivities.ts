import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { z } from 'zod';
import { InvalidInputError, joinKey, sha256Hex, type ArtifactStore } from '@ares/data';
import { REGIME_NAMES, type FeatureDatasetRef, type FeatureManifest } from '@ares/features';
import {
  assembleGovernorData,
  DEFAULT_DECISION_THRESHOLD,
  DEFAULT_GOVERNOR_OPTIONS,
  DEFAULT_META_MODEL,
  GovernorModel,
  MIN_REGIME_ROWS,
  planGovernorTraining,
  POOLED,
  scoreGovernorTest,
  stackSlices,
  trainEnsembleUnit,
  trainGovernorSystem,
  writeGovernorBundle,
  type BaseModelSpec,
  type GovernorPlan,
  type GovernorSplit,
  type IndexFold,
  type OofCheckpoint,
  type SavedRegimeEnsemble,
} from '@ares/governor';
import { applyRegularization, codeVersion, labelsToClasses, loadTrainingData, parseRegularization, profiler, selectColumns, selectRows, type Matrix, type TrainingData, type TrainingSet } from '@ares/models';
import { chronologicalSplit, DEFAULT_SEARCH_SPACES, narrowRanges, PromotionRuleSchema, pruneFeatures, purgedKFold, walkForwardFolds, type WalkForwardFold } from '@ares/validation';
import { GOVERNOR_BASE_MODELS, type GovernorConfigInput, type GovernorResult, type GovernorRun, type PruningRef, type RegimeStagePlan, type ResolvedGovernorConfig, type SearchRef, type TrialResult, type UnitRef, type WalkForwardFoldRef, type WalkForwardPlan } from '../contracts';
import { workerIdentity } from './workerIdentity';
import { AsyncCache } from './AsyncCache';
import { purgedCvPredictions } from './crossValidation';
import { withWorkspace } from './withWorkspace';

const BASE_MODEL_TYPES = GOVERNOR_BASE_MODELS;
type BaseType = (typeof BASE_MODEL_TYPES)[number];

/**
 * Defaults of the base models: single-threaded, so one training slot is one core and worker
 * processes scale the regime stage (and results do not depend on thread scheduling). Each grows at
 * most 100 rounds (trees) and stops after the best one on its own held-out latest training rows
 * (config `earlyStoppingShare`): on a market with little to learn the best round comes early, and
 * the rounds after it only fit noise. Boosted models wait 10 rounds for a better one; the forest 5:
 * its held-out loss is that of an average of trees, which moves less with each tree added, so 5
 * rounds without a new best already mean the average has settled (and forest rounds are the
 * dearest: 63-leaf trees, 60 % of the regime stage's native time in bench:governor --profile).
 */
const BASE_DEFAULTS: Record<BaseType, Record<string, unknown>> = {
  lightgbm: { numIterations: 100, numThreads: 1, earlyStoppingRounds: 10 },
  random_forest: { numIterations: 100, numThreads: 1, earlyStoppingRounds: 5 },
  xgboost: { nEstimators: 100, nthread: 1, earlyStoppingRounds: 10 },
};

const options = z.record(z.string(), z.unknown());
const ConfigSchema = z.strictObject({
  seed: z.number().int().min(0).max(2 ** 31 - 1000).default(42),
  trainRatio: z.number().gt(0).lt(1).default(0.7),
  valRatio: z.number().gt(0).lt(1).default(0.15),
  outerFolds: z.number().int().min(2).max(10).default(3),
  innerFolds: z.number().int().min(2).max(10).default(3),
  embargo: z.number().min(0).lt(0.5).default(0.01),
  minRegimeRows: z.number().int().min(50).default(MIN_REGIME_ROWS),
  prune: options.default({}),
  coarseTrials: z.number().int().min(1).max(200).default(4),
  finalTrials: z.number().int().min(1).max(200).default(4),
  searchFolds: z.number().int().min(2).max(10).default(3),
  metric: z.string().default('macro_f1'),
  concurrency: z.number().int().min(1).max(64).default(4),
  baseModels: z.partialRecord(z.enum(BASE_MODEL_TYPES), options).default({}),
  meta: options.default({}),
  governorModel: options.default({}),
  regimes: z.partialRecord(z.enum(REGIME_NAMES as unknown as [string, ...string[]]), z.strictObject({ features: z.array(z.string()).min(1).optional(), params: z.partialRecord(z.enum(BASE_MODEL_TYPES), options).optional() })).default({}),
  regularization: z.unknown().optional(),
  threshold: z.number().gt(0).max(1).default(DEFAULT_DECISION_THRESHOLD),
  earlyStoppingShare: z.number().min(0).max(0.5).default(0.2),
  validation: z.strictObject({
    walkForward: z.strictObject({
      folds: z.number().int().min(1).max(50).default(5),
      mode: z.enum(['expanding', 'rolling']).default('expanding'),
      window: z.number().int().min(100).optional(),
      step: z.number().int().min(10).optional(),
      embargoBars: z.number().int().min(0).default(0),
      concurrency: z.number().int().min(1).max(64).default(4),
    }).refine((w) => (w.mode === 'rolling') === (w.window !== undefined), { message: "mode 'rolling' needs 'window' (training rows), and 'window' needs mode 'rolling'", path: ['window'] }).default({ folds: 5, mode: 'expanding', embargoBars: 0, concurrency: 4 }),
    backtest: z.strictObject({ feeBps: z.number().min(0).max(1000).default(10), slippageBps: z.number().min(0).max(1000).default(5) }).default({ feeBps: 10, slippageBps: 5 }),
    monteCarlo: z.strictObject({ simulations: z.number().int().min(100).max(100_000).default(1000), method: z.enum(['stationary', 'iid']).default('stationary') }).default({ simulations: 1000, method: 'stationary' }),
    promotion: z.unknown().optional(),
  }).default({ walkForward: { folds: 5, mode: 'expanding', embargoBars: 0, concurrency: 4 }, backtest: { feeBps: 10, slippageBps: 5 }, monteCarlo: { simulations: 1000, method: 'stationary' } }),
}).refine((c) => c.trainRatio + c.valRatio < 1, { message: 'trainRatio + valRatio must be < 1 (the rest is the test slice)', path: ['valRatio'] });

/** Validates and completes a governor configuration; a bad value names its field. */
export function resolveGovernorConfig(input: GovernorConfigInput = {}): ResolvedGovernorConfig {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], input);
    throw new InvalidInputError(`governor config field '${path || '(config)'}'${value === undefined ? '' : ` = ${JSON.stringify(value)}`}: ${issue.message}`);
  }
  const { regularization, validation, ...rest } = parsed.data;
  const promotion = PromotionRuleSchema.safeParse(validation.promotion ?? {});
  if (!promotion.success) {
    const issue = promotion.error.issues[0]!;
    throw new InvalidInputError(`governor config field 'validation.promotion.${issue.path.join('.')}': ${issue.message}`);
  }
  return {
    ...rest,
    validation: { ...validation, promotion: promotion.data },
    regularization: parseRegularization(regularization ?? {}) as unknown as Record<string, unknown>,
    regimeNames: [...REGIME_NAMES],
  } as ResolvedGovernorConfig;
}

/** Feature datasets (split and folded) each worker process keeps in memory. */
const RUN_DATA_CACHE_SIZE = 3;

/** Everything an activity of the regime stage needs, rebuilt deterministically from the run (never modified by its users). */
export interface RunData {
  data: TrainingData;
  /** Class indices 0..2 of every row. */
  classes: Int32Array;
  split: GovernorSplit;
  purged: number;
  outerFolds: IndexFold[];
}

/**
 * The feature data of governor runs, split and folded, loaded once per worker process: a run's
 * dozens of activities read the same feature dataset (keyed by its content hash and the split's
 * settings; the latest few are kept in memory). Shared by the governor and validation activities.
 */
export function createRunDataLoader(store: ArtifactStore): (run: GovernorRun) => Promise<RunData> {
  const readJson = async <T>(key: string): Promise<T> => JSON.parse(Buffer.from(await store.get(key)).toString()) as T;
  const runData = new AsyncCache<RunData>(RUN_DATA_CACHE_SIZE);

  /** Every labelled row (all feature columns: the row set does not depend on pruning), split; cached per process. */
  function load(run: GovernorRun): Promise<RunData> {
    const c = run.config;
    const key = JSON.stringify([run.features.key, run.features.sha256, c.trainRatio, c.valRatio, c.outerFolds, c.embargo]);
    return runData.get(key, () => readRunData(run));
  }

  async function readRunData(run: GovernorRun): Promise<RunData> {
    const data = await profiler.time('data.load', async () => {
      const manifest = await readJson<FeatureManifest>(run.features.key);
      const dir = await mkdtemp(join(tmpdir(), 'ares-features-'));
      try {
        const path = join(dir, 'features.parquet');
        await store.getFile(manifest.file.key, path);
        return await loadTrainingData(path);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
    const c = run.config;
    const s = chronologicalSplit(data.x.rows, { trainRatio: c.trainRatio, valRatio: c.valRatio, times: data.times, t1: data.t1 });
    for (const [name, rows] of Object.entries(s.rows)) if (rows.length === 0) throw new InvalidInputError(`the ${name} slice is empty (${data.x.rows} labelled rows, trainRatio ${c.trainRatio}, valRatio ${c.valRatio})`);
    const train = s.rows.train;
    const outer = purgedKFold(Float64Array.from(train, (i) => data.times[i]!), Float64Array.from(train, (i) => data.t1[i]!), { nSplits: c.outerFolds, embargo: c.embargo });
    return { data, classes: labelsToClasses(data.labels), split: s.rows, purged: s.purged.length, outerFolds: outer.map((f) => ({ train: f.train, test: f.test })) };
  }

  return load;
}

/** The governor stages' activities over injected dependencies. */
export function createGovernorActivities(deps: { store: ArtifactStore; runData?: (run: GovernorRun) => Promise<RunData> }) {
  const { store } = deps;
  const readJson = async <T>(key: string): Promise<T> => JSON.parse(Buffer.from(await store.get(key)).toString()) as T;
  const load = deps.runData ?? createRunDataLoader(store);

  /** Step 6's folds over all labelled rows: out-of-sample windows over the rows after the training slice. */
  function walkForwardOf(run: GovernorRun, d: RunData): WalkForwardFold[] {
    const { concurrency: _concurrency, ...w } = run.config.validation.walkForward;
    return walkForwardFolds(d.data.times, d.data.t1, { ...w, start: d.split.valid[0]! });
  }

  function plan(run: GovernorRun, d: RunData): GovernorPlan {
    return planGovernorTraining({ regime: d.data.regime, regimeNames: run.config.regimeNames, split: d.split, outerFolds: d.outerFolds, minRows: run.config.minRegimeRows });
  }

  /** The training set of `columns` over all rows (class labels). */
  function dataset(d: RunData, columns: readonly string[], what: string): TrainingSet {
    return { x: columnsOrFail(d.data.x, columns, what), y: d.classes };
  }

  function columnsOf(run: GovernorRun, pruning: PruningRef, ensemble: string): string[] {
    return run.config.regimes[ensemble]?.features ?? pruning.kept;
  }

  function baseModelsOf(run: GovernorRun, coarse: SearchRef, ensemble: string): BaseModelSpec[] {
    const c = run.config;
    const reg = parseRegularization(c.regularization);
    return BASE_MODEL_TYPES.map((type) => ({
      name: type,
      type,
      options: applyRegularization(type, { ...BASE_DEFAULTS[type], ...(coarse.best[type]?.params ?? {}), ...(c.baseModels[type] ?? {}), ...(c.regimes[ensemble]?.params?.[type] ?? {}) }, reg),
    }));
  }

  function metaOf(run: GovernorRun) {
    return { type: 'lightgbm', options: applyRegularization('lightgbm', { ...DEFAULT_META_MODEL.options, numThreads: 1, earlyStoppingRounds: 10, ...run.config.meta }, parseRegularization(run.config.regularization)) };
  }

  return {
    /** Step 6's plan: the walk-forward folds (their training and out-of-sample windows). */
    async planWalkForward(req: { run: GovernorRun }): Promise<WalkForwardPlan> {
      return withWorkspace(async () => {
        const d = await load(req.run);
        const folds = walkForwardOf(req.run, d).map((f) => ({ fold: f.fold, trainRows: f.train.length, testRows: f.test.length, purged: f.purged, trainFrom: d.data.times[f.train[0]!]!, testFrom: d.data.times[f.test[0]!]!, testTo: d.data.times[f.test.at(-1)!]! }));
        const key = joinKey(req.run.prefix, 'walkforward', 'plan.json');
        await store.put(key, JSON.stringify({ config: req.run.config.validation.walkForward, folds }, null, 1));
        return { key, folds };
      });
    },

    /**
     * Step 6, one fold: the whole governor system retrained on the fold's training window — pruning,
     * regime ensembles (out-of-fold stacking inside it) and the governor, all fitted in fold, with
     * the searched parameters — then its decisions on the fold's out-of-sample window. The window's
     * rows are never seen by any fit. Units are checkpointed: a retried fold resumes.
     */
    async trainWalkForwardFold(req: { run: GovernorRun; search: SearchRef; fold: number }): Promise<WalkForwardFoldRef> {
      return withWorkspace(async (_tmp, progress) => {
        const ctx = Context.current();
        const d = await load(req.run);
        const c = req.run.config;
        const f = walkForwardOf(req.run, d)[req.fold];
        if (f === undefined) throw new InvalidInputError(`walk-forward fold ${req.fold} is not in the run's plan`);
        const { times, t1 } = d.data;
        const inner = innerSplit(f.train, times, t1, c.trainRatio / (c.trainRatio + c.valRatio));
        const prefix = joinKey(req.run.prefix, 'walkforward', `fold${req.fold}`);
        progress({ fold: req.fold, phase: 'prune', trainRows: f.train.length });
        const x = d.data.x;
        const pruned = await pruneFeatures(selectRows({ x, y: d.classes }, inner.train), Float64Array.from(inner.train, (i) => times[i]!), Float64Array.from(inner.train, (i) => t1[i]!), { seed: c.seed, ...c.prune });
        if (pruned.kept.length === 0) throw new InvalidInputError(`walk-forward fold ${req.fold}: pruning kept no feature on its ${inner.train.length} training rows`);
        const outerFolds = purgedKFold(Float64Array.from(inner.train, (i) => times[i]!), Float64Array.from(inner.train, (i) => t1[i]!), { nSplits: c.outerFolds, embargo: c.embargo }).map((o) => ({ train: o.train, test: o.test }));
        const kept: PruningRef = { key: joinKey(prefix, 'pruning.json'), kept: pruned.kept, dropped: pruned.dropped.length, trainRows: inner.train.length };
        await store.put(kept.key, JSON.stringify({ trainRows: inner.train.length, ...pruned }, null, 1));
        const system = await trainGovernorSystem(dataset(d, pruned.kept, `walk-forward fold ${req.fold}`), d.data.regime, {
          regimeNames: c.regimeNames,
          split: { train: inner.train, valid: inner.valid, test: f.test },
          outerFolds,
          innerFolds: (fit) => purgedKFold(Float64Array.from(fit, (i) => times[i]!), Float64Array.from(fit, (i) => t1[i]!), { nSplits: c.innerFolds, embargo: c.embargo }).map((o) => ({ train: o.train, test: o.test })),
          seed: c.seed,
          baseModels: baseModelsOf(req.run, req.search, POOLED),
          meta: metaOf(req.run),
          governorOptions: applyRegularization('lightgbm', { ...DEFAULT_GOVERNOR_OPTIONS, numThreads: 1, ...c.governorModel }, parseRegularization(c.regularization)),
          minRows: c.minRegimeRows,
          threshold: c.threshold,
          ...(c.earlyStoppingShare > 0 ? { labelTimes: { times, t1, validShare: c.earlyStoppingShare } } : {}),
          signal: ctx.cancellationSignal,
          unitCheckpoint: {
            load: async (unitId) => {
              const key = joinKey(prefix, 'units', `${unitId}.f64`);
              return (await store.exists(key)) ? readFloat64(await store.get(key)) : undefined;
            },
            save: async (unitId, proba) => void (await store.put(joinKey(prefix, 'units', `${unitId}.f64`), float64Bytes(proba))),
          },
          onUnit: (unit, index, total) => progress({ fold: req.fold, phase: 'units', unit: unit.id, done: index, total }),
        });
        try {
          const { proba, decision } = await system.governor.predict(system.data.test.x, c.threshold);
          const rows = system.data.test.rows;
          const decisions = Int8Array.from(decision, (x) => (x === 'BUY' ? 1 : x === 'SELL' ? -1 : 0));
          const counts = { BUY: 0, SELL: 0, HOLD: 0 };
          for (const x of decision) counts[x]++;
          const predictionsKey = joinKey(prefix, 'predictions.json');
          await store.put(predictionsKey, JSON.stringify({ fold: req.fold, rows: Array.from(rows), times: Array.from(rows, (i) => times[i]!), labels: Array.from(system.data.test.labels), decisions: Array.from(decisions), proba: Buffer.from(proba.buffer, proba.byteOffset, proba.byteLength).toString('base64'), kept: pruned.kept }));
          return {
            fold: req.fold, predictionsKey, kept: pruned.kept.length, trainRows: inner.train.length + inner.valid.length, testRows: rows.length,
            balancedAccuracy: system.scores.governor.balancedAccuracy, decisions: counts, worker: workerIdentity(), attempt: ctx.info.attempt,
          };
        } finally {
          system.governor.dispose();
          for (const e of Object.values(system.ensembles)) e.dispose();
        }
      });
    },

    /** Validates the configuration and fixes the run's content-derived key and artifact prefix. */
    async prepareGovernorRun(req: { features: FeatureDatasetRef; symbol: string; interval: string; config?: GovernorConfigInput }): Promise<GovernorRun> {
      return withWorkspace(async () => {
        const config = resolveGovernorConfig(req.config);
        const { symbol, interval } = req;
        const runKey = `gov-${sha256Hex(JSON.stringify({ features: req.features.sha256, config, code: codeVersion() })).slice(0, 16)}`;
        return { runKey, prefix: joinKey('runs', symbol, interval, runKey), symbol, interval, features: req.features, config, codeVersion: codeVersion() };
      });
    },

    /**
     * Step 3a: prunes the features on the TRAINING rows only (gain importance over purged folds,
     * near-duplicates by correlation) and writes the kept list with every dropped feature's reason.
     */
    async pruneRunFeatures(req: { run: GovernorRun }): Promise<PruningRef> {
      return withWorkspace(async () => {
        const d = await load(req.run);
        const train = d.split.train;
        const { x, y } = selectRows({ x: d.data.x, y: d.classes }, train);
        const result = await pruneFeatures({ x, y }, Float64Array.from(train, (i) => d.data.times[i]!), Float64Array.from(train, (i) => d.data.t1[i]!), { seed: req.run.config.seed, ...req.run.config.prune });
        if (result.kept.length === 0) throw new InvalidInputError(`pruning kept no feature of ${x.cols} (no fold made a split on the ${train.length} training rows)`);
        const key = joinKey(req.run.prefix, 'pruning.json');
        await store.put(key, JSON.stringify({ trainRows: train.length, ...result }, null, 1));
        return { key, kept: result.kept, dropped: result.dropped.length, trainRows: train.length };
      });
    },

    /** One search trial: purged k-fold on the training rows of the pruned features (steps 3 and 5). */
    async runSearchTrial(req: { run: GovernorRun; pruning: PruningRef; phase: 'coarse' | 'final'; model: string; params: Record<string, unknown>; trial: number }): Promise<TrialResult> {
      return withWorkspace(async (tmp, progress) => {
        const d = await load(req.run);
        const c = req.run.config;
        const type = req.model as BaseType;
        const params = applyRegularization(type, { ...BASE_DEFAULTS[type], ...(c.baseModels[type] ?? {}), ...req.params }, parseRegularization(c.regularization));
        const { scores, oof } = await purgedCvPredictions(dataset(d, req.pruning.kept, 'pruned features'), d.data.times, d.data.t1, d.split.train, type, params, {
          folds: c.searchFolds, embargo: c.embargo, metric: c.metric, seed: c.seed, balance: 'none', earlyStoppingShare: c.earlyStoppingShare,
          signal: Context.current().cancellationSignal,
          onFold: (fold) => progress({ phase: req.phase, model: type, trial: req.trial, fold }),
        });
        const name = `${type}-trial-${String(req.trial).padStart(3, '0')}`;
        const oofKey = joinKey(req.run.prefix, `search-${req.phase}`, `${name}.oof.f64`);
        await store.put(oofKey, float64Bytes(oof));
        const result: TrialResult = { trial: req.trial, params: req.params, scores, mean: scores.reduce((a, b) => a + b, 0) / scores.length, oofKey };
        await store.put(joinKey(req.run.prefix, `search-${req.phase}`, `${name}.json`), JSON.stringify(result, null, 2));
        return result;
      });
    },

    /**
     * Records a search phase: the best trial per model type and, for the coarse phase, the search
     * ranges narrowed around the best trials (step 3's output; step 5 searches inside them).
     */
    async recordSearch(req: { run: GovernorRun; phase: 'coarse' | 'final'; trials: Record<string, TrialResult[]> }): Promise<SearchRef> {
      return withWorkspace(async () => {
        const best: SearchRef['best'] = {};
        const ranges: Record<string, Record<string, unknown>> = {};
        for (const [model, trials] of Object.entries(req.trials)) {
          const finite = trials.filter((t) => Number.isFinite(t.mean));
          if (finite.length === 0) throw new InvalidInputError(`${req.phase} search of ${model}: no trial has a finite score`);
          const top = finite.reduce((a, b) => (b.mean > a.mean ? b : a));
          best[model] = { params: top.params, mean: top.mean };
          if (req.phase === 'coarse') ranges[model] = narrowRanges(finite.map((t) => ({ params: t.params as Record<string, number | string | boolean>, mean: t.mean })), DEFAULT_SEARCH_SPACES[model as BaseType]) as Record<string, unknown>;
        }
        const key = joinKey(req.run.prefix, `search-${req.phase}.json`);
        const ref: SearchRef = { key, phase: req.phase, best, ...(req.phase === 'coarse' ? { ranges } : {}) };
        await store.put(key, JSON.stringify({ ...ref, trials: req.trials }, null, 1));
        return ref;
      });
    },

    /** Plans the regime stage: which regimes get their own ensemble, and the units to train. */
    async planRegimeStage(req: { run: GovernorRun; pruning: PruningRef }): Promise<RegimeStagePlan> {
      return withWorkspace(async () => {
        const d = await load(req.run);
        for (const [regime, o] of Object.entries(req.run.config.regimes)) {
          if (o?.features) columnsOrFail(d.data.x, o.features, `governor config field 'regimes.${regime}.features'`);
        }
        const p = plan(req.run, d);
        const key = joinKey(req.run.prefix, 'plan.json');
        const summary: RegimeStagePlan = {
          key,
          regimes: p.regimes.map((r) => ({ ...r })),
          ensembles: [...p.ensembles],
          sources: { ...p.sources },
          units: p.units.map((u) => ({ id: u.id, ensemble: u.ensemble, fold: u.fold, fitRows: u.fit.length, predictRows: u.predict.length })),
          split: { train: d.split.train.length, valid: d.split.valid.length, test: d.split.test.length, purged: d.purged },
        };
        await store.put(key, JSON.stringify(summary, null, 1));
        return summary;
      });
    },

    /**
     * Step 4, one unit: one ensemble trained on its unit's rows (inner purged folds for its stacking),
     * predicting the unit's rows. Every (base model, inner fold) fit is checkpointed, and a retried
     * unit resumes from the checkpoints (same seed → the same numbers). Final units save the ensemble.
     */
    async trainEnsembleUnit(req: { run: GovernorRun; pruning: PruningRef; coarse: SearchRef; unitId: string }): Promise<UnitRef> {
      return withWorkspace(async (tmp, progress) => {
        const ctx = Context.current();
        const d = await load(req.run);
        const unit = plan(req.run, d).units.find((u) => u.id === req.unitId);
        if (unit === undefined) throw new InvalidInputError(`unit '${req.unitId}' is not in the run's plan`);
        const c = req.run.config;
        const checkpointPrefix = joinKey(req.run.prefix, 'checkpoints', unit.id);
        let resumedSteps = 0;
        const checkpoint: OofCheckpoint = {
          load: async (model, fold) => {
            const key = joinKey(checkpointPrefix, `${model}-fold${fold}.f64`);
            return profiler.time('checkpoint.read', async () => {
              if (!(await store.exists(key))) return undefined;
              resumedSteps++;
              return readFloat64(await store.get(key));
            });
          },
          save: async (model, fold, proba) => {
            await profiler.time('checkpoint.write', () => store.put(joinKey(checkpointPrefix, `${model}-fold${fold}.f64`), float64Bytes(proba)));
          },
        };
        const times = d.data.times;
        const t1 = d.data.t1;
        const { ensemble, proba } = await trainEnsembleUnit(dataset(d, columnsOf(req.run, req.pruning, unit.ensemble), `ensemble ${unit.ensemble}`), unit, {
          seed: c.seed,
          baseModels: baseModelsOf(req.run, req.coarse, unit.ensemble),
          meta: metaOf(req.run),
          minRows: c.minRegimeRows,
          innerFolds: (fit) => purgedKFold(Float64Array.from(fit, (i) => times[i]!), Float64Array.from(fit, (i) => t1[i]!), { nSplits: c.innerFolds, embargo: c.embargo }).map((f) => ({ train: f.train, test: f.test })),
          signal: ctx.cancellationSignal,
          checkpoint,
          ...(c.earlyStoppingShare > 0 ? { labelTimes: { times, t1, validShare: c.earlyStoppingShare } } : {}),
          onProgress: (done, total) => progress({ unit: unit.id, done, total }),
        });
        try {
          const probaKey = joinKey(req.run.prefix, 'units', `${unit.id}.f64`);
          await store.put(probaKey, float64Bytes(proba));
          let ensembleKey: string | undefined;
          if (unit.fold === 'final') {
            ensembleKey = joinKey(req.run.prefix, 'ensembles', `${unit.ensemble}.json`);
            await store.put(ensembleKey, JSON.stringify(ensemble.save()));
          }
          return { id: unit.id, ensemble: unit.ensemble, fold: unit.fold, probaKey, ...(ensembleKey ? { ensembleKey } : {}), resumedSteps };
        } finally {
          ensemble.dispose();
        }
      });
    },

    /**
     * Step 4, the governor: trained on the ensembles' OUT-OF-FOLD outputs over the training rows,
     * early-stopped on the later validation slice, scored on the held-out test slice next to every
     * ensemble alone; then the whole governor is written as one bundle (manifest last).
     */
    async trainGovernor(req: { run: GovernorRun; pruning: PruningRef; coarse: SearchRef; units: UnitRef[] }): Promise<GovernorResult> {
      return withWorkspace(async () => {
        const d = await load(req.run);
        const p = plan(req.run, d);
        const c = req.run.config;
        const unitProba: Record<string, Float64Array> = {};
        for (const u of req.units) {
          unitProba[u.id] = readFloat64(await store.get(u.probaKey));
        }
        const assembled = assembleGovernorData(p, d.split, unitProba, d.data.regime, d.classes);
        const fit = stackSlices(assembled.train, assembled.valid);
        const governorOptions = applyRegularization('lightgbm', { ...DEFAULT_GOVERNOR_OPTIONS, numThreads: 1, ...c.governorModel }, parseRegularization(c.regularization));
        const governor = await GovernorModel.train(fit.x, fit.labels, { validFrom: fit.validFrom, seed: c.seed, options: governorOptions, signal: Context.current().cancellationSignal });
        try {
          const { proba } = await governor.predict(assembled.test.x, c.threshold);
          const scores = scoreGovernorTest(p, assembled.test, proba, d.data.regime, c.threshold);
          const ensembles: Record<string, SavedRegimeEnsemble> = {};
          for (const u of req.units) if (u.fold === 'final' && u.ensembleKey) ensembles[u.ensemble] = await readJson<SavedRegimeEnsemble>(u.ensembleKey);
          const columns = [...new Set(p.ensembles.flatMap((e) => columnsOf(req.run, req.pruning, e)))];
          const governorFit = { bestIteration: governor.fitReport.bestIteration, iterations: governor.fitReport.iterations, trainRows: governor.trainRows, validRows: governor.validRows };
          const { key } = await writeGovernorBundle(store, joinKey(req.run.prefix, 'bundle'), {
            ensembles,
            governor: governor.save(),
            manifest: {
              symbol: req.run.symbol,
              interval: req.run.interval,
              regimeNames: [...p.regimeNames],
              sources: { ...p.sources },
              fallback: p.regimes.filter((r) => r.source === 'pooled').map((r) => ({ regime: r.regime, rows: r.trainRows, minRows: p.minRows })),
              features: { columns, featureSet: null, featuresKey: req.run.features.key, featuresSha256: req.run.features.sha256 },
              threshold: c.threshold,
              regularization: c.regularization,
              params: { baseModels: Object.fromEntries(p.ensembles.map((e) => [e, baseModelsOf(req.run, req.coarse, e)])), meta: metaOf(req.run), governor: governorOptions },
              metrics: { test: scores, governorFit, split: { train: d.split.train.length, valid: d.split.valid.length, test: d.split.test.length } },
              seed: c.seed,
              codeVersion: codeVersion(),
              lineage: { features: req.run.features, pruning: req.pruning.key, coarseSearch: req.coarse.key, units: req.units.map((u) => u.probaKey), runKey: req.run.runKey },
            },
          });
          // The in-memory governor's test-slice output: a loaded bundle must reproduce it exactly.
          const predictionsKey = joinKey(req.run.prefix, 'governor-test-predictions.json');
          await store.put(predictionsKey, JSON.stringify({ rows: Array.from(assembled.test.rows), times: Array.from(assembled.test.rows, (i) => d.data.times[i]!), regime: Array.from(assembled.test.rows, (i) => d.data.regime[i]!), labels: Array.from(assembled.test.labels), proba: Buffer.from(proba.buffer, proba.byteOffset, proba.byteLength).toString('base64') }));
          return { bundleKey: key, predictionsKey, scores, governorFit };
        } finally {
          governor.dispose();
        }
      });
    },
  };
}

/**
 * A walk-forward fold's training window split chronologically into the ensembles' training rows
 * (the first `trainShare`) and the governor's early-stopping rows, training rows whose label ends at
 * or after the first early-stopping row's time purged.
 */
function innerSplit(window: Int32Array, times: Float64Array, t1: Float64Array, trainShare: number): { train: Int32Array; valid: Int32Array } {
  const cut = Math.floor(window.length * trainShare);
  const valid = window.slice(cut);
  const first = times[valid[0]!]!;
  const train = window.slice(0, cut).filter((i) => t1[i]! < first);
  if (train.length === 0 || valid.length === 0) throw new InvalidInputError(`walk-forward training window of ${window.length} rows is too small to split (train share ${trainShare.toFixed(3)})`);
  return { train, valid };
}

/** The named columns of `x`, in the given order; a missing one is bad input naming it. */
function columnsOrFail(x: Matrix, columns: readonly string[], what: string): Matrix {
  return selectColumns(x, columns, (c) => new InvalidInputError(`${what}: unknown feature column '${c}'`));
}

/** Probabilities as stored (`.f64`: raw little-endian Float64, bit-exact) and back. */
function float64Bytes(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function readFloat64(bytes: Uint8Array): Float64Array {
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
