import { randomUUID } from 'node:crypto';
import { copyFile, link, mkdir, readFile, readdir, rename, rm, stat as fsStat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArtifactNotFoundError } from '../errors';
import type { ArtifactInfo, ArtifactStore } from './ArtifactStore';
import { sha256File, sha256Hex } from './hash';
import { validateKey } from './keys';

/**
 * Artifact store in a local directory (the default: `.data/artifacts`).
 *
 * Atomicity: bytes go to `<root>/.tmp/<uuid>` and are renamed into place (rename(2) is atomic
 * within one file system). The sha256 is kept in `<root>/.meta/<key>.json` together with the
 * inode of the object it describes; `stat` trusts it only when the inode matches the object now
 * in place, and otherwise re-hashes the object, so racing writers can never leave a hash that
 * belongs to other bytes. Writes of one key from one process are also serialised.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly url: string;

  private constructor(private readonly root: string) {
    this.url = pathToFileURL(root).href;
  }

  static async create(root: string): Promise<LocalArtifactStore> {
    const abs = resolve(root);
    await mkdir(join(abs, '.tmp'), { recursive: true });
    await mkdir(join(abs, '.meta'), { recursive: true });
    return new LocalArtifactStore(abs);
  }

  async put(key: string, body: Uint8Array | string): Promise<ArtifactInfo> {
    validateKey(key);
    const tmp = this.tmpPath();
    await writeFile(tmp, body);
    const info: ArtifactInfo = { key, sha256: sha256Hex(body), size: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength };
    return this.commit(tmp, info);
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<ArtifactInfo | undefined> {
    validateKey(key);
    const tmp = this.tmpPath();
    await writeFile(tmp, body);
    const info: ArtifactInfo = { key, sha256: sha256Hex(body), size: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength };
    const target = this.objectPath(key);
    await mkdir(dirname(target), { recursive: true });
    try {
      // link(2) fails with EEXIST when the target exists, atomically: the create-only publish.
      await link(tmp, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw err;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    const { ino } = await fsStat(target);
    const meta = this.metaPath(key);
    await mkdir(dirname(meta), { recursive: true });
    const metaTmp = this.tmpPath();
    await writeFile(metaTmp, JSON.stringify({ ...info, ino }));
    await rename(metaTmp, meta);
    return info;
  }

  async putFile(key: string, path: string): Promise<ArtifactInfo> {
    validateKey(key);
    const tmp = this.tmpPath();
    await copyFile(path, tmp);
    const { sha256, size } = await sha256File(tmp);
    return this.commit(tmp, { key, sha256, size });
  }

  async get(key: string): Promise<Uint8Array> {
    validateKey(key);
    try {
      return await readFile(this.objectPath(key));
    } catch (err) {
      throw this.mapMissing(err, key);
    }
  }

  async getFile(key: string, path: string): Promise<ArtifactInfo> {
    validateKey(key);
    await mkdir(dirname(resolve(path)), { recursive: true });
    const tmp = `${path}.${randomUUID()}.part`;
    try {
      await copyFile(this.objectPath(key), tmp);
    } catch (err) {
      throw this.mapMissing(err, key);
    }
    // Hash what was copied, so the answer describes these bytes even if a writer raced us.
    const { sha256, size } = await sha256File(tmp);
    await rename(tmp, path);
    return { key, sha256, size };
  }

  async stat(key: string): Promise<ArtifactInfo | undefined> {
    validateKey(key);
    let ino: number;
    try {
      ino = (await fsStat(this.objectPath(key))).ino;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const meta = JSON.parse(await readFile(this.metaPath(key), 'utf8')) as ArtifactInfo & { ino?: number };
      if (meta.ino === ino) return { key, sha256: meta.sha256, size: meta.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
    }
    // Meta missing or describing other bytes (a racing writer): hash the object itself.
    try {
      const { sha256, size } = await sha256File(this.objectPath(key));
      return { key, sha256, size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        const rel = relative(this.root, full).split(sep).join('/');
        if (rel === '.tmp' || rel === '.meta') continue;
        if (e.isDirectory()) await walk(full);
        else if (rel.startsWith(prefix)) keys.push(rel);
      }
    };
    await walk(this.root);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    await rm(this.objectPath(key), { force: true });
    await rm(this.metaPath(key), { force: true });
  }

  async close(): Promise<void> {}

  private readonly pending = new Map<string, Promise<unknown>>();

  /** Renames the object into place, then records its hash with its inode. Serialised per key. */
  private async commit(tmp: string, info: ArtifactInfo): Promise<ArtifactInfo> {
    const previous = this.pending.get(info.key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(async () => {
      const target = this.objectPath(info.key);
      const meta = this.metaPath(info.key);
      await mkdir(dirname(target), { recursive: true });
      await mkdir(dirname(meta), { recursive: true });
      const { ino } = await fsStat(tmp); // rename keeps the inode
      await rename(tmp, target);
      const metaTmp = this.tmpPath();
      await writeFile(metaTmp, JSON.stringify({ ...info, ino }));
      await rename(metaTmp, meta);
      return info;
    });
    this.pending.set(info.key, next);
    try {
      return await next;
    } finally {
      if (this.pending.get(info.key) === next) this.pending.delete(info.key);
    }
  }

  private objectPath(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private metaPath(key: string): string {
    return join(this.root, '.meta', ...`${key}.json`.split('/'));
  }

  private tmpPath(): string {
    return join(this.root, '.tmp', randomUUID());
  }

  private mapMissing(err: unknown, key: string): unknown {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new ArtifactNotFoundError(`artifact '${key}' not found in ${this.url}`, { cause: err });
    return err;
  }
}
