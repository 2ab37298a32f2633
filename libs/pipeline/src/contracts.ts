/**
 * Contracts between the CLI, workflows and activities. Only types and constants: workflow code
 * imports this file, so it must stay free of Node built-ins and heavy libraries.
 */
import type { CollectRequest, DatasetRef } from '@ares/data';
import type { FeatureDatasetRef, FeatureSetConfig } from '@ares/features';

/** Task queue of the pipeline's workflows and light activities. */
export const PIPELINE_TASK_QUEUE = 'ares-pipeline';

export type Trigger = 'manual' | 'schedule' | 'test';

export interface TrainingPipelineInput {
  /** Where the market data comes from (validated by the activity with zod). */
  collect: CollectRequest;
  trigger: Trigger;
  /** Share of rows (chronologically first) that form the training window. @default 0.8 */
  trainRatio?: number;
  /** Feature set; @default the default set (≥ 80 columns, with 4h and 1d context). */
  featureSet?: FeatureSetConfig;
  /** Stop after this stage (e.g. only collect data). @default the last stage */
  until?: PipelineStage;
  /** Search space of the triple-barrier target parameters (step 2). @default grid over tp/sl 1–3 ATR, holding 6–48 bars */
  targetSearch?: Record<string, unknown>;
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
export const PIPELINE_STAGES = ['collectMarketData', 'optimizeTargetParams', 'buildFeatures'] as const;
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
  stages: StageStatus[];
}

/** Model types trainModel accepts (checked by the workflow before any work; mirrors @ares/models MODEL_TYPES). */
export const MODEL_TYPE_NAMES = ['lightgbm', 'xgboost', 'random_forest', 'lstm'] as const;

/** `ares train-model`: one model for one symbol and interval. */
export interface TrainModelInput {
  collect: CollectRequest;
  trigger: Trigger;
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
  metrics: { metricsKey: string; accuracy: number; macroF1: number; logLoss: number; testRows: number };
  bundleKey: string;
  stages: StageStatus[];
}
