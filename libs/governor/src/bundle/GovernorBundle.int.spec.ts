import { LocalArtifactStore, type ArtifactStore } from '@ares/data';
import { rejection, withTempDir } from '@ares/data/testing';
import { argmaxRows, BundleError, MissingFeatureError, ModelStateError, type Matrix, type TrainingSet } from '@ares/models';
import { RegimeEnsemble, type MetaModelSpec } from '../ensemble/RegimeEnsemble';
import { GovernorInputError } from '../governor/errors';
import { governorFeatures } from '../governor/features';
import { GovernorModel } from '../governor/GovernorModel';
import type { BaseModelSpec } from '../stacking/outOfFold';
import { contiguousKFold, makeData, rng } from '../stacking/testing';
import { POOLED } from '../system/plan';
import { GOVERNOR_BUNDLE_VERSION, GovernorBundle, writeGovernorBundle, type GovernorBundleMetaInput } from './GovernorBundle';

jest.setTimeout(60_000);

const BASE: BaseModelSpec[] = [
  { name: 'lgbm', type: 'lightgbm', options: { numIterations: 20, numThreads: 1 } },
  { name: 'xgb', type: 'xgboost', options: { nEstimators: 20, nthread: 1 } },
];
const META: MetaModelSpec = { type: 'lightgbm', options: { numIterations: 20, numLeaves: 8, numThreads: 1 } };
const REGIMES = ['trend', 'range', 'high_vol'];
const FEATURES = ['f0', 'f1', 'f2', 'f3'];
const PREFIX = 'governors/BTCUSDT/1h/run-1';

/** Class from the tercile of feature `c`, with 30% of labels replaced by noise. */
const tercileOf = (c: number) => (x: Float32Array, u: number): number => (u < 0.3 ? Math.min(2, Math.floor(u * 10)) : x[c]! < -1 / 3 ? 0 : x[c]! < 1 / 3 ? 1 : 2);

/** Rows of a regime: 'trend' follows f0, 'range' f1, 'high_vol' f2 (the pooled ensemble learns f2). */
const LABEL_FEATURE: Record<string, number> = { trend: 0, range: 1, high_vol: 2 };

/** Rows with a random regime each; labels follow that regime's feature. Labels are class indices 0..2. */
function mixed(rows: number, seed: number): { data: TrainingSet; regime: string[] } {
  const next = rng(seed + 1000);
  const regime = Array.from({ length: rows }, () => REGIMES[Math.min(2, Math.floor(next() * 3))]!);
  let r = 0;
  const data = makeData(rows, 4, seed, (x, u) => tercileOf(LABEL_FEATURE[regime[r++]!]!)(x, u));
  return { data, regime };
}

const META_FIELDS: GovernorBundleMetaInput = {
  symbol: 'BTCUSDT',
  interval: '1h',
  regimeNames: REGIMES,
  sources: { trend: 'trend', range: 'range', high_vol: POOLED },
  fallback: [{ regime: 'high_vol', rows: 120, minRows: 300 }],
  features: { columns: FEATURES, featureSet: { name: 'test', version: 1 }, featuresKey: 'features/BTCUSDT/1h/abc.parquet', featuresSha256: 'a'.repeat(64) },
  regularization: { l2: 0 },
  params: { baseModels: BASE.map((b) => b.name) },
  metrics: { macroF1: 0.4 },
  seed: 7,
  codeVersion: 'test',
  lineage: { run: 'run-1' },
};

/** x with an extra leading column and the feature columns reversed (selection is by name). */
function shuffledColumns(x: Matrix): Matrix {
  const cols = x.cols + 1;
  const data = new Float32Array(x.rows * cols);
  for (let r = 0; r < x.rows; r++) {
    data[r * cols] = 42;
    for (let c = 0; c < x.cols; c++) data[r * cols + 1 + (x.cols - 1 - c)] = x.data[r * x.cols + c]!;
  }
  return { rows: x.rows, cols, data, columns: ['extra', ...[...x.columns].reverse()] };
}

async function withStore<T>(fn: (store: ArtifactStore, dir: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => fn(await LocalArtifactStore.create(dir), dir));
}

async function rewriteManifest(store: ArtifactStore, key: string, edit: (m: Record<string, unknown>) => void): Promise<void> {
  const m = JSON.parse(Buffer.from(await store.get(key)).toString('utf8')) as Record<string, unknown>;
  edit(m);
  await store.put(key, JSON.stringify(m));
}

