/**
 * Test helpers for @ares/pipeline: the real Temporal dev server.
 *
 * ```ts
 * await withTemporal(async (env) => { await env.client.workflow.execute(...); });
 * ```
 */
export { startTemporal, withTemporal } from './temporal';
export { withPipelineWorkers } from './workers';
export { SMALL_GOVERNOR, VALIDATION_GOVERNOR } from './governorConfig';
