/**
 * The bookkeeping of steps 3–5 of trainingPipeline, exported for the Python peer (bench/peer/peer.py):
 * everything our pipeline derives from the feature Parquet WITHOUT fitting a model — resolved
 * configuration, feature columns, cleaned rows, the chronological split, the pruning and search
 * folds, the regime plan with every unit's rows and inner folds, the early-stopping holdouts of
 * every fit whose rows are known before any model is fitted, the coarse trials' parameter sets —
 * computed by our own library functions, so that the peer fits exactly our rows.
 *
 *   node --import tsx bench/peer/exportPlan.ts --features <features.parquet> --out plan.json [--governor '<GovernorConfigInput JSON>']
 *
 * Indices: `rows` arrays are rows of the cleaned data (loadTrainingData: labelled, finite, by
 * open_time). An early-stopping holdout `es` = { fit, valid } holds positions into the training
 * rows of its own fit (what earlyStoppingHoldout returns), or null when the fit runs its fixed rounds.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGIME_NAMES } from '@ares/features';
import { DEFAULT_GOVERNOR_OPTIONS, DEFAULT_META_MODEL, planGovernorTraining, type EnsembleUnit, type IndexFold } from '@ares/governor';
import { applyRegularization, earlyStoppingHoldout, labelsToClasses, loadTrainingData, parseRegularization, type TrainingData } from '@ares/models';
import type { GovernorConfigInput, ResolvedGovernorConfig } from '@ares/pipeline';
import { chronologicalSplit, DEFAULT_SEARCH_SPACES, NarrowRangesOptionsSchema, parseSearchSpace, PruneFeaturesOptionsSchema, purgedKFold, randomSearchPlan } from '@ares/validation';
// Deep imports: none of these is re-exported by its lib's index.
import { RANDOM_FOREST_DEFAULTS } from '../../libs/models/src/lightgbm/createRandomForest';
import { resolveGovernorConfig } from '../../libs/pipeline/src/activities/governorActivities';
import { compileLightGBMOptions, lightgbmParams } from '../../libs/models/src/lightgbm/LightGBMOptions';
import { boosterParams, compileXGBoostOptions } from '../../libs/models/src/xgboost/XGBoostOptions';

const repoRoot = join(__dirname, '..', '..');
const BASE_TYPES = ['lightgbm', 'random_forest', 'xgboost'] as const;
type BaseType = (typeof BASE_TYPES)[number];
type Options = Record<string, unknown>;

interface Holdout {
  fit: number[];
  valid: number[];
}

interface ExportedFold {
  train: number[];
  test: number[];
  es?: Holdout | null;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * A module-private object literal of our source (`const NAME ... = { ... };`), parsed as JSON:
 * BASE_DEFAULTS (governorActivities.ts) and pruneFeatures' DEFAULT_MODEL_OPTIONS are not exported,
 * and reading them here keeps the plan in step with the code. Fails naming the file when the
 * literal is no longer plain data.
 */
function sourceLiteral(file: string, name: string): Record<string, Options> {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const at = text.search(new RegExp(`const ${name}\\b[^=]*=\\s*\\{`));
  if (at < 0) throw new Error(`${file}: no 'const ${name} = {' (exportPlan.ts reads it; update exportPlan.ts)`);
  const open = text.indexOf('{', text.indexOf('=', at));
  let depth = 0;
  let end = open;
  for (; end < text.length; end++) {
    if (text[end] === '{') depth++;
    else if (text[end] === '}' && --depth === 0) break;
  }
  const body = text.slice(open, end + 1).split('\n').map((line) => line.replace(/\/\/.*$/, '')).join('\n');
  const json = body.replace(/'/g, '"').replace(/([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:/g, '$1"$2":').replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(json) as Record<string, Options>;
  } catch (cause) {
    throw new Error(`${file}: ${name} is not a plain data literal any more (exportPlan.ts reads it; update exportPlan.ts)`, { cause });
  }
}

const toArray = (a: ArrayLike<number>): number[] => Array.from(a);
const timesOf = (d: TrainingData, rows: ArrayLike<number>) => Float64Array.from(rows as ArrayLike<number>, (i) => d.times[i]!);
const t1Of = (d: TrainingData, rows: ArrayLike<number>) => Float64Array.from(rows as ArrayLike<number>, (i) => d.t1[i]!);

