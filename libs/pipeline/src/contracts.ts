/**
 * Contracts between the CLI, workflows and activities. Only types and constants: workflow code
 * imports this file, so it must stay free of Node built-ins and heavy libraries.
 */
import type { CollectRequest, DatasetRef } from '@ares/data';
import type { FeatureDatasetRef, FeatureSetConfig } from '@ares/features';

/** Task queue of the pipeline's workflows and light activities. */
export const PIPELINE_TASK_QUEUE = 'ares-pipeline';

/**
 * Task queue of the heavy training activities (regime ensemble units, search trials) of workflows
 * running on `taskQueue`. Each worker process polls both, with few training slots, so adding worker
 * processes adds training capacity.
 */
export function trainingTaskQueue(taskQueue: string): string {
  return `${taskQueue}-training`;
}

export type Trigger = 'manual' | 'schedule' | 'test';

export interface TrainingPipelineInput {
  /** Where the market data comes from (validated by the activity with zod). */
  collect: CollectRequest;
  trigger: Trigger;
  /** Share of rows (chronologically first) that form the target search's training window. @default governor.trainRatio (0.7) when the governor stages run, else 0.8 */
  trainRatio?: number;
  /** Feature set; @default the default set (≥ 80 columns, with 4h and 1d context). */
  featureSet?: FeatureSetConfig;
  /** Stop after this stage (e.g. only collect data). @default the last stage */
  until?: PipelineStage;
  /** Search space of the triple-barrier target parameters (step 2). @default grid over tp/sl 1–3 ATR, holding 6–48 bars */
  targetSearch?: Record<string, unknown>;
  /** Steps 3–5: pruning, regime ensembles, governor, final search (validated by the activities). */
  governor?: GovernorConfigInput;
  /** Time budget of each activity over all its retries of transient failures, in ms (workflows/retryPolicy.ts). @default 6 hours */
  retryBudgetMs?: number;
}

/**
 * Configuration of steps 3–5 (all optional; defaults in brackets). Validated with zod by the
 * prepareGovernorRun activity; a bad value fails the run non-retryably, naming the field.
 */
export interface GovernorConfigInput {
  /** [42] Seed of every model, fold plan and search. */
  seed?: number;
  /** [0.7] Chronologically first share of rows: ensembles, governor (out-of-fold) and searches train here. */
  trainRatio?: number;
  /** [0.15] The next share: the governor's early-stopping slice. The rest is the held-out test slice. */
  valRatio?: number;
  /** [3] Purged folds over the training rows for the governor's out-of-fold ensemble outputs. */
  outerFolds?: number;
  /** [3] Purged folds inside each ensemble for its meta-learner's out-of-fold base probabilities. */
  innerFolds?: number;
  /** [0.01] Embargo after each test fold, as a share of the rows. */
  embargo?: number;
  /** [300] Fewest training rows for a regime's own ensemble; below, the pooled ensemble serves it (flagged). */
  minRegimeRows?: number;
  /** pruneFeatures options (@ares/validation). */
  prune?: Record<string, unknown>;
  /** [4] Coarse search trials per base model type (step 3). */
  coarseTrials?: number;
  /** [4] Final search trials per base model type over the narrowed ranges (step 5). */
  finalTrials?: number;
  /** [3] Purged folds of each search trial. */
  searchFolds?: number;
  /** [macro_f1] Metric of the searches. */
  metric?: string;
  /** [4] Search trials in flight. */
  concurrency?: number;
  /** Fixed options per base model type (lightgbm, random_forest, xgboost), over the tuned ones. */
  baseModels?: Record<string, Record<string, unknown>>;
  /** Options of each ensemble's LightGBM meta-learner. */
  meta?: Record<string, unknown>;
  /** Options of the governor's LightGBM. */
  governorModel?: Record<string, unknown>;
  /** Per regime: its feature columns and per-type options (over the others). */
  regimes?: Record<string, { features?: string[]; params?: Record<string, Record<string, unknown>> }>;
  /** L1/L2 of the tree models, dropout/L1/L2 of the LSTM: one section for every model, recorded in each bundle. */
  regularization?: Record<string, unknown>;
  /** [0.55] Below this confidence the governor's decision is HOLD. */
  threshold?: number;
  /** [0.2] Boosted fits (LightGBM, XGBoost, the meta-learners) early-stop on this share of the latest rows of their own training rows, purged; 0: fixed rounds on all rows. */
  earlyStoppingShare?: number;
  /** Steps 6–8: walk-forward, backtest costs, Monte Carlo, promotion rule. */
  validation?: ValidationConfigInput;
}

