import { ApplicationFailure } from '@temporalio/activity';
import { DataError } from '@ares/data';

/** Bad input → non-retryable ApplicationFailure (type = the error's class); transient faults stay retryable. */
export function toFailure(err: unknown): unknown {
  if (err instanceof DataError) {
    return ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: !err.retryable, cause: err });
  }
  return err;
}
