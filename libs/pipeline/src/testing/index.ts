/**
 * Test helpers for @ares/pipeline: the real Temporal dev server.
 *
 * ```ts
 * await withTemporal(async (env) => { await env.client.workflow.execute(...); });
 * ```
 */
export { startTemporal, withTemporal } from './temporal';
export { withPipelineWorkers } from './workers';
export { EDGE_TARGET_SEARCH, SMALL_GOVERNOR, SMALL_VALIDATION_GOVERNOR, VALIDATION_GOVERNOR } from './governorConfig';
