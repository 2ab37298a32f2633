import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { ConfigError, IntegrityError, InvalidInputError, TransientError } from '@ares/data';
import { LightGBMError, ModelStateError, TrainingWorkerError, XGBoostError } from '@ares/models';
import { activityOptions, DEFAULT_RETRY_BUDGET_MS, RETRY_POLICY } from '../workflows/retryPolicy';
import { toFailure, withFailureKinds } from './toFailure';

function failure(err: unknown): ApplicationFailure {
  const f = toFailure(err);
  expect(f).toBeInstanceOf(ApplicationFailure);
  return f as ApplicationFailure;
}

describe('toFailure: the failure kind decides the retry', () => {
  it.each([
    ['InvalidInputError', new InvalidInputError("field 'symbol' = \"x\"")],
    ['ConfigError', new ConfigError('bucket')],
    ['IntegrityError', new IntegrityError('sha256 mismatch')],
    ['LightGBMError', new LightGBMError('LGBM_BoosterCreate', 'bad param')],
    ['XGBoostError', new XGBoostError('XGBoosterUpdateOneIter', 'bad label')],
    ['ModelStateError', new ModelStateError('predict before fit')],
  ])('%s (retryable = false) is non-retryable, typed by its class', (type, err) => {
    const f = failure(err);
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toBe(err.message);
  });

  it.each([
    ['TransientError', new TransientError('S3 get features/x failed: connect ECONNREFUSED')],
    ['TrainingWorkerError', new TrainingWorkerError('worker thread exited')],
  ])('%s (retryable = true) stays retryable', (type, err) => {
    const f = failure(err);
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(false);
  });

  it('programming errors are non-retryable: another attempt runs the same code', () => {
    expect(failure(new TypeError("Cannot read properties of undefined (reading 'x')")).nonRetryable).toBe(true);
    expect(failure(new ReferenceError('x is not defined')).nonRetryable).toBe(true);
    const zod = z.object({ a: z.number() }).safeParse({ a: 'no' });
    expect(failure(zod.error).nonRetryable).toBe(true);
    expect(failure(zod.error).type).toBe('ZodError');
  });

  it('unclassified errors (I/O, DuckDB, the network) pass through and are retried', () => {
    const eacces = Object.assign(new Error("EACCES: permission denied, open '/x/artifacts/a.tmp'"), { code: 'EACCES' });
    expect(toFailure(eacces)).toBe(eacces);
    const existing = ApplicationFailure.create({ message: 'already a failure', nonRetryable: true });
    expect(toFailure(existing)).toBe(existing);
  });

  it('withFailureKinds classifies what every wrapped activity throws, and keeps the names', async () => {
    const acts = withFailureKinds({
      async ok(x: number) { return x + 1; },
      async bad() { throw new LightGBMError('LGBM_DatasetCreateFromMat', 'boom'); },
    });
    expect(Object.keys(acts)).toEqual(['ok', 'bad']);
    await expect(acts.ok(1)).resolves.toBe(2);
    await expect(acts.bad()).rejects.toMatchObject({ type: 'LightGBMError', nonRetryable: true });
  });
});

describe('the shared retry policy', () => {
  it('retries without an attempt limit, capped back-off, until the time budget', () => {
    expect(RETRY_POLICY.maximumAttempts).toBeUndefined();
    expect(RETRY_POLICY.maximumInterval).toBe('30 seconds');
    expect(RETRY_POLICY.nonRetryableErrorTypes).toBeUndefined();
    const o = activityOptions('training', undefined, 'q-training');
    expect(o.scheduleToCloseTimeout).toBe(DEFAULT_RETRY_BUDGET_MS);
    expect(o.taskQueue).toBe('q-training');
    expect(o.heartbeatTimeout).toBe('10 seconds');
    expect(activityOptions('pipeline', 120_000).scheduleToCloseTimeout).toBe(120_000);
  });
});
