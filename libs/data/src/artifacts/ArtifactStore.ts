/** What a store records about an object. */
export interface ArtifactInfo {
  key: string;
  /** Lower-case hex sha256 of the object's bytes. */
  sha256: string;
  size: number;
}

/**
 * One interface over a local directory and S3. Writes are atomic: a reader sees either no object
 * or the whole object, never a partial one. Every object's sha256 is recorded at write time.
 */
export interface ArtifactStore {
  /** Human-readable location, e.g. `file:///…/.data/artifacts` or `s3://bucket/prefix` (never credentials). */
  readonly url: string;
  put(key: string, body: Uint8Array | string): Promise<ArtifactInfo>;
  /**
   * Creates the object only if no object has the key (atomically, across processes and machines:
   * link(2) on a local directory, a conditional PUT `If-None-Match: *` on S3). Returns undefined,
   * writing nothing, when the key already exists: of racing writers exactly one wins. The basis
   * of the model registry's compare-and-swap.
   */
  putIfAbsent(key: string, body: Uint8Array | string): Promise<ArtifactInfo | undefined>;
  /** Uploads a local file (streamed; multipart on S3 for large files). */
  putFile(key: string, path: string): Promise<ArtifactInfo>;
  get(key: string): Promise<Uint8Array>;
  /** Downloads an object to a local file (atomically). */
  getFile(key: string, path: string): Promise<ArtifactInfo>;
  /** The recorded info, or undefined when the object does not exist. */
  stat(key: string): Promise<ArtifactInfo | undefined>;
  exists(key: string): Promise<boolean>;
  /** Keys under a prefix ('' for all), sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
