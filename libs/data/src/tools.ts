import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors';

/** Paths of the real tools installed by `infra/install-tools.sh` (its manifest.json). */
export interface ToolPaths {
  temporal: string;
  temporalVersion: string;
  minio: string;
  minioVersion: string;
  lightgbmLib: string;
  lightgbmVersion: string;
  xgboostLib: string;
  xgboostVersion: string;
  python: string;
}

/** The tools cache: $ARES_TOOLS_DIR, else ~/.cache/ares/tools. */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ARES_TOOLS_DIR ?? join(homedir(), '.cache', 'ares', 'tools');
}

/** Reads the tools manifest; throws with the fix when the tools are not installed. */
export function toolPaths(env: NodeJS.ProcessEnv = process.env): ToolPaths {
  const manifest = join(toolsDir(env), 'manifest.json');
  if (!existsSync(manifest)) throw new ConfigError(`tools are not installed (no ${manifest}): run 'bash infra/install-tools.sh'`);
  return JSON.parse(readFileSync(manifest, 'utf8')) as ToolPaths;
}
