/**
 * Ares worker: registers the pipeline's workflows and activities on a task queue.
 *
 *   TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_TLS_* / TEMPORAL_API_KEY   which Temporal (see README)
 *   ARES_ARTIFACTS / ARES_S3_ENDPOINT                                          where artifacts go
 *   ARES_TASK_QUEUE                                                            @default ares-pipeline
 *   ARES_ENV_FILE         KEY=VALUE file for every variable not set (the one `infra/dev.sh up` writes)
 *   ARES_TRAINING_SLOTS   heavy training activities at a time (on <queue>-training)    @default 1
 *   ARES_WORKER_ID                                                             identity shown in Temporal
 *   ARES_PROFILE_FILE     records where training time goes (@ares/models profiler) and writes the
 *                         totals there as JSON when the worker stops (bench/governor.bench.ts --profile)
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { renameSync, writeFileSync } from 'node:fs';
import { applyEnvFile, createArtifactStore, joinKey } from '@ares/data';
import { codeVersion, profiler } from '@ares/models';
import { createActivities, temporalConfigFromEnv, trainingTaskQueue, workerIdentity, workflowsPath } from '@ares/pipeline';

export async function runWorker(): Promise<void> {
  const profileFile = process.env.ARES_PROFILE_FILE;
  if (profileFile) profiler.enable();
  applyEnvFile();
  const config = temporalConfigFromEnv();
  const store = await createArtifactStore();
  const connection = await NativeConnection.connect({
    address: config.address,
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  });
  const taskQueue = config.taskQueue;
  const slots = Number(process.env.ARES_TRAINING_SLOTS ?? 1);
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`ARES_TRAINING_SLOTS=${process.env.ARES_TRAINING_SLOTS}: must be a positive integer`);
  const identity = workerIdentity();
  const activities = createActivities({ store });
  // Workflows and light activities on the pipeline queue.
  const worker = await Worker.create({ connection, namespace: config.namespace, taskQueue, workflowsPath, activities, identity, maxConcurrentActivityTaskExecutions: 2 });
  // Heavy training activities (single-threaded models): `slots` at a time per process, so each
  // process adds that many cores to the fleet; scale with more worker processes.
  const training = await Worker.create({ connection, namespace: config.namespace, taskQueue: trainingTaskQueue(taskQueue), activities, identity, maxConcurrentActivityTaskExecutions: slots });
  // Where this worker writes, under its identity: `ares doctor` checks that the CLI's store has it.
  await store.put(joinKey('workers', `${identity.replace(/[^\w.-]/g, '_')}.json`), JSON.stringify({ identity, taskQueue, namespace: config.namespace, address: config.address, store: store.url, codeVersion: codeVersion(), pid: process.pid, startedAt: new Date().toISOString() }, null, 2));
  console.log(`[worker ${process.pid}] polling ${taskQueue} and ${trainingTaskQueue(taskQueue)} (${slots} training slot${slots > 1 ? 's' : ''}) on ${config.address}/${config.namespace}; artifacts in ${store.url}; code ${codeVersion()}`);
  try {
    // When one stops (signal or fatal error), stop the other too.
    const stop = (w: Worker) => () => {
      if (w.getState() === 'RUNNING') w.shutdown();
    };
    await Promise.all([worker.run().finally(stop(training)), training.run().finally(stop(worker))]);
  } finally {
    await connection.close();
    await store.close();
    if (profileFile) writeProfile(profileFile);
  }
}

/** The profile totals as JSON, written to a temporary file and renamed (a reader never sees half of it). */
function writeProfile(file: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, totals: profiler.snapshot() }, null, 1));
  renameSync(tmp, file);
}

if (require.main === module) {
  runWorker().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
