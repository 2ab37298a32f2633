import { join } from 'node:path';
import type { ArtifactStore } from '../artifacts/ArtifactStore';
import { sha256File } from '../artifacts/hash';
import { IntegrityError, InvalidInputError } from '../errors';
import { DatasetManifestSchema, type DatasetManifest } from './DatasetRef';

/** Reads and validates a dataset's manifest. */
export async function readDatasetManifest(store: ArtifactStore, manifestKey: string): Promise<DatasetManifest> {
  const text = Buffer.from(await store.get(manifestKey)).toString('utf8');
  const parsed = DatasetManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(`dataset manifest ${manifestKey}: field '${issue.path.join('.')}': ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Downloads one file of a dataset into `dir` and checks its sha256 against the manifest.
 * Returns the local path.
 */
export async function downloadDatasetFile(store: ArtifactStore, manifest: DatasetManifest, file: keyof DatasetManifest['files'], dir: string): Promise<string> {
  const entry = manifest.files[file];
  const path = join(dir, entry.key.split('/').pop()!);
  await store.getFile(entry.key, path);
  const { sha256 } = await sha256File(path);
  if (sha256 !== entry.sha256) throw new IntegrityError(`${entry.key}: sha256 ${sha256} does not match the manifest's ${entry.sha256}`);
  return path;
}
