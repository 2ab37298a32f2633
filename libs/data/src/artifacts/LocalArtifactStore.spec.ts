import { createHash } from 'node:crypto';
import type * as FsPromises from 'node:fs/promises';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArtifactNotFoundError, InvalidKeyError } from '../errors';
import { withTempDir } from '../testing/tempDir';
import { LocalArtifactStore } from './LocalArtifactStore';
import { rejection } from '../testing';

/**
 * rename() with an optional hook run before it, so a test can force one interleaving of two writers.
 * Without a hook it is the real rename.
 */
const mockRenameHook: { fn?: (from: string, to: string) => Promise<void> } = {};
jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof FsPromises>('node:fs/promises');
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      await mockRenameHook.fn?.(from, to);
      return actual.rename(from, to);
    },
  };
});

afterEach(() => {
  mockRenameHook.fn = undefined;
});

/** Independent of the store's own hashing (artifacts/hash.ts). */
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

// FIPS 180-2, Appendix B.1: SHA-256("abc").
const SHA256_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

/** A store rooted at `<tmp>/root`, so a test can also see what (if anything) lands next to it. */
async function withStore<T>(fn: (store: LocalArtifactStore, root: string, dir: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const root = join(dir, 'root');
    const store = await LocalArtifactStore.create(root);
    try {
      return await fn(store, root, dir);
    } finally {
      await store.close();
    }
  });
}

