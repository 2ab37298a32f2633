import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors';

/**
 * Where artifacts go. `file://<dir>` (relative dirs resolve from the working directory) or
 * `s3://<bucket>[/<prefix>]`. Credentials are NOT part of this: S3 uses the standard AWS chain
 * (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance roles, …).
 */
export type ArtifactLocation =
  | { kind: 'file'; root: string }
  | { kind: 's3'; bucket: string; prefix: string; endpoint?: string; region?: string; forcePathStyle?: boolean };

const EnvSchema = z.object({
  /** @default file://.data/artifacts */
  ARES_ARTIFACTS: z.string().default('file://.data/artifacts'),
  /** S3-compatible endpoint, e.g. http://127.0.0.1:9000; unset for AWS S3. */
  ARES_S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: (i) => `ARES_S3_ENDPOINT ${JSON.stringify(i.input)} must be an http(s) URL such as http://127.0.0.1:9000` })
    .optional(),
  /** 'true' | 'false'; defaults to true when ARES_S3_ENDPOINT is set. */
  ARES_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
  AWS_REGION: z.string().optional(),
});

/**
 * Reads the file named by ARES_ENV_FILE (KEY=VALUE lines, the format `infra/dev.sh up` writes to
 * $ARES_DATA_DIR/ares.env) into `env`, for every key `env` does not set already: one profile gives
 * the CLI and the workers the same Temporal address, namespace, task queue and artifact store.
 * Returns the keys it set. Node's own parser (util.parseEnv) reads the file.
 */
export function applyEnvFile(env: NodeJS.ProcessEnv = process.env): string[] {
  const file = env.ARES_ENV_FILE;
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`ARES_ENV_FILE=${file}: cannot read it (${(err as Error).message})`, { cause: err });
  }
  const set: string[] = [];
  for (const [k, v] of Object.entries(parseEnv(text))) {
    if (env[k] !== undefined) continue;
    env[k] = v;
    set.push(k);
  }
  return set;
}

/** Parses the artifact location from the environment (zod-validated). */
export function artifactLocationFromEnv(env: NodeJS.ProcessEnv = process.env): ArtifactLocation {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  return parseArtifactUrl(e.ARES_ARTIFACTS, {
    endpoint: e.ARES_S3_ENDPOINT,
    region: e.AWS_REGION,
    forcePathStyle: e.ARES_S3_FORCE_PATH_STYLE === undefined ? undefined : e.ARES_S3_FORCE_PATH_STYLE === 'true',
  });
}

/** Parses `file://dir` or `s3://bucket/prefix`. */
export function parseArtifactUrl(
  url: string,
  s3: { endpoint?: string; region?: string; forcePathStyle?: boolean } = {},
): ArtifactLocation {
  if (url.startsWith('file://')) {
    const dir = url.slice('file://'.length);
    if (!dir) throw new ConfigError(`ARES_ARTIFACTS '${url}' has no directory`);
    return { kind: 'file', root: resolve(dir) };
  }
  if (url.startsWith('s3://')) {
    const [bucket, ...rest] = url.slice('s3://'.length).split('/');
    if (!bucket) throw new ConfigError(`ARES_ARTIFACTS '${url}' has no bucket`);
    return { kind: 's3', bucket, prefix: rest.filter(Boolean).join('/'), ...dropUndefined(s3) };
  }
  throw new ConfigError(`ARES_ARTIFACTS '${url}' must start with file:// or s3://`);
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Directory for local state (DuckDB files, pid files, Temporal's SQLite). @default .data */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ARES_DATA_DIR ?? '.data');
}
