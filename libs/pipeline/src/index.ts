/**
 * @ares/pipeline — the training workflows, their activity contracts and the activities.
 *
 * ```ts
 * import { createActivities, workflowsPath, PIPELINE_TASK_QUEUE } from '@ares/pipeline';
 *
 * const worker = await Worker.create({ connection, taskQueue: PIPELINE_TASK_QUEUE, workflowsPath,
 *   activities: createActivities({ store }) });
 * ```
 */
export { createActivities, type Activities, type ActivityDeps } from './activities/createActivities';
export { toFailure } from './activities/toFailure';
export { workerIdentity } from './activities/workerIdentity';
export * from './contracts';
export { DATASET_HASH, INTERVAL, PROMOTED, SEARCH_ATTRIBUTES, SYMBOL, TRIGGER } from './searchAttributes';
export { progressQuery } from './workflows/definitions';
export { activityOptions, DEFAULT_RETRY_BUDGET_MS, RETRY_POLICY } from './workflows/retryPolicy';
export { temporalConfigFromEnv, connectClient, TemporalConnectionError, type TemporalConfig } from './temporalConfig';
export { workflowsPath } from './workflowsPath';