describe('GovernorBundle', () => {
  let bundle: GovernorBundle;
  let ensembles: Record<string, RegimeEnsemble>;
  let governor: GovernorModel;
  const test = mixed(200, 99);
  const x = shuffledColumns(test.data.x);

  beforeAll(async () => {
    const train = async (name: string, seed: number, feature: number): Promise<RegimeEnsemble> => {
      const data = makeData(400, 4, seed, tercileOf(feature));
      return RegimeEnsemble.train(data, contiguousKFold(400, 3), { regime: name, baseModels: BASE, meta: META, seed: 7 });
    };
    ensembles = { trend: await train('trend', 1, 0), range: await train('range', 2, 1), [POOLED]: await train(POOLED, 3, 2) };
    const gov = mixed(600, 5);
    const pooled = await ensembles[POOLED]!.predictProba(gov.data.x);
    const f = governorFeatures(
      { regime: gov.regime, ensembleProba: { trend: await ensembles.trend!.predictProba(gov.data.x), range: await ensembles.range!.predictProba(gov.data.x), high_vol: pooled } },
      REGIMES,
    );
    const labels = Int32Array.from(gov.data.y, (c) => c - 1);
    governor = await GovernorModel.train(f.x, labels, { validFrom: 480, seed: 7, options: { numIterations: 40, numThreads: 1 } });
    bundle = GovernorBundle.fromParts({ ensembles, governor, manifest: META_FIELDS });
  });

  afterAll(() => bundle?.dispose());

  it('predicts per row from every regime block; each block is its source ensemble argmax (checked against predictProba)', async () => {
    const { rows, proba } = await bundle.predict(x, test.regime);
    expect(rows).toHaveLength(200);
    expect(proba).toHaveLength(600);
    expect(bundle.threshold).toBe(0.55);
    expect(bundle.regimeNames).toEqual(REGIMES);
    const own: Record<string, Int32Array> = {};
    for (const [name, e] of Object.entries(ensembles)) own[name] = argmaxRows(await e.predictProba(test.data.x));
    const sourceOf: Record<string, string> = { trend: 'trend', range: 'range', high_vol: POOLED };
    rows.forEach((row, i) => {
      expect(row.regime).toBe(test.regime[i]);
      expect(row.proba).toEqual([proba[i * 3], proba[i * 3 + 1], proba[i * 3 + 2]]);
      expect(row.confidence).toBe(Math.max(...row.proba));
      expect(Object.keys(row.ensembles)).toEqual(REGIMES);
      for (const r of REGIMES) {
        expect(row.ensembles[r]!.source).toBe(sourceOf[r]);
        expect(row.ensembles[r]!.prediction).toBe(own[sourceOf[r]!]![i]! - 1);
      }
    });
    // The governor is useful: better than chance on the planted labels.
    const hits = rows.filter((row, i) => row.prediction === test.data.y[i]! - 1).length;
    expect(hits / rows.length).toBeGreaterThan(0.45);
  });

  it('holds below the threshold; a threshold of 0.34 trades more rows', async () => {
    const def = await bundle.predict(x, test.regime);
    const low = await bundle.predict(x, test.regime, { threshold: 0.34 });
    const below = def.rows.filter((r) => r.confidence < 0.55);
    expect(below.length).toBeGreaterThan(0);
    for (const r of below) expect(r.decision).toBe('HOLD');
    for (const r of def.rows) if (r.prediction === 0) expect(r.decision).toBe('HOLD');
    for (const r of def.rows.filter((r) => r.confidence >= 0.55 && r.prediction !== 0)) expect(r.decision).toBe(r.prediction === 1 ? 'BUY' : 'SELL');
    const holds = (p: typeof def): number => p.rows.filter((r) => r.decision === 'HOLD').length;
    expect(holds(low)).toBeLessThan(holds(def));
    expect(Buffer.from(low.proba.buffer).equals(Buffer.from(def.proba.buffer))).toBe(true);
    await expect(bundle.predict(x, test.regime, { threshold: 1.5 })).rejects.toThrow(/threshold must be in \(0, 1\], got 1.5/);
  });

  it('save → load → predict is bit-identical to the in-memory bundle', async () => {
    await withStore(async (store) => {
      const written = await bundle.save(store, PREFIX);
      expect(written.key).toBe(`${PREFIX}/manifest.json`);
      expect((await store.list(PREFIX)).sort()).toEqual(
        [`${PREFIX}/ensembles/POOLED.json`, `${PREFIX}/ensembles/range.json`, `${PREFIX}/ensembles/trend.json`, `${PREFIX}/governor.json`, `${PREFIX}/manifest.json`].sort(),
      );
      expect(bundle.manifest).toEqual(written.manifest);
      expect(written.manifest.ensembles.map((e) => [e.name, e.trainRows])).toEqual([['trend', 400], ['range', 400], [POOLED, 400]]);
      const loaded = await GovernorBundle.load(store, written.key);
      try {
        expect(loaded.manifest).toEqual(written.manifest);
        const a = await bundle.predict(x, test.regime);
        const b = await loaded.predict(x, test.regime);
        expect(Buffer.from(b.proba.buffer).equals(Buffer.from(a.proba.buffer))).toBe(true);
        expect(b.rows).toEqual(a.rows);
      } finally {
        loaded.dispose();
        loaded.dispose();
      }
      await expect(loaded.predict(x, test.regime)).rejects.toThrow(ModelStateError);
    });
  });

  it('writes byte-identical files when saved twice (no timestamps)', async () => {
    await withTempDir(async (dir) => {
      const one = await LocalArtifactStore.create(`${dir}/one`);
      const two = await LocalArtifactStore.create(`${dir}/two`);
      const a = await bundle.save(one, PREFIX);
      const b = await bundle.save(two, PREFIX);
      expect(b.sha256).toBe(a.sha256);
      const keys = await one.list(PREFIX);
      expect(await two.list(PREFIX)).toEqual(keys);
      for (const key of keys) expect(Buffer.from(await two.get(key)).equals(Buffer.from(await one.get(key)))).toBe(true);
    });
  });

  it('rejects a tampered ensemble file, naming its key', async () => {
    await withStore(async (store) => {
      const { key } = await bundle.save(store, PREFIX);
      const file = `${PREFIX}/ensembles/range.json`;
      const text = Buffer.from(await store.get(file)).toString('utf8');
      await store.put(file, text.replace('"rows":400', '"rows":401'));
      const e = await rejection(GovernorBundle.load(store, key));
      expect(e).toBeInstanceOf(BundleError);
      expect(e.message).toContain(`'${file}' has changed`);
    });
  });

  it('rejects another bundleVersion, naming both versions', async () => {
    await withStore(async (store) => {
      const { key } = await bundle.save(store, PREFIX);
      await rewriteManifest(store, key, (m) => (m.bundleVersion = 2));
      const e = await rejection(GovernorBundle.load(store, key));
      expect(e).toBeInstanceOf(BundleError);
      expect(e.message).toMatch(new RegExp(`bundleVersion 2; this code reads version ${GOVERNOR_BUNDLE_VERSION}`));
    });
  });

  it('rejects a manifest whose sources name an ensemble it does not list', async () => {
    await withStore(async (store) => {
      const { key } = await bundle.save(store, PREFIX);
      await rewriteManifest(store, key, (m) => (m.ensembles = (m.ensembles as { name: string }[]).filter((e) => e.name !== 'range')));
      const e = await rejection(GovernorBundle.load(store, key));
      expect(e).toBeInstanceOf(BundleError);
      expect(e.message).toMatch(/manifest field 'sources.range': regime 'range' has source 'range', which is not among the ensembles/);
    });
  });

  it('rejects a malformed manifest naming the field, and a fallback list that does not match the POOLED sources', async () => {
    await withStore(async (store) => {
      const { key } = await bundle.save(store, PREFIX);
      await rewriteManifest(store, key, (m) => (m.threshold = 0));
      expect((await rejection(GovernorBundle.load(store, key))).message).toMatch(/manifest field 'threshold'/);
      const saved = { ensembles: Object.fromEntries(Object.entries(ensembles).map(([n, e]) => [n, e.save()])), governor: governor.save() };
      const e = await rejection(writeGovernorBundle(store, 'other', { ...saved, manifest: { ...META_FIELDS, fallback: [] } }));
      expect(e).toBeInstanceOf(BundleError);
      expect(e.message).toMatch(/'fallback'.*'high_vol' use POOLED but are not flagged/);
      expect(await store.list('other')).toEqual([]);
    });
  });

  it('runs the pooled ensemble once when several regimes fall back to it', async () => {
    // Same models, a second view: 'trend' also falls back (the governor's columns depend on the regime names only).
    // Not disposed here: the models belong to `bundle`.
    const shared = GovernorBundle.fromParts({
      ensembles,
      governor,
      manifest: { ...META_FIELDS, sources: { trend: POOLED, range: 'range', high_vol: POOLED }, fallback: [{ regime: 'trend', rows: 90, minRows: 300 }, { regime: 'high_vol', rows: 120, minRows: 300 }] },
    });
    const pooled = jest.spyOn(ensembles[POOLED]!, 'predictProba');
    const trend = jest.spyOn(ensembles.trend!, 'predictProba');
    try {
      const { rows } = await shared.predict(x, test.regime);
      expect(pooled).toHaveBeenCalledTimes(1);
      expect(trend).not.toHaveBeenCalled();
      for (const row of rows) expect(row.ensembles.trend).toEqual(row.ensembles.high_vol);
    } finally {
      pooled.mockRestore();
      trend.mockRestore();
    }
  });

  it('names a missing feature column and an unknown regime value with its row', async () => {
    const { columns } = x;
    const without: Matrix = { ...x, columns: columns.map((c) => (c === 'f2' ? 'g2' : c)) };
    const missing = await rejection(bundle.predict(without, test.regime));
    expect(missing).toBeInstanceOf(MissingFeatureError);
    expect(missing.message).toMatch(/'f2'/);
    const regime = [...test.regime];
    regime[5] = 'crash';
    const unknown = await rejection(bundle.predict(x, regime));
    expect(unknown).toBeInstanceOf(GovernorInputError);
    expect(unknown.message).toMatch(/row 5 has regime 'crash'/);
  });
});
