import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3ArtifactStore } from '../artifacts/S3ArtifactStore';
import { toolPaths } from '../tools';

/** A MinIO server on loopback, started for tests. */
export interface MinioServer {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  stop(): Promise<void>;
}

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real MinIO binary (installed by infra/install-tools.sh) on a free loopback port with
 * a temporary data directory, and waits until it is healthy. Also points the standard AWS
 * credential variables at it, so code under test finds credentials the way it would in production.
 */
export async function startMinio(options: { timeoutMs?: number; port?: number; dir?: string; secretKey?: string } = {}): Promise<MinioServer> {
  const { minio } = toolPaths();
  // A given dir is the caller's (a restart on the same data); a temporary one is removed on stop.
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'ares-minio-')));
  const port = options.port ?? (await freePort());
  const consolePort = await freePort();
  const accessKey = 'ares-test';
  const secretKey = options.secretKey ?? `secret-${randomUUID()}`;
  const child: ChildProcess = spawn(minio, ['server', dir, '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'], {
    env: { ...process.env, MINIO_ROOT_USER: accessKey, MINIO_ROOT_PASSWORD: secretKey, MINIO_BROWSER: 'off', MINIO_UPDATE: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`minio exited with code ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/minio/health/live`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`minio did not become healthy on ${endpoint} within ${options.timeoutMs ?? 30_000} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env.AWS_ACCESS_KEY_ID = accessKey;
  process.env.AWS_SECRET_ACCESS_KEY = secretKey;
  process.env.AWS_REGION = 'us-east-1';
  return {
    endpoint,
    accessKey,
    secretKey,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5_000)))]);
        clearTimeout(timer);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with a fresh bucket on the given MinIO, as an S3ArtifactStore under a prefix. */
export async function withBucket<T>(minio: MinioServer, fn: (store: S3ArtifactStore, bucket: string) => Promise<T>): Promise<T> {
  const bucket = `ares-test-${randomUUID().slice(0, 8)}`;
  const store = await S3ArtifactStore.create({ bucket, prefix: 'runs', endpoint: minio.endpoint, createBucket: true, multipartThreshold: 5 * 1024 * 1024 });
  try {
    return await fn(store, bucket);
  } finally {
    await store.close();
  }
}
