import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArtifactUrl } from '../config';
import { ArtifactNotFoundError, InvalidKeyError } from '../errors';
import { startMinio, withBucket, type MinioServer } from '../testing/minio';
import { withTempDir } from '../testing/tempDir';
import { createArtifactStore } from './createArtifactStore';
import { S3ArtifactStore } from './S3ArtifactStore';
import { rejection } from '../testing';

/** Independent of the store's own hashing (artifacts/hash.ts). */
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

// FIPS 180-2, Appendix B.1: SHA-256("abc").
const SHA256_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

const MiB = 1024 * 1024;

/** 12 MiB of a position-dependent pattern: a dropped, repeated or reordered part changes the hash. */
function bigBody(seed: number): Buffer {
  const b = Buffer.alloc(12 * MiB);
  for (let i = 0; i < b.length; i += 4) b.writeUInt32LE(((i >>> 2) * 2654435761 + seed) >>> 0, i);
  return b;
}


let minio: MinioServer;
/** A raw client, to look at what the store wrote (ETags, keys) without going through the store. */
let raw: S3Client;

beforeAll(async () => {
  minio = await startMinio();
  raw = new S3Client({ endpoint: minio.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey } });
});

afterAll(async () => {
  raw?.destroy();
  await minio?.stop();
});

/** ETag of the object as stored; multipart uploads get "<md5 of part md5s>-<parts>". */
async function etag(bucket: string, fullKey: string): Promise<string> {
  const res = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: fullKey }));
  return res.ETag!.replaceAll('"', '');
}

