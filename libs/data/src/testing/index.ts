/**
 * Test helpers for @ares/data: real services, fresh resources per test.
 *
 * ```ts
 * const minio = await startMinio();
 * await withBucket(minio, async (store) => { await store.put('a/b.json', '{}'); });
 * await minio.stop();
 * ```
 */
export { freePort, startMinio, withBucket, type MinioServer } from './minio';
export { withTempDir } from './tempDir';
export { rejection, thrown } from './errors';
export { expectClose, pythonReference } from './pythonReference';
export { queryParquet } from './parquet';
