import { ApplicationFailure } from '@temporalio/activity';

/** Errors that mean the code or its contract is wrong: another attempt gives the same. */
const PROGRAMMING_ERRORS = new Set(['TypeError', 'ReferenceError', 'SyntaxError', 'ZodError']);

/**
 * An activity's error as Temporal should see it. Every error that carries a boolean `retryable`
 * (DataError and its subclasses, the native-library, model-state, LSTM and training-worker errors)
 * becomes an ApplicationFailure of its class name with `nonRetryable = !retryable`; programming
 * errors are non-retryable; anything else (I/O, network, DuckDB) stays retryable under the shared
 * policy (`workflows/retryPolicy.ts`).
 */
export function toFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure || !(err instanceof Error)) return err;
  const flag = (err as { retryable?: unknown }).retryable;
  if (typeof flag === 'boolean') return ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: !flag, cause: err });
  if (PROGRAMMING_ERRORS.has(err.name)) return ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: true, cause: err });
  return err;
}

/** Wraps every activity of `activities` so that what it throws goes through `toFailure`. */
export function withFailureKinds<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(Object.entries(activities).map(([name, fn]) => [name, async (...args: never[]) => {
    try {
      return await fn(...args);
    } catch (err) {
      throw toFailure(err);
    }
  }])) as T;
}
