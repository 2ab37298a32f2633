/** Test helpers: real `apps/worker` processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..', '..');

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
}

/**
 * Starts `apps/worker/src/main.ts` as its own process (identity `name`, artifacts in `artifacts`)
 * and resolves once it polls its task queues. `env` adds or overrides variables.
 */
export async function startWorkerProcess(name: string, options: { temporalAddress: string; taskQueue: string; artifacts: string; env?: Record<string, string> }): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, TEMPORAL_ADDRESS: options.temporalAddress, ARES_TASK_QUEUE: options.taskQueue, ARES_ARTIFACTS: `file://${options.artifacts}`, ARES_WORKER_ID: name, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Keeps draining the pipes for the life of the process (a full pipe would block the worker).
  const onData = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start polling within 60 s:\n${output}`)), 60_000);
    const poll = () => {
      if (!output.includes('polling')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on('data', poll);
    child.stderr!.on('data', poll);
    child.once('exit', (code, signal) => reject(new Error(`${name} exited with ${code ?? signal}:\n${output}`)));
  });
  return { name, child, output: () => output };
}

/** SIGTERM (SIGKILL after 10 s) and wait for the exit; a no-op for an exited process. */
export async function stopWorkerProcess(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((resolve) => w.child.once('exit', resolve));
  w.child.kill('SIGTERM');
  const force = setTimeout(() => w.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(force);
}
