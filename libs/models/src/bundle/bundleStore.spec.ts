import { LocalArtifactStore } from '@ares/data';
import { rejection, thrown, withTempDir } from '@ares/data/testing';
import type { SavedModel } from '../core/Model';
import { BundleError, MissingFeatureError } from '../errors';
import { loadBundle, saveBundle, selectTrainedColumns } from './bundleStore';
import type { ModelManifest } from './ModelManifest';

const saved: SavedModel = {
  type: 'lightgbm',
  library: { name: 'lightgbm', version: '4.6.0' },
  files: { 'model.txt': new TextEncoder().encode('tree\nversion=v4\n') },
  state: { bestIteration: 42, numClass: 3 },
};

const meta = {
  modelKey: 'lightgbm-abc123',
  type: 'lightgbm' as const,
  symbol: 'BTCUSDT',
  interval: '1h' as const,
  features: { original: ['rsi_14', 'ret_1'], processed: ['rsi_14', 'ret_1'] },
  labelMap: { '-1': 0, '0': 1, '1': 2 } as const,
  params: { learning_rate: 0.05 },
  sequenceLength: null,
  scaler: { kind: 'standard_scaler' as const, version: 1 as const, columns: ['rsi_14', 'ret_1'], mean: [50, 0], scale: [10, 0.01], variance: [100, 0.0001], count: [500, 500] },
  trainingDataHash: 'f'.repeat(64),
  metrics: { macro_f1: 0.5 },
  seed: 7,
  codeVersion: 'test',
  lineage: {},
};

async function withStore<T>(fn: (store: LocalArtifactStore) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => fn(await LocalArtifactStore.create(dir)));
}

test('save then load gives back the same files, state and manifest; the manifest is written under models/{symbol}/{interval}/{key}/', async () => {
  await withStore(async (store) => {
    const { key, manifest } = await saveBundle(store, saved, meta);
    expect(key).toBe('models/BTCUSDT/1h/lightgbm-abc123/manifest.json');
    const back = await loadBundle(store, key);
    expect(back.manifest).toEqual(manifest);
    expect(back.saved.files['model.txt']).toEqual(saved.files['model.txt']);
    expect(back.saved.state).toEqual(saved.state);
    expect(back.manifest.files.map((f) => f.name)).toEqual(['model.txt']);
  });
});

test('a missing native file is named', async () => {
  await withStore(async (store) => {
    const { key } = await saveBundle(store, saved, meta);
    await store.delete('models/BTCUSDT/1h/lightgbm-abc123/model.txt');
    const e = await rejection(loadBundle(store, key));
    expect(e).toBeInstanceOf(BundleError);
    expect(e.message).toMatch(/file 'model.txt' is missing/);
  });
});

test('a changed native file fails its sha256 check', async () => {
  await withStore(async (store) => {
    const { key } = await saveBundle(store, saved, meta);
    await store.put('models/BTCUSDT/1h/lightgbm-abc123/model.txt', 'tampered');
    expect((await rejection(loadBundle(store, key))).message).toMatch(/file 'model.txt' has changed/);
  });
});

test('a manifest of another bundle version, or missing a field, is rejected naming it', async () => {
  await withStore(async (store) => {
    const { key, manifest } = await saveBundle(store, saved, meta);
    await store.put(key, JSON.stringify({ ...manifest, bundleVersion: 2 }));
    expect((await rejection(loadBundle(store, key))).message).toMatch(/bundleVersion 2; this code reads version 1/);
    const { seed: _seed, ...withoutSeed } = manifest;
    await store.put(key, JSON.stringify(withoutSeed));
    expect((await rejection(loadBundle(store, key))).message).toMatch(/manifest field 'seed'/);
    expect((await rejection(loadBundle(store, 'models/none/manifest.json'))).message).toMatch(/not found/);
  });
});

test('input lacking a trained feature is named', () => {
  const manifest = { features: meta.features } as ModelManifest;
  expect(selectTrainedColumns(manifest, ['x', 'ret_1', 'rsi_14'])).toEqual([2, 1]);
  const e = thrown(() => selectTrainedColumns(manifest, ['ret_1']));
  expect(e).toBeInstanceOf(MissingFeatureError);
  expect(e.message).toBe("input lacks 1 feature(s) the model was trained on: 'rsi_14'");
});
