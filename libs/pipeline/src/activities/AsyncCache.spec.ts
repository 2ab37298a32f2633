import { AsyncCache } from './AsyncCache';

describe('AsyncCache', () => {
  it('loads a key once, shares a load in flight, and evicts the least recently used key', async () => {
    const cache = new AsyncCache<string>(2);
    let loads = 0;
    const load = (v: string) => async () => {
      loads++;
      return v;
    };
    const [a1, a2] = await Promise.all([cache.get('a', load('A')), cache.get('a', load('other'))]);
    expect([a1, a2, loads]).toEqual(['A', 'A', 1]);
    await cache.get('b', load('B'));
    await cache.get('a', load('again')); // a is now the most recent
    await cache.get('c', load('C')); // evicts b
    expect(await cache.get('a', load('reloaded'))).toBe('A');
    expect(await cache.get('b', load('B2'))).toBe('B2');
    expect(loads).toBe(4);
    expect(cache.size).toBe(2);
  });

  it('forgets a failed load, so the next caller loads again', async () => {
    const cache = new AsyncCache<number>(4);
    await expect(cache.get('k', () => Promise.reject(new Error('S3 down')))).rejects.toThrow('S3 down');
    expect(cache.size).toBe(0);
    expect(await cache.get('k', async () => 7)).toBe(7);
  });
});
