/**
 * A small least-recently-used cache of promises, shared by the activities of one worker process:
 * concurrent callers of one key share one load, and a failed load is forgotten (the next caller
 * tries again). Keys must name the content (e.g. a sha256), so a cached value is never stale.
 */
export class AsyncCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  constructor(private readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`AsyncCache capacity ${capacity}: must be a positive integer`);
  }

  /** The value of `key`, loading it with `load` unless it is cached (or being loaded). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const loading = load();
    this.entries.set(key, loading);
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return loading;
  }

  get size(): number {
    return this.entries.size;
  }
}
