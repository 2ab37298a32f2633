/** The identity a worker process shows in Temporal (and records in what it produced): ARES_WORKER_ID, or `ares-worker-<pid>`. */
export function workerIdentity(): string {
  return process.env.ARES_WORKER_ID ?? `ares-worker-${process.pid}`;
}
