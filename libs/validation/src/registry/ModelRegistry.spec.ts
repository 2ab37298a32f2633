import { LocalArtifactStore } from '@ares/data';
import { withTempDir } from '@ares/data/testing';
import { ModelRegistry, RegistryConflictError, type RegistryEventInput } from './ModelRegistry';

const promote = (runId: string, previous?: string): RegistryEventInput => ({ kind: 'promote', runId, manifestKey: `runs/${runId}/manifest.json`, reasons: ['gates passed'], actor: 'test', ...(previous ? { previous } : {}) });

test('promotions stack up; a rollback restores the champion below; the log is append-only', async () => {
  await withTempDir(async (dir) => {
    const reg = ModelRegistry.of(await LocalArtifactStore.create(dir), 'BTCUSDT', '1h');
    expect((await reg.state()).head).toBe(0);
    await reg.append(0, promote('run-a'));
    await reg.append(1, promote('run-b', 'run-a'));
    await reg.append(2, promote('run-c', 'run-b'));
    let s = await reg.state();
    expect([s.head, s.champion?.runId, ModelRegistry.previousChampion(s)?.runId]).toEqual([3, 'run-c', 'run-b']);
    await reg.append(3, { kind: 'rollback', runId: 'run-b', previous: 'run-c', manifestKey: 'runs/run-b/manifest.json', reasons: ['manual'], actor: 'cli:test', note: 'bad live fills' });
    s = await reg.state();
    expect([s.champion?.runId, ModelRegistry.previousChampion(s)?.runId]).toEqual(['run-b', 'run-a']);
    await reg.append(4, { kind: 'rollback', runId: 'run-a', previous: 'run-b', manifestKey: 'runs/run-a/manifest.json', reasons: ['manual'], actor: 'cli:test' });
    expect((await reg.state()).champion?.runId).toBe('run-a');
    expect(await ModelRegistry.list(await LocalArtifactStore.create(dir))).toEqual([['BTCUSDT', '1h']]);
  });
});

test('an append after a stale head is refused and writes nothing', async () => {
  await withTempDir(async (dir) => {
    const reg = ModelRegistry.of(await LocalArtifactStore.create(dir), 'ETHUSDT', '4h');
    await reg.append(0, promote('run-a'));
    await expect(reg.append(0, promote('run-b'))).rejects.toThrow(RegistryConflictError);
    const s = await reg.state();
    expect([s.head, s.champion?.runId]).toEqual([1, 'run-a']);
  });
});

test('a rollback that names the wrong champion is caught when the log is read', async () => {
  await withTempDir(async (dir) => {
    const reg = ModelRegistry.of(await LocalArtifactStore.create(dir), 'BTCUSDT', '1h');
    await reg.append(0, promote('run-a'));
    await reg.append(1, promote('run-b', 'run-a'));
    await reg.append(2, { kind: 'rollback', runId: 'run-x', manifestKey: 'm', reasons: [], actor: 't' });
    await expect(reg.state()).rejects.toThrow(/rollback to 'run-x', but the champion below is 'run-a'/);
  });
});

test('eight writers promoting at once (each with its own store, as separate workers would): exactly one champion, one event', async () => {
  await withTempDir(async (dir) => {
    const registries = await Promise.all(Array.from({ length: 8 }, async () => ModelRegistry.of(await LocalArtifactStore.create(dir), 'BTCUSDT', '1h')));
    const heads = await Promise.all(registries.map((r) => r.state().then((s) => s.head)));
    const outcomes = await Promise.allSettled(registries.map((r, k) => r.append(heads[k]!, promote(`run-${k}`))));
    const won = outcomes.flatMap((o, k) => (o.status === 'fulfilled' ? [k] : []));
    expect(won).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(RegistryConflictError);
    const s = await registries[0]!.state();
    expect([s.head, s.events.length, s.champion?.runId]).toEqual([1, 1, `run-${won[0]}`]);
  });
});
