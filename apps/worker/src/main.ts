/**
 * Ares worker: registers the pipeline's workflows and activities on a task queue.
 *
 *   TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_TLS_* / TEMPORAL_API_KEY   which Temporal (see README)
 *   ARES_ARTIFACTS / ARES_S3_ENDPOINT                                          where artifacts go
 *   ARES_TASK_QUEUE                                                            @default ares-pipeline
 *   ARES_WORKER_ID                                                             identity shown in Temporal
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createArtifactStore } from '@ares/data';
import { createActivities, PIPELINE_TASK_QUEUE, temporalConfigFromEnv, workflowsPath } from '@ares/pipeline';

export async function runWorker(): Promise<void> {
  const config = temporalConfigFromEnv();
  const store = await createArtifactStore();
  const connection = await NativeConnection.connect({
    address: config.address,
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  });
  const taskQueue = process.env.ARES_TASK_QUEUE ?? PIPELINE_TASK_QUEUE;
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue,
    workflowsPath,
    activities: createActivities({ store }),
    identity: process.env.ARES_WORKER_ID ?? `ares-worker-${process.pid}`,
    // Heavy activities: few at a time per process; scale with more worker processes.
    maxConcurrentActivityTaskExecutions: 2,
  });
  console.log(`[worker ${process.pid}] polling ${taskQueue} on ${config.address}/${config.namespace}; artifacts in ${store.url}`);
  try {
    await worker.run();
  } finally {
    await connection.close();
    await store.close();
  }
}

if (require.main === module) {
  runWorker().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
