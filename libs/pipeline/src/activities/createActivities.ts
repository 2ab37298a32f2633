import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { collectMarketData as collect, type ArtifactStore, type DatasetRef } from '@ares/data';
import { createFeatureActivities } from './featureActivities';
import { createGovernorActivities, createRunDataLoader } from './governorActivities';
import { createModelActivities } from './modelActivities';
import { withFailureKinds } from './toFailure';
import { createValidationActivities } from './validationActivities';

/** What the activities need; the worker builds these once. */
export interface ActivityDeps {
  store: ArtifactStore;
}

/**
 * The pipeline's activities over injected dependencies. Each is idempotent: its outputs go to
 * keys derived from its inputs (datasets are content-addressed). What they throw is classified by
 * `toFailure`: bad input and programming errors are non-retryable, transient faults are retried.
 */
export function createActivities(deps: ActivityDeps) {
  // One in-process cache of the runs' feature data, shared by the governor and validation stages.
  const runData = createRunDataLoader(deps.store);
  return withFailureKinds({
    ...createFeatureActivities(deps),
    ...createModelActivities(deps),
    ...createGovernorActivities({ ...deps, runData }),
    ...createValidationActivities({ ...deps, runData }),
    /** Step 1: collect from the configured source, store in DuckDB, publish Parquet; returns a reference only. */
    async collectMarketData(request: unknown): Promise<DatasetRef> {
      const ctx = Context.current();
      const tmpDir = await mkdtemp(join(tmpdir(), 'ares-collect-'));
      // Heartbeats keep flowing while DuckDB and the generator work, so a dead worker is noticed.
      const beat = setInterval(() => ctx.heartbeat({ stage: 'working' }), 1_000);
      try {
        return await collect(request, {
          store: deps.store,
          tmpDir,
          onProgress: (stage, detail) => {
            ctx.log.info(`collectMarketData: ${stage}`, detail ?? {});
            ctx.heartbeat({ stage, ...detail });
          },
        });
      } finally {
        clearInterval(beat);
        await rm(tmpDir, { recursive: true, force: true });
      }
    },
  });
}

export type Activities = ReturnType<typeof createActivities>;