/** Configuration of steps 6–8 (defaults in brackets). */
export interface ValidationConfigInput {
  walkForward?: {
    /** [5] Out-of-sample windows over the rows after the training slice (the validation and test slices). */
    folds?: number;
    /** [expanding] `expanding` (all earlier rows) or `rolling` (the `window` rows before each window). */
    mode?: 'expanding' | 'rolling';
    /** Rolling training window, rows. */
    window?: number;
    /** [(rows after the training slice) / folds] Rows per out-of-sample window. */
    step?: number;
    /** [0] Extra rows dropped before each window (besides the purge by label end times). */
    embargoBars?: number;
    /** [4] Folds (child workflows) in flight. */
    concurrency?: number;
  };
  backtest?: {
    /** [10] Fee per side, basis points of notional. */
    feeBps?: number;
    /** [5] Slippage per side, basis points. */
    slippageBps?: number;
  };
  monteCarlo?: {
    /** [1000] Simulations. */
    simulations?: number;
    /** [stationary] Stationary block bootstrap (Politis–White block length) or i.i.d. */
    method?: 'stationary' | 'iid';
  };
  /** Promotion rule (@ares/validation PromotionRuleSchema): minDsr [0.95], maxPbo [0.5], maxCvar95 [0.25], maxDrawdown [−0.3], minTrades [20], maxPValue [0.05], minSharedBars [500]. */
  promotion?: Record<string, unknown>;
}

/** The base model types of every regime ensemble and of the searches (mirrors the activities' list). */
export const GOVERNOR_BASE_MODELS = ['lightgbm', 'random_forest', 'xgboost'] as const;

/** A governor run: where its artifacts go and its resolved configuration (every default filled in). */
export interface GovernorRun {
  /** Content-derived (features + configuration): a retried or repeated run writes the same keys. */
  runKey: string;
  prefix: string;
  symbol: string;
  interval: string;
  features: FeatureDatasetRef;
  config: ResolvedGovernorConfig;
  /** The code version the run key hashes (the worker's $ARES_CODE_VERSION or git commit); absent in runs before it was recorded. */
  codeVersion?: string;
}

export type ResolvedGovernorConfig = Required<Omit<GovernorConfigInput, 'regularization' | 'prune' | 'validation'>> & {
  validation: ResolvedValidationConfig;
  regularization: Record<string, unknown>;
  prune: Record<string, unknown>;
  /** Regime names, in the governor's one-hot order. */
  regimeNames: string[];
};

export interface ResolvedValidationConfig {
  walkForward: { folds: number; mode: 'expanding' | 'rolling'; window?: number; step?: number; embargoBars: number; concurrency: number };
  backtest: { feeBps: number; slippageBps: number };
  monteCarlo: { simulations: number; method: 'stationary' | 'iid' };
  promotion: Record<string, number>;
}

/** Step 3's output: the pruned feature list and the narrowed search ranges. */
export interface PruningRef {
  key: string;
  kept: string[];
  dropped: number;
  /** Training rows pruning was fitted on. */
  trainRows: number;
}

export interface SearchRef {
  key: string;
  phase: 'coarse' | 'final';
  /** Per base model type: the best trial's params and mean score. */
  best: Record<string, { params: Record<string, unknown>; mean: number }>;
  /** Narrowed search space per model type (coarse phase). */
  ranges?: Record<string, Record<string, unknown>>;
}

