/**
 * The workflow bundle must build (path aliases resolved) and must not pull in anything that is
 * not deterministic or not allowed in the workflow sandbox: DuckDB, koffi, the AWS SDK,
 * TensorFlow.js, or Node's fs/net/child_process.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../workflowsPath';

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

test('workflows bundle without native or I/O modules', async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  expect(code).toContain('trainingPipeline');
  for (const forbidden of ['@duckdb/node-api', 'koffi', '@aws-sdk/client-s3', '@tensorflow/tfjs', 'node:fs', 'child_process']) {
    expect(code).not.toContain(forbidden);
  }
});
