import { execFileSync } from 'node:child_process';
import { ArtifactNotFoundError, joinKey, sha256Hex, type ArtifactStore } from '@ares/data';
import type { SavedModel } from '../core/Model';
import { BundleError, MissingFeatureError } from '../errors';
import { BUNDLE_VERSION, ModelManifestSchema, type ModelManifest } from './ModelManifest';

/** Where bundles live: models/{symbol}/{interval}/{modelKey}/… */
export function bundlePrefix(symbol: string, interval: string, modelKey: string): string {
  return joinKey('models', symbol, interval, modelKey);
}

/** The code version recorded in bundles: $ARES_CODE_VERSION, else the git commit, else 'unknown'. */
export function codeVersion(): string {
  if (process.env.ARES_CODE_VERSION) return process.env.ARES_CODE_VERSION;
  // Read once per process: the code a worker runs is what it loaded, even when the checkout's HEAD
  // moves on while it runs (a run's key and its manifest must name the same version).
  if (loadedVersion === undefined) {
    try {
      loadedVersion = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      loadedVersion = 'unknown';
    }
  }
  return loadedVersion;
}
let loadedVersion: string | undefined;

/**
 * Saves a model bundle: native files first, manifest.json last (so a reader never mistakes a
 * half-written bundle for a finished one). Returns the manifest's key.
 */
export async function saveBundle(store: ArtifactStore, saved: SavedModel, meta: Omit<ModelManifest, 'bundleVersion' | 'files' | 'state' | 'library' | 'type'> & { type: ModelManifest['type'] }): Promise<{ key: string; manifest: ModelManifest }> {
  const prefix = bundlePrefix(meta.symbol, meta.interval, meta.modelKey);
  const files: ModelManifest['files'] = [];
  for (const [name, bytes] of Object.entries(saved.files)) {
    const info = await store.put(joinKey(prefix, name), bytes);
    files.push({ name, key: info.key, sha256: info.sha256, size: info.size });
  }
  const manifest: ModelManifest = ModelManifestSchema.parse({
    ...meta, bundleVersion: BUNDLE_VERSION, library: saved.library, files, state: saved.state,
  });
  const key = joinKey(prefix, 'manifest.json');
  await store.put(key, JSON.stringify(manifest, null, 2));
  return { key, manifest };
}

/**
 * Loads a bundle: reads and validates the manifest first, then every file, checking its sha256.
 * A missing file, a changed file or a manifest that fails the schema is a BundleError naming it.
 */
export async function loadBundle(store: ArtifactStore, manifestKey: string): Promise<{ manifest: ModelManifest; saved: SavedModel }> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(await store.get(manifestKey)).toString('utf8'));
  } catch (err) {
    if (err instanceof ArtifactNotFoundError) throw new BundleError(`model bundle manifest '${manifestKey}' not found in ${store.url}`, { cause: err });
    throw new BundleError(`model bundle manifest '${manifestKey}' is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const version = (raw as { bundleVersion?: unknown } | null)?.bundleVersion;
  if (version !== BUNDLE_VERSION) throw new BundleError(`model bundle '${manifestKey}' has bundleVersion ${JSON.stringify(version)}; this code reads version ${BUNDLE_VERSION}`);
  const parsed = ModelManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BundleError(`model bundle '${manifestKey}': manifest field '${issue.path.join('.')}': ${issue.message}`);
  }
  const manifest = parsed.data;
  const files: Record<string, Uint8Array> = {};
  for (const f of manifest.files) {
    let bytes: Uint8Array;
    try {
      bytes = await store.get(f.key);
    } catch (err) {
      if (err instanceof ArtifactNotFoundError) throw new BundleError(`model bundle '${manifestKey}': file '${f.name}' is missing (${f.key})`, { cause: err });
      throw err;
    }
    if (sha256Hex(bytes) !== f.sha256) throw new BundleError(`model bundle '${manifestKey}': file '${f.name}' has changed (sha256 ${sha256Hex(bytes).slice(0, 12)}… ≠ ${f.sha256.slice(0, 12)}…)`);
    files[f.name] = bytes;
  }
  return { manifest, saved: { type: manifest.type, library: manifest.library, files, state: manifest.state } };
}

/** Column indices of the trained features in `columns`; a missing one is an error naming it. */
export function selectTrainedColumns(manifest: ModelManifest, columns: readonly string[]): number[] {
  const index = new Map(columns.map((c, i) => [c, i]));
  const missing = manifest.features.original.filter((c) => !index.has(c));
  if (missing.length) {
    throw new MissingFeatureError(`input lacks ${missing.length} feature(s) the model was trained on: ${missing.slice(0, 10).map((c) => `'${c}'`).join(', ')}${missing.length > 10 ? ', …' : ''}`);
  }
  return manifest.features.original.map((c) => index.get(c)!);
}