/** The holdout a boosted fit on data rows `rows` early-stops on (fitWithEarlyStopping's), or null. */
function holdoutOf(d: TrainingData, rows: ArrayLike<number>, share: number): Holdout | null {
  if (!(share > 0)) return null;
  const all = Int32Array.from({ length: rows.length }, (_, i) => i);
  const h = earlyStoppingHoldout(all, { times: timesOf(d, rows), t1: t1Of(d, rows), validShare: share });
  return h === undefined ? null : { fit: toArray(h.fit), valid: toArray(h.valid) };
}

/** Purged folds over data rows `rows`, as data rows. */
function foldsOver(d: TrainingData, rows: Int32Array, nSplits: number, embargo: number): IndexFold[] {
  return purgedKFold(timesOf(d, rows), t1Of(d, rows), { nSplits, embargo }).map((f) => ({
    train: Int32Array.from(f.train, (i) => rows[i]!),
    test: Int32Array.from(f.test, (i) => rows[i]!),
  }));
}

/** Our native parameters for options of `type` (as LightGBMModel / XGBoostModel pass them to the C APIs). */
function nativeParams(type: string, options: Options): { params: Record<string, string> | [string, string][]; rounds: number; earlyStoppingRounds: number } {
  if (type === 'xgboost') {
    const o = compileXGBoostOptions(options);
    return { params: boosterParams(o), rounds: o.nEstimators, earlyStoppingRounds: o.earlyStoppingRounds };
  }
  const o = compileLightGBMOptions(type === 'random_forest' ? { ...RANDOM_FOREST_DEFAULTS, ...options, boosting: 'rf' } : options);
  return { params: lightgbmParams(o), rounds: o.numIterations, earlyStoppingRounds: o.earlyStoppingRounds };
}

function unitPlan(d: TrainingData, c: ResolvedGovernorConfig, u: EnsembleUnit) {
  // trainEnsembleUnit: inner purged folds over the unit's fit rows; every boosted fit early-stops
  // on the latest of its own training rows (out-of-fold fits, meta-learner, final refits).
  const inner = foldsOver(d, u.fit, c.innerFolds, c.embargo);
  // The meta-learner trains on the rows some inner test fold covers (stackFeatures keeps rows
  // with finite out-of-fold probabilities from every base model), in unit order.
  const covered = new Uint8Array(d.x.rows);
  for (const f of inner) for (const i of f.test) covered[i] = 1;
  const metaRows = u.fit.filter((i) => covered[i] === 1);
  return {
    id: u.id,
    ensemble: u.ensemble,
    fold: u.fold,
    fit: toArray(u.fit),
    predict: toArray(u.predict),
    innerFolds: inner.map((f): ExportedFold => ({ train: toArray(f.train), test: toArray(f.test), es: holdoutOf(d, f.train, c.earlyStoppingShare) })),
    meta: { rows: toArray(metaRows), es: holdoutOf(d, metaRows, c.earlyStoppingShare) },
    finalEs: holdoutOf(d, u.fit, c.earlyStoppingShare),
  };
}

