import { TestWorkflowEnvironment } from '@temporalio/testing';
import { toolPaths } from '@ares/data';
import { SEARCH_ATTRIBUTES } from '../searchAttributes';

/**
 * Starts the real Temporal dev server (the `temporal` binary installed by infra/install-tools.sh,
 * never a download) with the project's search attributes registered.
 */
export async function startTemporal(options: { port?: number } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: toolPaths().temporal },
      ip: '127.0.0.1',
      ...(options.port ? { port: options.port } : {}),
      searchAttributes: [...SEARCH_ATTRIBUTES],
      extraArgs: ['--log-level', 'error'],
    },
  });
}

/** Runs `fn` against a fresh Temporal dev server, torn down afterwards. */
export async function withTemporal<T>(fn: (env: TestWorkflowEnvironment) => Promise<T>): Promise<T> {
  const env = await startTemporal();
  try {
    return await fn(env);
  } finally {
    await env.teardown();
  }
}
