/**
 * Worker processes for the benchmarks: `apps/worker` started against a Temporal server with one
 * training slot, stopped with SIGTERM (drain), and their memory read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const repoRoot = join(__dirname, '..', '..');

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  output: () => string;
}

/** Worker processes alive now (stopped on SIGINT by the benches). */
export const live = new Set<WorkerProcess>();
/** Artifacts directories in use, removed on SIGINT too. */
export const liveDirs = new Set<string>();

/** Starts an apps/worker process (ARES_TRAINING_SLOTS=1) and resolves once it polls its task queues. */
export async function startWorker(env: TestWorkflowEnvironment, name: string, taskQueue: string, artifacts: string, profileFile?: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, TEMPORAL_ADDRESS: env.address, ARES_TASK_QUEUE: taskQueue, ARES_ARTIFACTS: `file://${artifacts}`, ARES_WORKER_ID: name, ARES_TRAINING_SLOTS: '1', ...(profileFile ? { ARES_PROFILE_FILE: profileFile } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const worker: WorkerProcess = { name, child, output: () => output };
  live.add(worker);
  child.once('exit', () => live.delete(worker));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start polling within 120 s:\n${output}`)), 120_000);
    const onData = (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
      if (output.includes('polling')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
  return worker;
}

/** SIGTERM (the worker drains and exits), SIGKILL after 20 s. */
export async function stopWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => w.child.once('exit', () => resolve()));
  w.child.kill('SIGTERM');
  const timer = setTimeout(() => w.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Resident set of a live process in MB, from /proc: `peak` (VmHWM) or `current` (VmRSS). */
export function rssMb(pid: number, which: 'peak' | 'current'): number {
  const field = which === 'peak' ? 'VmHWM' : 'VmRSS';
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Peak resident set size (VmHWM) of a live process in MB. */
export function peakRssMb(pid: number): number {
  return rssMb(pid, 'peak');
}