async function main(): Promise<void> {
  const featuresPath = arg('features');
  const out = arg('out');
  if (!featuresPath || !out) throw new Error("usage: exportPlan.ts --features <features.parquet> --out plan.json [--governor '<json>']");
  const governorArg = arg('governor');
  const c = resolveGovernorConfig(governorArg ? (JSON.parse(governorArg) as GovernorConfigInput) : {});
  const reg = parseRegularization(c.regularization);

  const d = await loadTrainingData(featuresPath);
  const classes = labelsToClasses(d.labels);
  const split = chronologicalSplit(d.x.rows, { trainRatio: c.trainRatio, valRatio: c.valRatio, times: d.times, t1: d.t1 });
  const train = split.rows.train;
  const outer = purgedKFold(timesOf(d, train), t1Of(d, train), { nSplits: c.outerFolds, embargo: c.embargo }).map((f) => ({ train: f.train, test: f.test }));

  // Step 3a, pruneRunFeatures → pruneFeatures on the training rows (its own fold count and embargo).
  const prune = PruneFeaturesOptionsSchema.parse({ seed: c.seed, ...c.prune });
  const pruneDefaults = sourceLiteral('libs/validation/src/pruning/pruneFeatures.ts', 'DEFAULT_MODEL_OPTIONS');
  const pruneModel: Options = { ...(prune.modelOptions ?? pruneDefaults[prune.model]), seed: (prune.modelOptions?.seed as number | undefined) ?? prune.seed };

  // Steps 3b and 5, runSearchTrial → purgedCvScores over the training rows.
  const searchFolds = foldsOver(d, train, c.searchFolds, c.embargo);
  const baseDefaults = sourceLiteral('libs/pipeline/src/activities/governorActivities.ts', 'BASE_DEFAULTS') as Record<BaseType, Options>;
  // The planTrials activity: randomSearchPlan over the default space, seed + 0 for the coarse phase.
  const coarseTrials = Object.fromEntries(BASE_TYPES.map((t) => [t, randomSearchPlan(DEFAULT_SEARCH_SPACES[t], c.coarseTrials, c.seed)]));
  const searchOptions = (t: BaseType, params: Options): Options => ({ ...applyRegularization(t, { ...baseDefaults[t], ...(c.baseModels[t] ?? {}), ...params }, reg), seed: c.seed });

  // Step 4: the regime stage.
  const plan = planGovernorTraining({ regime: d.regime, regimeNames: c.regimeNames, split: split.rows, outerFolds: outer, minRows: c.minRegimeRows });
  const metaOptions: Options = { ...applyRegularization('lightgbm', { ...DEFAULT_META_MODEL.options, numThreads: 1, earlyStoppingRounds: 10, ...c.meta }, reg), seed: c.seed };
  const governorOptions: Options = { ...applyRegularization('lightgbm', { ...DEFAULT_GOVERNOR_OPTIONS, numThreads: 1, ...c.governorModel }, reg), seed: c.seed };

  const labelCounts = [0, 0, 0];
  for (const y of classes) labelCounts[y]!++;
  const planJson = {
    version: 1,
    generatedAt: new Date().toISOString(),
    features: { path: featuresPath, sha256: createHash('sha256').update(readFileSync(featuresPath)).digest('hex') },
    config: c,
    regimeNames: [...REGIME_NAMES],
    columns: [...d.x.columns],
    data: { rows: d.x.rows, rowsRead: d.rowsRead, dropped: d.dropped, firstTime: d.times[0], lastTime: d.times[d.times.length - 1], classCounts: labelCounts },
    split: { train: toArray(split.rows.train), valid: toArray(split.rows.valid), test: toArray(split.rows.test), purged: split.purged.length },
    models: {
      baseDefaults,
      randomForestDefaults: RANDOM_FOREST_DEFAULTS,
      regularization: reg,
      meta: metaOptions,
      governor: governorOptions,
    },
    prune: {
      model: prune.model,
      modelOptions: pruneModel,
      minImportanceShare: prune.keepTop === undefined ? (prune.minImportanceShare ?? 0.95) : null,
      keepTop: prune.keepTop ?? null,
      correlationThreshold: prune.correlationThreshold,
      folds: foldsOver(d, train, prune.nSplits, prune.embargo).map((f): ExportedFold => ({ train: toArray(f.train), test: toArray(f.test) })),
    },
    search: {
      folds: searchFolds.map((f): ExportedFold => ({ train: toArray(f.train), test: toArray(f.test), es: holdoutOf(d, f.train, c.earlyStoppingShare) })),
      spaces: Object.fromEntries(BASE_TYPES.map((t) => [t, parseSearchSpace(DEFAULT_SEARCH_SPACES[t])])),
      narrow: NarrowRangesOptionsSchema.parse({}),
      coarseTrials,
      finalSeed: c.seed + 1,
    },
    regimeStage: {
      regimes: plan.regimes,
      ensembles: plan.ensembles,
      sources: plan.sources,
      units: plan.units.map((u) => unitPlan(d, c, u)),
    },
    // Our native parameter maps for fixed inputs: the peer checks its own translation against them.
    reference: {
      coarse: Object.fromEntries(BASE_TYPES.map((t) => [t, coarseTrials[t]!.map((p) => nativeParams(t, searchOptions(t, p)))])),
      prune: nativeParams(prune.model, pruneModel),
      meta: nativeParams('lightgbm', metaOptions),
      governor: nativeParams('lightgbm', governorOptions),
    },
  };
  writeFileSync(out, JSON.stringify(planJson));
  const fits = prune.nSplits + BASE_TYPES.length * c.searchFolds * (c.coarseTrials + c.finalTrials) + plan.units.length * (BASE_TYPES.length * (c.innerFolds + 1) + 1) + 1;
  console.error(`exportPlan: ${d.x.rows} rows × ${d.x.cols} features; split ${split.rows.train.length}/${split.rows.valid.length}/${split.rows.test.length} (${split.purged.length} purged); ${plan.ensembles.length} ensembles (${plan.ensembles.join(', ')}), ${plan.units.length} units; ${fits} fits planned → ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
