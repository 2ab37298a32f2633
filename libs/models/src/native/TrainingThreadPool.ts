import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { profiler } from '../core/profile';
import type { JobMessage, SerializedError, ThreadMessage, TrainingKind } from './threadProtocol';

const ENTRY = join(__dirname, 'trainingThread.cjs');
/** An idle thread is kept this long for the next fit, then stopped. */
const IDLE_MS = 30_000;

/** How a caller follows one job. */
export interface JobHandlers {
  /** Each progress message of the job, on the main thread. */
  onProgress?: (progress: unknown) => void;
}

/** How a job ended: the thread's result, or its error as it crossed the thread boundary. */
export type JobOutcome = { result: unknown; timings: Record<string, number> } | { error: SerializedError } | { crash: Error };

interface Running {
  id: number;
  handlers: JobHandlers;
  settle: (outcome: JobOutcome) => void;
}

interface PooledThread {
  worker: Worker;
  ready: Promise<void>;
  running?: Running;
  idleTimer?: NodeJS.Timeout;
}

/**
 * Warm worker threads for native training. Native fits are synchronous C calls, so they run off
 * the main thread (Temporal heartbeats and cancellation keep flowing); a thread serves one job at a
 * time and then waits, warm, for the next — starting a thread (and compiling the TypeScript
 * training code in it) costs ~0.2 s, as long as a small fit. The pool grows to as many threads as
 * jobs run at once and stops a thread after IDLE_MS without work. Idle threads do not keep the
 * process alive. A thread that crashes fails its job and is replaced by a fresh one on demand.
 *
 * Cancellation stays cooperative (a SharedArrayBuffer flag in the job, read between rounds):
 * terminating a thread mid-round would leak its native data sets and booster.
 */
export class TrainingThreadPool {
  private readonly threads = new Set<PooledThread>();
  private nextId = 1;

  /** Runs one job on an idle thread (or a new one) and resolves with how it ended. */
  async run(kind: TrainingKind, payload: unknown, transfer: readonly ArrayBuffer[], handlers: JobHandlers = {}): Promise<JobOutcome> {
    const thread = this.idleThread() ?? this.spawn();
    const id = this.nextId++;
    clearTimeout(thread.idleTimer);
    const outcome = new Promise<JobOutcome>((settle) => {
      thread.running = { id, handlers, settle };
    });
    thread.worker.ref();
    try {
      await thread.ready;
    } catch (err) {
      this.fail(thread, err as Error);
      return outcome;
    }
    thread.worker.postMessage({ id, kind, payload } satisfies JobMessage, [...transfer]);
    return outcome;
  }

  /** Threads alive now (busy or idle). */
  get size(): number {
    return this.threads.size;
  }

  /** Stops every idle thread now (busy ones finish their job first, then stop). */
  async close(): Promise<void> {
    await Promise.all([...this.threads].filter((t) => t.running === undefined).map((t) => this.stop(t)));
  }

  private idleThread(): PooledThread | undefined {
    for (const t of this.threads) if (t.running === undefined) return t;
    return undefined;
  }

  private spawn(): PooledThread {
    const started = performance.now();
    const worker = new Worker(ENTRY);
    let markReady!: () => void;
    let markFailed!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    ready.catch(() => undefined);
    const thread: PooledThread = { worker, ready };
    this.threads.add(thread);
    worker.on('message', (m: ThreadMessage) => {
      if (m.type === 'ready') {
        profiler.add('thread.start', performance.now() - started);
        markReady();
        return;
      }
      const running = thread.running;
      if (running === undefined || running.id !== m.id) return;
      if (m.type === 'progress') {
        running.handlers.onProgress?.(m.progress);
        return;
      }
      thread.running = undefined;
      this.park(thread);
      running.settle(m.type === 'done' ? { result: m.result, timings: m.timings } : { error: m.error });
    });
    worker.on('error', (err) => {
      markFailed(err);
      this.fail(thread, new Error(`a training thread (${ENTRY}) crashed: ${err.message}`, { cause: err }));
    });
    worker.on('exit', (code) => {
      markFailed(new Error(`a training thread (${ENTRY}) exited with code ${code} before it was ready`));
      this.fail(thread, new Error(`a training thread (${ENTRY}) exited with code ${code} during a job`));
    });
    return thread;
  }

  /** Keeps a thread that finished a job for the next one, without holding the process open. */
  private park(thread: PooledThread): void {
    thread.worker.unref();
    thread.idleTimer = setTimeout(() => void this.stop(thread), IDLE_MS);
    thread.idleTimer.unref();
  }

  private fail(thread: PooledThread, error: Error): void {
    this.threads.delete(thread);
    clearTimeout(thread.idleTimer);
    const running = thread.running;
    thread.running = undefined;
    running?.settle({ crash: error });
    void thread.worker.terminate();
  }

  private async stop(thread: PooledThread): Promise<void> {
    this.threads.delete(thread);
    clearTimeout(thread.idleTimer);
    await thread.worker.terminate();
  }
}

/** The process's pool, shared by every LightGBM and XGBoost fit. */
export const trainingThreads = new TrainingThreadPool();
