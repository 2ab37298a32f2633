/**
 * Replays recorded histories of representative runs against today's workflow code: a change that
 * makes trainingPipeline non-deterministic fails here instead of breaking runs in flight.
 * Record new ones with `ARES_RECORD_HISTORIES=1 npx jest libs/pipeline/src/workflows/trainingPipeline.int.spec.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { workflowsPath } from '../workflowsPath';

const dir = join(__dirname, 'histories');
// Binary protobuf (History.encode): decoding needs no JSON conversion across protobufjs copies.
const files = readdirSync(dir).filter((f) => f.endsWith('.binpb'));

beforeAll(() => Runtime.install({ logger: new DefaultLogger('WARN') }));

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(2);
});

test.each(files)('history %s replays without non-determinism', async (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(join(dir, file)));
  // The original workflow id: child workflow ids are derived from it.
  const workflowId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId || file;
  await Worker.runReplayHistory({ workflowsPath, replayName: file }, history, workflowId);
});