/** The regime stage's plan (row sets are recomputed by each activity from the data). */
export interface RegimeStagePlan {
  key: string;
  regimes: { regime: string; source: 'own' | 'pooled'; trainRows: number; minFoldRows: number }[];
  ensembles: string[];
  sources: Record<string, string>;
  units: { id: string; ensemble: string; fold: number | 'final'; fitRows: number; predictRows: number }[];
  split: { train: number; valid: number; test: number; purged: number };
}

/** What one ensemble unit wrote. */
export interface UnitRef {
  id: string;
  ensemble: string;
  fold: number | 'final';
  /** Key of the unit's predictions (its predict rows × 3). */
  probaKey: string;
  /** Final units: key of the saved ensemble. */
  ensembleKey?: string;
  /** Model fits restored from checkpoints (a resumed unit). */
  resumedSteps: number;
}

export interface GovernorResult {
  bundleKey: string;
  /** The governor's test-slice predictions (times, regimes, labels, base64 Float64 probabilities rows × 3). */
  predictionsKey: string;
  /** Test-slice scores of the governor and of every regime's ensemble alone. */
  scores: {
    governor: { rows: number; accuracy: number; balancedAccuracy: number; macroF1: number; logLoss: number; decisions: Record<'BUY' | 'SELL' | 'HOLD', number>; tradedAccuracy: number | null; threshold: number };
    ensembles: Record<string, { source: string; all: { rows: number; accuracy: number; balancedAccuracy: number; macroF1: number; logLoss: number }; own: { rows: number; accuracy: number; balancedAccuracy: number; macroF1: number; logLoss: number } | null }>;
  };
  governorFit: { bestIteration: number; iterations: number; trainRows: number; validRows: number };
}

/** What optimizeTargetParams chose, and where its table of candidates is. */
export interface TargetParamsRef {
  /** Key of params.json (chosen parameters + training window). */
  key: string;
  /** Key of candidates.json (every candidate with its scores). */
  candidatesKey: string;
  params: { tpMult: number; slMult: number; holdingBars: number; atrPeriod: number };
  /** Last open time of the training window the search used. */
  trainEnd: number;
  candidates: number;
}

export interface BuildFeaturesInput {
  dataset: DatasetRef;
  targets: TargetParamsRef;
  featureSet?: FeatureSetConfig;
}