async function rawKeys(bucket: string): Promise<string[]> {
  const res = await raw.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

describe('S3ArtifactStore on MinIO', () => {
  it('putIfAbsent is a conditional create: of 10 racing writers exactly one wins', async () => {
    await withBucket(minio, async (store) => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.putIfAbsent('registry/v000001.json', `writer ${i}`)));
      const winners = results.map((r, i) => (r ? i : -1)).filter((i) => i >= 0);
      expect(winners).toHaveLength(1);
      const body = Buffer.from(await store.get('registry/v000001.json')).toString();
      expect(body).toBe(`writer ${winners[0]}`);
      expect((await store.stat('registry/v000001.json'))?.sha256).toBe(sha256(body));
      expect(await store.putIfAbsent('registry/v000001.json', 'late')).toBeUndefined();
    });
  });

  it('round-trips put, get, stat, exists, list and delete under its prefix', async () => {
    await withBucket(minio, async (store, bucket) => {
      expect(store.url).toBe(`s3://${bucket}/runs (${minio.endpoint})`);
      const body = new Uint8Array([0, 1, 2, 253, 254, 255]);
      expect(await store.put('a/b/c.bin', body)).toEqual({ key: 'a/b/c.bin', sha256: sha256(body), size: 6 });
      expect(Array.from(await store.get('a/b/c.bin'))).toEqual([0, 1, 2, 253, 254, 255]);
      expect(await store.stat('a/b/c.bin')).toEqual({ key: 'a/b/c.bin', sha256: sha256(body), size: 6 });
      expect(await store.exists('a/b/c.bin')).toBe(true);

      expect(await store.put('abc', 'abc')).toEqual({ key: 'abc', sha256: SHA256_ABC, size: 3 });
      expect((await store.stat('abc'))?.sha256).toBe(SHA256_ABC);
      // A string is stored as UTF-8: 'é' is 2 bytes.
      expect(await store.put('a/t.txt', 'héllo')).toEqual({ key: 'a/t.txt', sha256: sha256(Buffer.from('héllo')), size: 6 });
      expect(Buffer.from(await store.get('a/t.txt')).toString('utf8')).toBe('héllo');

      // The store's prefix is applied on write and stripped on list.
      expect(await rawKeys(bucket)).toEqual(['runs/a/b/c.bin', 'runs/a/t.txt', 'runs/abc']);
      expect(await store.list('')).toEqual(['a/b/c.bin', 'a/t.txt', 'abc']);
      expect(await store.list('a/')).toEqual(['a/b/c.bin', 'a/t.txt']);
      expect(await store.list('a/b')).toEqual(['a/b/c.bin']);
      expect(await store.list('zzz')).toEqual([]);

      await store.delete('a/b/c.bin');
      expect(await store.exists('a/b/c.bin')).toBe(false);
      expect(await store.list('')).toEqual(['a/t.txt', 'abc']);
      await expect(store.delete('a/b/c.bin')).resolves.toBeUndefined();
    });
  });

  it('putFile and getFile copy small files with their hash', async () => {
    await withBucket(minio, async (store) => {
      await withTempDir(async (dir) => {
        const src = join(dir, 'small.json');
        await writeFile(src, '{"x":1}');
        const info = await store.putFile('f/small.json', src);
        expect(info).toEqual({ key: 'f/small.json', sha256: sha256('{"x":1}'), size: 7 });
        const dst = join(dir, 'out', 'small.json');
        expect(await store.getFile('f/small.json', dst)).toEqual(info);
        expect(await readFile(dst, 'utf8')).toBe('{"x":1}');
      });
    });
  });

  it('uploads objects above the multipart threshold in parts, via putFile and via put, hashes intact', async () => {
    await withBucket(minio, async (store, bucket) => {
      await withTempDir(async (dir) => {
        const fileBody = bigBody(1);
        const src = join(dir, 'big.bin');
        await writeFile(src, fileBody);
        const viaFile = await store.putFile('big/file.bin', src);
        expect(viaFile).toEqual({ key: 'big/file.bin', sha256: sha256(fileBody), size: 12 * MiB });

        const bufferBody = bigBody(2);
        const viaPut = await store.put('big/put.bin', bufferBody);
        expect(viaPut).toEqual({ key: 'big/put.bin', sha256: sha256(bufferBody), size: 12 * MiB });

        // withBucket sets a 5 MiB threshold and the store uploads 8 MiB parts: 12 MiB is 2 parts.
        expect(await etag(bucket, 'runs/big/file.bin')).toMatch(/-2$/);
        expect(await etag(bucket, 'runs/big/put.bin')).toMatch(/-2$/);
        await store.put('big/small.bin', Buffer.alloc(MiB, 7));
        expect(await etag(bucket, 'runs/big/small.bin')).not.toContain('-');

        for (const [key, body] of [['big/file.bin', fileBody], ['big/put.bin', bufferBody]] as const) {
          const dst = join(dir, `${key.replace('/', '_')}.down`);
          const got = await store.getFile(key, dst);
          expect(got).toEqual({ key, sha256: sha256(body), size: 12 * MiB });
          expect(sha256(await readFile(dst))).toBe(sha256(body));
          expect(await store.stat(key)).toEqual({ key, sha256: sha256(body), size: 12 * MiB });
          expect(sha256(await store.get(key))).toBe(sha256(body));
        }
      });
    });
  });

  it('rejects keys with ".." (and other bad keys) before writing anything', async () => {
    await withBucket(minio, async (store, bucket) => {
      await withTempDir(async (dir) => {
        const src = join(dir, 'x');
        await writeFile(src, 'payload');
        for (const key of ['../x', 'a/../../x', '/abs', 'a//b', '.meta']) {
          const put = await rejection(store.put(key, 'payload'));
          expect(put).toBeInstanceOf(InvalidKeyError);
          expect(put.message).toContain(`'${key}'`);
          expect(await rejection(store.putFile(key, src))).toBeInstanceOf(InvalidKeyError);
          expect(await rejection(store.get(key))).toBeInstanceOf(InvalidKeyError);
          expect(await rejection(store.stat(key))).toBeInstanceOf(InvalidKeyError);
          expect(await rejection(store.delete(key))).toBeInstanceOf(InvalidKeyError);
        }
        expect(await store.list('')).toEqual([]);
        expect(await rawKeys(bucket)).toEqual([]);
      });
    });
  });

  it('reports a missing object as undefined from stat and ArtifactNotFoundError from get and getFile', async () => {
    await withBucket(minio, async (store) => {
      await withTempDir(async (dir) => {
        expect(await store.stat('no/such.bin')).toBeUndefined();
        expect(await store.exists('no/such.bin')).toBe(false);
        const get = await rejection(store.get('no/such.bin'));
        expect(get).toBeInstanceOf(ArtifactNotFoundError);
        expect(get.message).toContain("'no/such.bin'");
        expect(await rejection(store.getFile('no/such.bin', join(dir, 'x')))).toBeInstanceOf(ArtifactNotFoundError);
      });
    });
  });

  it('createArtifactStore opens an s3:// location parsed by parseArtifactUrl', async () => {
    await withBucket(minio, async (runs, bucket) => {
      const location = parseArtifactUrl(`s3://${bucket}/runs`, { endpoint: minio.endpoint });
      expect(location).toEqual({ kind: 's3', bucket, prefix: 'runs', endpoint: minio.endpoint });
      const store = await createArtifactStore(location);
      try {
        expect(store).toBeInstanceOf(S3ArtifactStore);
        expect(store.url).toBe(`s3://${bucket}/runs (${minio.endpoint})`);
        await store.put('via/factory.txt', 'hello');
        // Same bucket and prefix as the withBucket store: it sees the object and its hash.
        expect(await runs.stat('via/factory.txt')).toEqual({ key: 'via/factory.txt', sha256: sha256('hello'), size: 5 });
        expect(await rawKeys(bucket)).toEqual(['runs/via/factory.txt']);
      } finally {
        await store.close();
      }
    });
  });

  it('never shows credentials in store.url', async () => {
    await withBucket(minio, async (store, bucket) => {
      const stores = [store, await createArtifactStore(parseArtifactUrl(`s3://${bucket}/p/q`, { endpoint: minio.endpoint }))];
      try {
        for (const s of stores) {
          expect(s.url).not.toContain(minio.secretKey);
          expect(s.url).not.toContain(`${minio.accessKey}:`);
          expect(s.url).not.toContain('@');
          expect(s.url).not.toMatch(/secret|password|credential/i);
        }
        expect(stores[1]!.url).toBe(`s3://${bucket}/p/q (${minio.endpoint})`);
      } finally {
        await stores[1]!.close();
      }
    });
  });

  it('keeps credentials written into the endpoint out of store.url', async () => {
    await withBucket(minio, async (_runs, bucket) => {
      const endpoint = minio.endpoint.replace('http://', `http://${minio.accessKey}:${minio.secretKey}@`);
      const store = await createArtifactStore(parseArtifactUrl(`s3://${bucket}/runs`, { endpoint }));
      try {
        expect(store.url).not.toContain(minio.secretKey);
      } finally {
        await store.close();
      }
    });
  });
});
