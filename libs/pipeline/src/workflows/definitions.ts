import { defineQuery } from '@temporalio/workflow';
import type { PipelineProgress } from '../contracts';

/** Live progress of a run: one entry per stage that the pipeline runs. */
export const progressQuery = defineQuery<PipelineProgress>('progress');

/** Bad input is never retried; everything else is, with back-off. */
export const NON_RETRYABLE_ERROR_TYPES = [
  'InvalidInputError', 'InvalidKeyError', 'ConfigError', 'IntegrityError',
  'UnknownFeatureError', 'InvalidFeatureParamsError', 'MissingColumnError', 'NonFiniteInputError', 'InsufficientHistoryError',
];
