/**
 * Contracts between the CLI, workflows and activities. Only types and constants: workflow code
 * imports this file, so it must stay free of Node built-ins and heavy libraries.
 */
import type { CollectRequest, DatasetRef } from '@ares/data';

/** Task queue of the pipeline's workflows and light activities. */
export const PIPELINE_TASK_QUEUE = 'ares-pipeline';

export type Trigger = 'manual' | 'schedule' | 'test';

export interface TrainingPipelineInput {
  /** Where the market data comes from (validated by the activity with zod). */
  collect: CollectRequest;
  trigger: Trigger;
}

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
  stages: StageStatus[];
}
