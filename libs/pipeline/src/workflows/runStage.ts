import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { StageStatus } from '../contracts';

/**
 * Runs one stage of a workflow, keeping its status (state, workflow times, summary or error) up to
 * date for the progress query. An activity's or child workflow's ApplicationFailure is re-raised
 * with the stage name in front and its own type, non-retryably.
 */
export async function runStage<T>(stage: StageStatus, fn: () => Promise<T>, summarize: (t: T) => string): Promise<T> {
  stage.state = 'running';
  stage.startedAt = Date.now();
  try {
    const result = await fn();
    stage.state = 'completed';
    stage.summary = summarize(result);
    return result;
  } catch (err) {
    stage.state = 'failed';
    const cause = err instanceof ActivityFailure ? err.cause : (err as { cause?: unknown }).cause;
    stage.error = cause instanceof Error ? cause.message : String(err);
    if (cause instanceof ApplicationFailure) {
      throw ApplicationFailure.create({ message: `${stage.name}: ${cause.message}`, type: cause.type ?? undefined, nonRetryable: true, cause: err as Error });
    }
    throw err;
  } finally {
    stage.endedAt = Date.now();
  }
}
