import { defineQuery } from '@temporalio/workflow';
import type { PipelineProgress } from '../contracts';

/** Live progress of a run: one entry per stage that the pipeline runs. */
export const progressQuery = defineQuery<PipelineProgress>('progress');
