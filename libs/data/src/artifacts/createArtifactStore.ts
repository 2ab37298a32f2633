import { artifactLocationFromEnv, type ArtifactLocation } from '../config';
import type { ArtifactStore } from './ArtifactStore';
import { LocalArtifactStore } from './LocalArtifactStore';
import { S3ArtifactStore } from './S3ArtifactStore';

/** Opens the store a location names (default: from the environment, see `artifactLocationFromEnv`). */
export async function createArtifactStore(
  location: ArtifactLocation = artifactLocationFromEnv(),
  options: { createBucket?: boolean } = {},
): Promise<ArtifactStore> {
  if (location.kind === 'file') return LocalArtifactStore.create(location.root);
  return S3ArtifactStore.create({ ...location, createBucket: options.createBucket ?? false });
}
