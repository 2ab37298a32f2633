import type { ActivityOptions, RetryPolicy } from '@temporalio/common';

/**
 * The one retry policy of every workflow's activities. A failure's kind decides whether it is
 * retried, not a count of attempts:
 * - bad input and programming errors are non-retryable on attempt 1: the activities turn every
 *   error whose `retryable` flag is false (and TypeError, ReferenceError, SyntaxError, ZodError)
 *   into a non-retryable ApplicationFailure (`activities/toFailure.ts`);
 * - everything else (S3/HTTP/DuckDB I/O, the network, a lost worker noticed by its heartbeat) is
 *   retried with back-off capped at 30 s, without an attempt limit, until the activity's time
 *   budget (`scheduleToCloseTimeout`, counted from its first scheduling, queueing included) is
 *   spent. So an outage of minutes, or hours within the budget, is ridden out.
 */
export const RETRY_POLICY: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' };

/** [6 hours] Default time budget of one activity over all its attempts (`retryBudgetMs` of the workflow inputs, `ARES_RETRY_BUDGET` of the CLI). */
export const DEFAULT_RETRY_BUDGET_MS = 6 * 3600_000;

/** Timeouts of one attempt, by the activity's kind. A worker that dies is noticed within the heartbeat timeout. */
const KINDS = {
  /** The pipeline's own steps (data, planning, backtest, Monte Carlo, publication). */
  pipeline: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '15 seconds' },
  /** Heavy steps on the training task queue (pruning, search trials, the governor). */
  heavy: { startToCloseTimeout: '4 hours', heartbeatTimeout: '30 seconds' },
  /** Heavy units on the training task queue (regime units, walk-forward folds): they resume from checkpoints. */
  training: { startToCloseTimeout: '4 hours', heartbeatTimeout: '10 seconds' },
  /** trainModel's light steps (load and split, evaluate, save). */
  modelLight: { startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds' },
  /** trainModel's fits (tune, train). */
  modelHeavy: { startToCloseTimeout: '2 hours', heartbeatTimeout: '60 seconds' },
} as const satisfies Record<string, Pick<ActivityOptions, 'startToCloseTimeout' | 'heartbeatTimeout'>>;

export type ActivityKind = keyof typeof KINDS;

/** Options for `proxyActivities`: the kind's timeouts, the shared retry policy and the time budget. */
export function activityOptions(kind: ActivityKind, budgetMs: number | undefined, taskQueue?: string): ActivityOptions {
  return {
    ...KINDS[kind],
    scheduleToCloseTimeout: budgetMs ?? DEFAULT_RETRY_BUDGET_MS,
    retry: RETRY_POLICY,
    ...(taskQueue ? { taskQueue } : {}),
  };
}