/** The stages trainingPipeline runs today, in order. */
export const PIPELINE_STAGES = ['collectMarketData', 'optimizeTargetParams', 'buildFeatures', 'pruneFeatures', 'regimeEnsembles', 'governor', 'tuneHyperparameters', 'walkForward', 'monteCarlo', 'compareChampion', 'publishRun'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export type StageState = 'pending' | 'running' | 'completed' | 'failed';

export interface StageStatus {
  name: string;
  state: StageState;
  /** Workflow time (ms) the stage started and ended. */
  startedAt?: number;
  endedAt?: number;
  /** Short human summary of the stage's output. */
  summary?: string;
  error?: string;
}

export interface PipelineProgress {
  stages: StageStatus[];
}

export interface TrainingPipelineResult {
  dataset: DatasetRef;
  /** Present for runs of this version on (older runs stopped after collectMarketData). */
  targets?: TargetParamsRef;
  features?: FeatureDatasetRef;
  /** Steps 3–5 (runs of this version that did not stop earlier). */
  run?: GovernorRun;
  pruning?: PruningRef;
  coarseSearch?: SearchRef;
  plan?: RegimeStagePlan;
  governor?: GovernorResult;
  finalSearch?: SearchRef;
  /** Steps 6–9 (runs since 'validation-stages-v1'). */
  walkForward?: WalkForwardRef;
  monteCarlo?: MonteCarloRef;
  decision?: DecisionRef;
  published?: PublishedRun;
  stages: StageStatus[];
}

/** Step 6's plan: the folds' windows (rows are recomputed by each activity from the data). */
export interface WalkForwardPlan {
  key: string;
  folds: { fold: number; trainRows: number; testRows: number; purged: number; trainFrom: number; testFrom: number; testTo: number }[];
}

/** One walk-forward fold: the governor system retrained in fold, its out-of-sample decisions. */
export interface WalkForwardFoldRef {
  fold: number;
  /** JSON: rows, times, probabilities (base64 Float64 rows × 3), decisions. */
  predictionsKey: string;
  kept: number;
  trainRows: number;
  testRows: number;
  balancedAccuracy: number;
  decisions: Record<'BUY' | 'SELL' | 'HOLD', number>;
  /** Who ran it (worker identity) and on which attempt. */
  worker: string;
  attempt: number;
}

/** Headline backtest metrics (@ares/validation PerformanceMetrics, the JSON-safe part). */
export type MetricsSummary = Record<string, number | null>;

export interface WalkForwardRef {
  key: string;
  /** Per-bar out-of-sample returns after costs (Float64), and their bar open times. */
  returnsKey: string;
  tradesKey: string;
  bars: number;
  /** Bars per year of the interval (365-day year). */
  periodsPerYear: number;
  metrics: MetricsSummary;
  folds: { fold: number; from: number; to: number; metrics: MetricsSummary }[];
  stability: { profitableFolds: number; shareProfitable: number; sharpeMean: number; sharpeStd: number };
  /** The oracle ceiling when the data is synthetic with a hidden state (null otherwise). */
  oracle: { sharpe: number; sharpeGross: number } | null;
  /** Each fold's run: its worker and attempt (the run manifest records them; walkforward.json keeps only content). */
  foldRuns?: WalkForwardFoldRef[];
}

export interface MonteCarloRef {
  key: string;
  simulations: number;
  method: string;
  blockLength: number;
  var95: number;
  cvar95: number;
  var99: number;
  cvar99: number;
  probabilityOfLoss: number;
  worstTotalReturn: number;
  worstMaxDrawdown: number;
}

/** Step 8: the gates, the comparison with the champion and the decision. */
export interface DecisionRef {
  key: string;
  promote: boolean;
  reasons: string[];
  gates: { name: string; passed: boolean; value: number | null; limit: number; detail: string }[];
  trials: { count: number; withReturns: number; sharpeVariance: number; byKind: Record<string, number> };
  dsr: number;
  psr: number;
  pbo: number | null;
  /** Registry head the decision was made against, and its champion. */
  registryHead: number;
  champion: string | null;
  comparison?: { champion: string; sharedBars: number; sharpeChallenger: number; sharpeChampion: number; pValue: number };
}

/** Step 9: what was published. */
export interface PublishedRun {
  manifestKey: string;
  reportKey: string;
  promoted: boolean;
  /** Registry event appended (promotions only). */
  registrySeq?: number;
  reasons: string[];
}

/** Model types trainModel accepts (checked by the workflow before any work; mirrors @ares/models MODEL_TYPES). */
export const MODEL_TYPE_NAMES = ['lightgbm', 'xgboost', 'random_forest', 'lstm'] as const;

/** `ares train-model`: one model for one symbol and interval. */
export interface TrainModelInput {
  collect: CollectRequest;
  trigger: Trigger;
  /** Time budget of each activity over all its retries of transient failures, in ms (workflows/retryPolicy.ts). @default 6 hours */
  retryBudgetMs?: number;
  /**
   * How long the tuning and training fits may go without a heartbeat before their worker is
   * presumed dead and the attempt retried elsewhere, in ms. Fits heartbeat every second (the LSTM
   * after every batch as well), so the default leaves a wide margin for a loaded machine. @default 60 s
   */
  heartbeatTimeoutMs?: number;
  /** lightgbm | xgboost | random_forest | lstm. @default xgboost */
  model: string;
  /** Feature columns to use; @default all features of the dataset. */
  features?: string[];
  /** @default 0.8 */
  trainRatio?: number;
  /** @default 0.1 */
  valRatio?: number;
  /** Skip the hyperparameter search (always skipped for the LSTM unless `tuneLstm`). */
  skipTuning?: boolean;
  tuneLstm?: boolean;
  tuning?: { trials?: number; folds?: number; metric?: string; concurrency?: number };
  /** Class balancing of the training rows: none | undersample | smote. @default none */
  balance?: 'none' | 'undersample' | 'smote';
  /** Fixed model options (merged under the tuned ones). */
  params?: Record<string, unknown>;
  /**
   * The regularization section (@ares/models RegularizationConfigSchema: `{ trees: { l1, l2 }, lstm: { dropout, l1, l2 } }`).
   * Validated by the activities (a bad value fails the run, non-retryable, naming the field); it
   * overrides same-meaning keys of `params` and of the tuned parameters. @default all defaults
   */
  regularization?: unknown;
  /** @default 42 */
  seed?: number;
}

/** What every model activity receives: the resolved request plus the feature dataset. */
export interface ModelRunSpec {
  symbol: string;
  interval: string;
  model: string;
  features: FeatureDatasetRef;
  columns?: string[];
  trainRatio: number;
  valRatio: number;
  balance: 'none' | 'undersample' | 'smote';
  params: Record<string, unknown>;
  /**
   * The regularization section as the request gave it (`{}` when absent), NOT yet validated:
   * workflow code may import only types, so it cannot run the zod schema. Hence `unknown` rather
   * than @ares/models' RegularizationConfig: the activities parse it with parseRegularization
   * (prepare(), first thing every model activity does) and use only the parsed value.
   */
  regularization: unknown;
  seed: number;
  tuning: { trials: number; folds: number; metric: string; concurrency: number };
}

export interface SplitSummary {
  columns: number;
  rowsRead: number;
  dropped: { unlabelled: number; nonFinite: number; total: number };
  purged: number;
  train: number;
  valid: number;
  test: number;
  from: number;
  to: number;
}

export interface TrialResult {
  trial: number;
  params: Record<string, unknown>;
  /** Score per purged fold (greater is better; losses are negated). */
  scores: number[];
  mean: number;
  /** Out-of-fold probabilities of the trial over the training rows (rows × 3 Float64, NaN where a row was in no test fold): its return series for the overfitting gates. */
  oofKey?: string;
}

export interface TrainedModelRef {
  stagedKey: string;
  modelKey: string;
  bestIteration: number;
  iterations: number;
}

export interface TrainModelResult {
  features: FeatureDatasetRef;
  split: SplitSummary;
  trials: TrialResult[];
  bestParams: Record<string, unknown>;
  metrics: { metricsKey: string; accuracy: number; macroF1: number; logLoss: number; testRows: number; balancedAccuracy?: number; predictedCounts?: number[] };
  /** What the fit reported: the iteration early stopping kept (0-based) and how many ran. */
  fit?: { bestIteration: number; iterations: number };
  bundleKey: string;
  /** The code version recorded in the bundle (the worker's). */
  codeVersion?: string;
  stages: StageStatus[];
}

/** One market of a fleet. */
export interface FleetMarket {
  symbol: string;
  interval: string;
}

/** fleetRetrain's input: the markets, and what every child trainingPipeline gets. */
export interface FleetRetrainInput {
  markets: FleetMarket[];
  /** The collect request without symbol and interval (source, bars, seed, …): each market fills those in. */
  collect: Omit<CollectRequest, 'symbol' | 'interval'> & Record<string, unknown>;
  trigger: Trigger;
  /** Children running at once. @default 2 */
  concurrency?: number;
  until?: PipelineStage;
  governor?: GovernorConfigInput;
  targetSearch?: Record<string, unknown>;
  retryBudgetMs?: number;
  /** With a collect request without start/end (Binance): collect this much history up to the fleet's start time. */
  lookbackMs?: number;
}

/** How one market's retrain ended. */
export interface FleetRunSummary extends FleetMarket {
  workflowId: string;
  status: 'completed' | 'failed' | 'skipped';
  /** Step 9's decision, when the child got that far. */
  promoted?: boolean;
  /** Why: the decision's reasons, the failure, or the running retrain that made it skip. */
  reason: string;
  datasetSha256?: string;
}

export interface FleetRetrainResult {
  runs: FleetRunSummary[];
  completed: number;
  failed: number;
  skipped: number;
  promoted: number;
  seconds: number;
}
