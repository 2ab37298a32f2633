import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ArtifactStore } from '@ares/data';
import type { ModelRunSpec } from '../contracts';
import { createModelActivities } from './modelActivities';

/** A store that must not be reached: a bad request fails before any data is read. */
const untouchedStore = new Proxy({}, { get: (_t, name) => () => { throw new Error(`store.${String(name)} called`); } }) as unknown as ArtifactStore;

const spec: ModelRunSpec = {
  symbol: 'BTCUSDT', interval: '1h', model: 'lightgbm',
  features: { key: 'features/manifest.json' } as ModelRunSpec['features'],
  trainRatio: 0.8, valRatio: 0.1, balance: 'none', params: {}, regularization: {}, seed: 1,
  tuning: { trials: 1, folds: 2, metric: 'macro_f1', concurrency: 1 },
};

test('a bad regularization section fails the activity non-retryably, naming the field and value, before reading data', async () => {
  const activities = createModelActivities({ store: untouchedStore });
  const failure = await new MockActivityEnvironment().run(activities.loadAndSplit, { ...spec, regularization: { trees: { l2: -1 } } }).then(
    () => { throw new Error('expected a failure'); },
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect((failure as ApplicationFailure).nonRetryable).toBe(true);
  expect((failure as ApplicationFailure).type).toBe('InvalidInputError');
  expect((failure as ApplicationFailure).message).toMatch(/regularization\.trees\.l2 = -1: /);
});