/** Every file under `dir`, relative, '/'-separated, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1).split('\\').join('/'))
    .sort();
}


describe('LocalArtifactStore', () => {
  it('round-trips put, get, stat, exists, list and delete', async () => {
    await withStore(async (store, root) => {
      expect(store.url).toBe(pathToFileURL(root).href);
      const body = new Uint8Array([0, 1, 2, 253, 254, 255]);
      const info = await store.put('a/b/c.bin', body);
      expect(info).toEqual({ key: 'a/b/c.bin', sha256: sha256(body), size: 6 });

      expect(Array.from(await store.get('a/b/c.bin'))).toEqual([0, 1, 2, 253, 254, 255]);
      expect(await store.stat('a/b/c.bin')).toEqual(info);
      expect(await store.exists('a/b/c.bin')).toBe(true);
      expect(await store.exists('a/b/c')).toBe(false);
      expect(await store.stat('a/b/other')).toBeUndefined();

      // A string body is stored as UTF-8: 'é' is 2 bytes.
      const text = await store.put('a/t.txt', 'héllo');
      expect(text).toEqual({ key: 'a/t.txt', sha256: sha256(Buffer.from('héllo', 'utf8')), size: 6 });
      expect(Buffer.from(await store.get('a/t.txt')).toString('utf8')).toBe('héllo');

      await store.put('z.json', '{}');
      expect(await store.list('')).toEqual(['a/b/c.bin', 'a/t.txt', 'z.json']);
      expect(await store.list('a/')).toEqual(['a/b/c.bin', 'a/t.txt']);
      expect(await store.list('a/b')).toEqual(['a/b/c.bin']);
      expect(await store.list('nothing/')).toEqual([]);

      await store.delete('a/b/c.bin');
      expect(await store.exists('a/b/c.bin')).toBe(false);
      expect(await store.stat('a/b/c.bin')).toBeUndefined();
      expect(await store.list('')).toEqual(['a/t.txt', 'z.json']);
      // Deleting what is not there is not an error (idempotent).
      await expect(store.delete('a/b/c.bin')).resolves.toBeUndefined();
    });
  });

  it('putIfAbsent creates a key once: of 20 racing writers exactly one wins, its bytes and hash stay', async () => {
    await withTempDir(async (dir) => {
      // Two store objects over one directory stand for two worker processes.
      const [a, b] = [await LocalArtifactStore.create(dir), await LocalArtifactStore.create(dir)];
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).putIfAbsent('registry/v000001.json', `writer ${i}`)));
      const winners = results.map((r, i) => (r ? i : -1)).filter((i) => i >= 0);
      expect(winners).toHaveLength(1);
      const body = Buffer.from(await a.get('registry/v000001.json')).toString();
      expect(body).toBe(`writer ${winners[0]}`);
      expect((await b.stat('registry/v000001.json'))?.sha256).toBe(createHash('sha256').update(body).digest('hex'));
      expect(await a.putIfAbsent('registry/v000001.json', 'late')).toBeUndefined();
      expect(Buffer.from(await a.get('registry/v000001.json')).toString()).toBe(body);
      // Nothing left behind in the temporary directory.
      expect(await readdir(join(dir, '.tmp'))).toEqual([]);
    });
  });

  it('records the sha256 of the FIPS 180-2 test vector "abc"', async () => {
    await withStore(async (store) => {
      expect(await store.put('abc', 'abc')).toEqual({ key: 'abc', sha256: SHA256_ABC, size: 3 });
      expect((await store.stat('abc'))?.sha256).toBe(SHA256_ABC);
    });
  });

  it('overwrites a key with the new bytes and the new hash', async () => {
    await withStore(async (store) => {
      await store.put('k', 'first');
      await store.put('k', 'second, longer');
      expect(Buffer.from(await store.get('k')).toString()).toBe('second, longer');
      expect(await store.stat('k')).toEqual({ key: 'k', sha256: sha256('second, longer'), size: 14 });
      expect(await store.list('')).toEqual(['k']);
    });
  });

  it('putFile and getFile copy files and record the hash of their bytes', async () => {
    await withStore(async (store, _root, dir) => {
      const body = Buffer.alloc(3 * 1024 * 1024 + 17);
      for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
      const src = join(dir, 'src.bin');
      await writeFile(src, body);

      const info = await store.putFile('files/big.bin', src);
      expect(info).toEqual({ key: 'files/big.bin', sha256: sha256(body), size: body.length });
      expect(await store.stat('files/big.bin')).toEqual(info);

      const dst = join(dir, 'out', 'nested', 'copy.bin');
      expect(await store.getFile('files/big.bin', dst)).toEqual(info);
      expect(sha256(await readFile(dst))).toBe(sha256(body));
      // getFile writes to a .part file and renames it: nothing else is left next to the target.
      expect(await readdir(join(dir, 'out', 'nested'))).toEqual(['copy.bin']);
    });
  });

  it('throws ArtifactNotFoundError naming the key for a missing object', async () => {
    await withStore(async (store, _root, dir) => {
      const get = await rejection(store.get('no/such.key'));
      expect(get).toBeInstanceOf(ArtifactNotFoundError);
      expect(get.message).toContain("'no/such.key'");
      const getFile = await rejection(store.getFile('no/such.key', join(dir, 'x')));
      expect(getFile).toBeInstanceOf(ArtifactNotFoundError);
      expect(getFile.message).toContain("'no/such.key'");
      expect(await readdir(dir)).toEqual(['root']);
    });
  });

  it('rejects a bad key before writing anything, inside or outside the root', async () => {
    await withStore(async (store, root, dir) => {
      const src = join(dir, 'src.txt');
      await writeFile(src, 'payload');
      const before = await filesUnder(dir);
      expect(before).toEqual(['src.txt']);

      for (const key of ['../x', '../root2/x', 'a/../../x', '/tmp/x', '.meta/x', '.tmp/x', 'a//b']) {
        expect(await rejection(store.put(key, 'payload'))).toBeInstanceOf(InvalidKeyError);
        expect(await rejection(store.putFile(key, src))).toBeInstanceOf(InvalidKeyError);
        expect(await rejection(store.get(key))).toBeInstanceOf(InvalidKeyError);
        expect(await rejection(store.stat(key))).toBeInstanceOf(InvalidKeyError);
        expect(await rejection(store.delete(key))).toBeInstanceOf(InvalidKeyError);
        expect(await rejection(store.getFile(key, join(dir, 'dst')))).toBeInstanceOf(InvalidKeyError);
      }
      expect(await filesUnder(dir)).toEqual(before);
      expect(await readdir(join(root, '.tmp'))).toEqual([]);
      expect(await store.list('')).toEqual([]);
    });
  });

  it('never lets a reader see a partial object while writers race on one key', async () => {
    await withStore(async (store, root) => {
      // Distinct bodies of distinct lengths: a torn or truncated read matches none of the hashes.
      const bodies = Array.from({ length: 12 }, (_, i) => Buffer.alloc(2 * 1024 * 1024 + i * 4099, i + 1));
      const hashes = new Set(bodies.map((b) => sha256(b)));
      let writing = true;
      const seen = { notFound: 0, complete: 0 };

      const reader = async () => {
        while (writing) {
          try {
            const bytes = await store.get('race/obj.bin');
            expect(hashes.has(sha256(bytes))).toBe(true);
            seen.complete++;
          } catch (err) {
            if (!(err instanceof ArtifactNotFoundError)) throw err;
            seen.notFound++;
          }
        }
      };
      const readers = Array.from({ length: 4 }, reader);
      // Two rounds so that reads overlap writes both before and after the key first exists.
      for (let round = 0; round < 2; round++) {
        await Promise.all(bodies.map((b) => store.put('race/obj.bin', b)));
      }
      writing = false;
      await Promise.all(readers);

      expect(seen.complete).toBeGreaterThan(0);
      expect(hashes.has(sha256(await store.get('race/obj.bin')))).toBe(true);
      expect(await readdir(join(root, '.tmp'))).toEqual([]);
      expect(await store.list('')).toEqual(['race/obj.bin']);
    });
  });

  // Two store instances on one root stand for two processes: nothing serialises them, so writer A
  // is held at each of its renames while writer B completes, then released.
  it.each([
    ['its object rename', (to: string) => to.endsWith(join('race', 'meta.bin'))],
    ['its meta rename', (to: string) => to.endsWith(join('.meta', 'race', 'meta.bin.json'))],
  ])('keeps the recorded hash equal to the stored bytes when writers in two processes interleave (A held at %s)', async (_label, holdAt) => {
    await withStore(async (store, root) => {
      const other = await LocalArtifactStore.create(root);
      let releaseA!: () => void;
      const aHeld = new Promise<void>((r) => (releaseA = r));
      let aReached!: () => void;
      const aAtHold = new Promise<void>((r) => (aReached = r));
      mockRenameHook.fn = async (_from, to) => {
        if (holdAt(to)) {
          mockRenameHook.fn = undefined; // only writer A is held
          aReached();
          await aHeld;
        }
      };
      const a = store.put('race/meta.bin', 'body of writer A');
      await aAtHold;
      await other.put('race/meta.bin', 'body of writer B, longer');
      releaseA();
      await a;

      for (const s of [store, other]) {
        const bytes = await s.get('race/meta.bin');
        expect(await s.stat('race/meta.bin')).toEqual({ key: 'race/meta.bin', sha256: sha256(bytes), size: bytes.byteLength });
      }
    });
  });
});
