import { ArtifactNotFoundError, joinKey, sha256Hex, type ArtifactStore } from '@ares/data';
import { BundleError, MissingFeatureError, ModelStateError, type Matrix } from '@ares/models';
import { z } from 'zod';
import { POOLED } from '../system/plan';
import { RegimeEnsemble, type SavedRegimeEnsemble } from '../ensemble/RegimeEnsemble';
import { GovernorInputError } from '../governor/errors';
import { governorFeatures } from '../governor/features';
import { DEFAULT_DECISION_THRESHOLD, GOVERNOR_LABELS, GovernorModel, type GovernorDecision, type SavedGovernor } from '../governor/GovernorModel';

const K = 3;

/** Version of the governor bundle layout this code writes and reads. */
export const GOVERNOR_BUNDLE_VERSION = 1;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex sha256');
const JsonRecord = z.record(z.string(), z.unknown());
const Threshold = z.number().gt(0).lte(1);

/** Fields the caller chooses (everything but the kind, version and file references). */
const metaShape = {
  symbol: z.string().min(1),
  interval: z.string().min(1),
  /** Regime names, in the governor's one-hot (and per-ensemble block) order. */
  regimeNames: z.array(z.string().min(1)).min(1),
  /** Regime name → the ensemble whose output fills that regime's block: the regime itself or POOLED. */
  sources: z.record(z.string(), z.string().min(1)),
  /** Regimes served by the pooled ensemble because they had too few rows (`rows` < `minRows`). */
  fallback: z.array(z.object({ regime: z.string().min(1), rows: z.number().int().min(0), minRows: z.number().int().min(1) }).strict()),
  features: z
    .object({
      /** Feature columns every prediction input must contain (by name; extra columns are allowed). */
      columns: z.array(z.string().min(1)).min(1),
      featureSet: z.unknown(),
      featuresKey: z.string().min(1),
      featuresSha256: Sha256,
    })
    .strict(),
  /** Default decision threshold of `predict`. */
  threshold: Threshold,
  regularization: JsonRecord,
  params: JsonRecord,
  metrics: JsonRecord,
  seed: z.number().int(),
  codeVersion: z.string().min(1),
  lineage: JsonRecord,
};

const FileRefSchema = z.object({ key: z.string().min(1), sha256: Sha256, size: z.number().int().min(0) }).strict();

/** manifest.json of a governor bundle: every ensemble file, the governor file and how they fit together. */
export const GovernorBundleManifestSchema = z
  .object({
    kind: z.literal('governor_bundle'),
    bundleVersion: z.literal(GOVERNOR_BUNDLE_VERSION),
    ...metaShape,
    ensembles: z.array(FileRefSchema.extend({ name: z.string().min(1), trainRows: z.number().int().min(0) }).strict()).min(1),
    governor: FileRefSchema,
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const issue of crossReferenceIssues(m, m.ensembles.map((e) => e.name))) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
export type GovernorBundleManifest = z.output<typeof GovernorBundleManifestSchema>;

/** The caller's part of a manifest (`threshold` defaults to DEFAULT_DECISION_THRESHOLD). */
export const GovernorBundleMetaSchema = z.object({ ...metaShape, threshold: Threshold.default(DEFAULT_DECISION_THRESHOLD) }).strict();
export type GovernorBundleMeta = z.output<typeof GovernorBundleMetaSchema>;
export type GovernorBundleMetaInput = z.input<typeof GovernorBundleMetaSchema>;

/** Saved models plus manifest fields: what `writeGovernorBundle` stores. */
export interface GovernorBundleParts {
  /** Ensemble name (a regime name or POOLED) → `RegimeEnsemble.save()` output. */
  readonly ensembles: Readonly<Record<string, SavedRegimeEnsemble>>;
  readonly governor: SavedGovernor;
  readonly manifest: GovernorBundleMetaInput;
}

/** Live models plus manifest fields: what `GovernorBundle.fromParts` takes (the bundle then owns the models). */
export interface GovernorBundleLiveParts {
  readonly ensembles: Readonly<Record<string, RegimeEnsemble>>;
  readonly governor: GovernorModel;
  readonly manifest: GovernorBundleMetaInput;
}

/** Where `writeGovernorBundle` put the manifest, its sha256 and the manifest written. */
export interface WrittenGovernorBundle {
  readonly key: string;
  readonly sha256: string;
  readonly manifest: GovernorBundleManifest;
}

export type TradingLabel = -1 | 0 | 1;

/** One row of `GovernorBundle.predict`. */
export interface GovernorRowPrediction {
  readonly decision: GovernorDecision;
  /** Trading label of the governor's argmax class. */
  readonly prediction: TradingLabel;
  /** The governor's max probability. */
  readonly confidence: number;
  /** The governor's [p_down, p_flat, p_up]. */
  readonly proba: [number, number, number];
  /** The row's primary regime (as given). */
  readonly regime: string;
  /** Per regime name: its source ensemble and that ensemble's argmax label and max probability on this row. */
  readonly ensembles: Readonly<Record<string, { readonly source: string; readonly prediction: TradingLabel; readonly confidence: number }>>;
}

export interface GovernorBundlePrediction {
  readonly rows: GovernorRowPrediction[];
  /** The governor's probabilities, rows × 3 row-major. */
  readonly proba: Float64Array;
}

export interface GovernorBundlePredictOptions {
  /** Decision threshold in (0, 1]; @default the manifest's `threshold`. */
  threshold?: number;
}

/**
 * Writes a governor bundle under `prefix`: `ensembles/{name}.json` and `governor.json`
 * (`JSON.stringify` of the saved objects), then `manifest.json` LAST, so a bundle without a
 * manifest is an incomplete one. Nothing written holds a timestamp: the same parts give
 * byte-identical files. Inconsistent parts (a source naming no ensemble, a fallback list that
 * does not match the POOLED sources, governor columns that are not the bundle's) are a BundleError
 * before anything is written.
 */
export async function writeGovernorBundle(store: ArtifactStore, prefix: string, parts: GovernorBundleParts): Promise<WrittenGovernorBundle> {
  const where = `writeGovernorBundle('${prefix}')`;
  const meta = parseMeta(where, parts.manifest, Object.keys(parts.ensembles));
  checkModels(
    where,
    meta,
    Object.entries(parts.ensembles).map(([name, saved]) => ({ name, regime: saved.manifest.regime, columns: saved.manifest.columns })),
    parts.governor.manifest.columns,
  );
  const ensembles: GovernorBundleManifest['ensembles'] = [];
  for (const [name, saved] of Object.entries(parts.ensembles)) {
    const info = await store.put(joinKey(prefix, 'ensembles', `${name}.json`), JSON.stringify(saved));
    ensembles.push({ name, key: info.key, sha256: info.sha256, size: info.size, trainRows: saved.manifest.report.rows });
  }
  const governor = await store.put(joinKey(prefix, 'governor.json'), JSON.stringify(parts.governor));
  const parsed = GovernorBundleManifestSchema.safeParse({
    kind: 'governor_bundle',
    bundleVersion: GOVERNOR_BUNDLE_VERSION,
    ...meta,
    ensembles,
    governor: { key: governor.key, sha256: governor.sha256, size: governor.size },
  });
  if (!parsed.success) throw issueError(where, parsed.error);
  const manifest = parsed.data;
  const info = await store.put(joinKey(prefix, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { key: info.key, sha256: info.sha256, manifest };
}

/**
 * The whole governor as one versioned bundle: one RegimeEnsemble per regime (or the POOLED fallback
 * for regimes with too few rows) and the GovernorModel over their outputs. `predict` runs each
 * ensemble once, builds `governorFeatures` with one block per regime name (filled by that regime's
 * source ensemble) and lets the governor decide. In-memory (`fromParts`) and loaded bundles share
 * this code, so their predictions are bit-identical.
 *
 * ```ts
 * const bundle = GovernorBundle.fromParts({ ensembles: { trend_up: ens, POOLED: pooled }, governor: gov, manifest: meta });
 * const { key } = await bundle.save(store, 'governors/BTCUSDT/1h/run-42');
 * const live = await GovernorBundle.load(store, key);
 * const { rows } = await live.predict(x, regimes);          // rows[i].decision: 'BUY' | 'SELL' | 'HOLD'
 * live.dispose();
 * ```
 */
export class GovernorBundle {
  private disposed = false;

  private constructor(
    private readonly meta: GovernorBundleMeta,
    private readonly ensembles: ReadonlyMap<string, RegimeEnsemble>,
    private readonly governor: GovernorModel,
    private savedManifest: GovernorBundleManifest | undefined,
  ) {}

  /**
   * Wraps live models (no copies: the bundle owns them and `dispose()` frees them). BundleError when
   * the manifest fields and the models do not fit together.
   */
  static fromParts(parts: GovernorBundleLiveParts): GovernorBundle {
    const where = 'GovernorBundle.fromParts';
    const meta = parseMeta(where, parts.manifest, Object.keys(parts.ensembles));
    checkModels(
      where,
      meta,
      Object.entries(parts.ensembles).map(([name, e]) => ({ name, regime: e.regime, columns: e.columns })),
      parts.governor.columns,
    );
    return new GovernorBundle(meta, new Map(Object.entries(parts.ensembles)), parts.governor, undefined);
  }

  /**
   * Loads a bundle written by `writeGovernorBundle`: validates the manifest (bundleVersion first),
   * checks every file's sha256, then loads the models. BundleError naming the manifest field or
   * file key at fault; models loaded before a failure are disposed.
   */
  static async load(store: ArtifactStore, manifestKey: string): Promise<GovernorBundle> {
    const where = `governor bundle '${manifestKey}'`;
    const raw = await readJson(store, manifestKey, `${where}: manifest`);
    const version = (raw as { bundleVersion?: unknown } | null)?.bundleVersion;
    if (version !== GOVERNOR_BUNDLE_VERSION) throw new BundleError(`${where} has bundleVersion ${JSON.stringify(version)}; this code reads version ${GOVERNOR_BUNDLE_VERSION}`);
    const parsed = GovernorBundleManifestSchema.safeParse(raw);
    if (!parsed.success) throw issueError(where, parsed.error);
    const manifest = parsed.data;
    const { kind: _kind, bundleVersion: _version, ensembles: refs, governor: governorRef, ...meta } = manifest;

    const ensembles = new Map<string, RegimeEnsemble>();
    let governor: GovernorModel | undefined;
    try {
      for (const ref of refs) ensembles.set(ref.name, await loadFile(store, where, ref, (saved) => RegimeEnsemble.load(saved)));
      governor = await loadFile(store, where, governorRef, (saved) => GovernorModel.load(saved));
      checkModels(
        where,
        meta,
        [...ensembles].map(([name, e]) => ({ name, regime: e.regime, columns: e.columns })),
        governor.columns,
      );
      return new GovernorBundle(meta, ensembles, governor, manifest);
    } catch (error) {
      for (const e of ensembles.values()) e.dispose();
      governor?.dispose();
      throw error;
    }
  }

  /** The manifest, once the bundle was loaded or saved; undefined for an unsaved `fromParts` bundle. */
  get manifest(): GovernorBundleManifest | undefined {
    return this.savedManifest;
  }

  /** Regime names in governor one-hot order. */
  get regimeNames(): readonly string[] {
    return this.meta.regimeNames;
  }

  /** Regime name → source ensemble name. */
  get sources(): Readonly<Record<string, string>> {
    return this.meta.sources;
  }

  /** Default decision threshold of `predict`. */
  get threshold(): number {
    return this.meta.threshold;
  }

  /** Feature columns a prediction input must contain. */
  get featureColumns(): readonly string[] {
    return this.meta.features.columns;
  }

  /** Writes the bundle under `prefix` (see `writeGovernorBundle`); afterwards `manifest` is the one written. */
  async save(store: ArtifactStore, prefix: string): Promise<WrittenGovernorBundle> {
    this.assertLive('save');
    const ensembles: Record<string, SavedRegimeEnsemble> = {};
    for (const [name, e] of this.ensembles) ensembles[name] = e.save();
    const written = await writeGovernorBundle(store, prefix, { ensembles, governor: this.governor.save(), manifest: this.meta });
    this.savedManifest = written.manifest;
    return written;
  }

  /**
   * Decisions for every row of `x` (feature columns selected by name; extra ones are ignored)
   * whose primary regime is `regime[i]`. Below `threshold` (default: the manifest's) a row is HOLD.
   */
  async predict(x: Matrix, regime: readonly string[], options: GovernorBundlePredictOptions = {}): Promise<GovernorBundlePrediction> {
    this.assertLive('predict');
    const threshold = options.threshold ?? this.meta.threshold;
    if (!Threshold.safeParse(threshold).success) throw new GovernorInputError(`GovernorBundle.predict: threshold must be in (0, 1], got ${threshold}`);
    this.checkInput(x, regime);

    const sourceProba = new Map<string, Float64Array>();
    for (const name of this.meta.regimeNames) {
      const source = this.meta.sources[name]!;
      if (!sourceProba.has(source)) sourceProba.set(source, await this.ensembles.get(source)!.predictProba(x));
    }
    const ensembleProba: Record<string, Float64Array> = {};
    for (const name of this.meta.regimeNames) ensembleProba[name] = sourceProba.get(this.meta.sources[name]!)!;
    const features = governorFeatures({ regime, ensembleProba }, this.meta.regimeNames);
    if (features.excluded.length > 0) {
      const first = [...features.excluded.subarray(0, 5)].join(', ');
      throw new GovernorInputError(`GovernorBundle.predict: ensembles gave non-finite probabilities for ${features.excluded.length} of ${x.rows} rows (first: ${first})`);
    }
    this.assertLive('predict');
    const gov = await this.governor.predict(features.x, threshold);

    const rows: GovernorRowPrediction[] = [];
    for (let r = 0; r < x.rows; r++) {
      const ensembles: Record<string, { source: string; prediction: TradingLabel; confidence: number }> = {};
      for (const name of this.meta.regimeNames) ensembles[name] = { source: this.meta.sources[name]!, ...argmaxRow(ensembleProba[name]!, r) };
      rows.push({
        decision: gov.decision[r]!,
        prediction: gov.prediction[r]! as TradingLabel,
        confidence: gov.confidence[r]!,
        proba: [gov.proba[r * K]!, gov.proba[r * K + 1]!, gov.proba[r * K + 2]!],
        regime: regime[r]!,
        ensembles,
      });
    }
    return { rows, proba: gov.proba };
  }

  /** Frees every ensemble and the governor. Idempotent; predict/save afterwards throw ModelStateError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const e of this.ensembles.values()) e.dispose();
    this.governor.dispose();
  }

  private checkInput(x: Matrix, regime: readonly string[]): void {
    if (regime.length !== x.rows) throw new GovernorInputError(`GovernorBundle.predict: ${regime.length} regime values for ${x.rows} rows`);
    const have = new Set(x.columns);
    const missing = this.meta.features.columns.filter((c) => !have.has(c));
    if (missing.length > 0) {
      throw new MissingFeatureError(`GovernorBundle.predict: input lacks ${missing.length} feature column(s): ${missing.slice(0, 10).map((c) => `'${c}'`).join(', ')}${missing.length > 10 ? ', …' : ''}`);
    }
    const known = new Set(this.meta.regimeNames);
    regime.forEach((value, i) => {
      if (!known.has(value)) throw new GovernorInputError(`GovernorBundle.predict: row ${i} has regime '${value}', not one of ${this.meta.regimeNames.join(', ')}`);
    });
  }

  private assertLive(what: string): void {
    if (this.disposed) throw new ModelStateError(`GovernorBundle: ${what} after dispose()`);
  }
}

/** Argmax class (ties to the lower one, as governorFeatures) as a trading label, and its probability. */
function argmaxRow(proba: Float64Array, r: number): { prediction: TradingLabel; confidence: number } {
  let best = 0;
  for (let c = 1; c < K; c++) if (proba[r * K + c]! > proba[r * K + best]!) best = c;
  return { prediction: GOVERNOR_LABELS[best]!, confidence: proba[r * K + best]! };
}

interface Issue {
  path: (string | number)[];
  message: string;
}

/**
 * How the regime names, sources, fallback list and ensemble names must fit together: regime names
 * unique and not POOLED; exactly one source per regime, either the regime's own ensemble or POOLED, naming an
 * existing ensemble; the fallback list holds exactly the regimes whose source is POOLED.
 */
function crossReferenceIssues(m: Pick<GovernorBundleMeta, 'regimeNames' | 'sources' | 'fallback'>, ensembleNames: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  const regimes = new Set<string>();
  m.regimeNames.forEach((r, i) => {
    if (regimes.has(r)) issues.push({ path: ['regimeNames', i], message: `regime '${r}' is listed twice` });
    if (r === POOLED) issues.push({ path: ['regimeNames', i], message: `'${POOLED}' is reserved for the pooled fallback ensemble and cannot be a regime name` });
    regimes.add(r);
  });
  const names = new Set<string>();
  ensembleNames.forEach((n, i) => {
    if (names.has(n)) issues.push({ path: ['ensembles', i, 'name'], message: `ensemble '${n}' is listed twice` });
    names.add(n);
  });
  for (const r of regimes) {
    const source = m.sources[r];
    if (source === undefined) issues.push({ path: ['sources', r], message: `regime '${r}' has no source ensemble` });
    else if (source !== r && source !== POOLED) issues.push({ path: ['sources', r], message: `regime '${r}' has source '${source}'; a source is the regime's own ensemble '${r}' or '${POOLED}'` });
    else if (!names.has(source)) issues.push({ path: ['sources', r], message: `regime '${r}' has source '${source}', which is not among the ensembles (${[...names].join(', ')})` });
  }
  for (const r of Object.keys(m.sources)) if (!regimes.has(r)) issues.push({ path: ['sources', r], message: `source given for '${r}', which is not in regimeNames` });
  const pooled = [...regimes].filter((r) => m.sources[r] === POOLED);
  const flagged = m.fallback.map((f) => f.regime);
  const missing = pooled.filter((r) => !flagged.includes(r));
  if (missing.length > 0) issues.push({ path: ['fallback'], message: `regime(s) ${missing.map((r) => `'${r}'`).join(', ')} use ${POOLED} but are not flagged in fallback` });
  flagged.forEach((r, i) => {
    if (flagged.indexOf(r) !== i) issues.push({ path: ['fallback', i, 'regime'], message: `regime '${r}' is flagged twice` });
    else if (m.sources[r] !== POOLED) issues.push({ path: ['fallback', i, 'regime'], message: `regime '${r}' is flagged as fallback but its source is '${m.sources[r] ?? '(none)'}', not '${POOLED}'` });
  });
  return issues;
}

function parseMeta(where: string, input: unknown, ensembleNames: readonly string[]): GovernorBundleMeta {
  const parsed = GovernorBundleMetaSchema.safeParse(input);
  if (!parsed.success) throw issueError(where, parsed.error);
  const issue = crossReferenceIssues(parsed.data, ensembleNames)[0];
  if (issue !== undefined) throw new BundleError(`${where}: manifest field '${issue.path.join('.')}': ${issue.message}`);
  return parsed.data;
}

function issueError(where: string, error: z.ZodError): BundleError {
  const issue = error.issues[0]!;
  return new BundleError(`${where}: manifest field '${issue.path.join('.')}': ${issue.message}`);
}

/**
 * Models and manifest agree: each ensemble was trained for its name (regime or POOLED), reads only
 * columns of `features.columns`, and the governor's columns are governorFeatures' for regimeNames.
 */
function checkModels(
  where: string,
  meta: GovernorBundleMeta,
  ensembles: readonly { name: string; regime: string; columns: readonly string[] }[],
  governorColumns: readonly string[],
): void {
  const features = new Set(meta.features.columns);
  for (const e of ensembles) {
    if (e.regime !== e.name) throw new BundleError(`${where}: ensemble '${e.name}' was trained for regime '${e.regime}'`);
    const unknown = e.columns.filter((c) => !features.has(c));
    if (unknown.length > 0) throw new BundleError(`${where}: ensemble '${e.name}' reads column(s) ${unknown.map((c) => `'${c}'`).join(', ')} missing from features.columns`);
  }
  const expected = governorColumnsFor(meta.regimeNames);
  if (governorColumns.length !== expected.length || governorColumns.some((c, i) => c !== expected[i])) {
    throw new BundleError(`${where}: governor columns [${governorColumns.join(', ')}] are not the governor features of regimes [${meta.regimeNames.join(', ')}] ([${expected.join(', ')}])`);
  }
}

/** The columns governorFeatures builds for these regime names (one ensemble block per regime). */
function governorColumnsFor(regimeNames: readonly string[]): readonly string[] {
  const empty = Object.fromEntries(regimeNames.map((r) => [r, new Float64Array(0)]));
  return governorFeatures({ regime: [], ensembleProba: empty }, regimeNames).x.columns;
}

async function readJson(store: ArtifactStore, key: string, what: string): Promise<unknown> {
  const bytes = await readBytes(store, key, what);
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch (err) {
    throw new BundleError(`${what} '${key}' is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

async function readBytes(store: ArtifactStore, key: string, what: string): Promise<Uint8Array> {
  try {
    return await store.get(key);
  } catch (err) {
    if (err instanceof ArtifactNotFoundError) throw new BundleError(`${what} '${key}' not found in ${store.url}`, { cause: err });
    throw err;
  }
}

/** Fetches a bundle file, checks its sha256 and loads it; errors name the file key. */
async function loadFile<T>(store: ArtifactStore, where: string, ref: { key: string; sha256: string }, load: (saved: unknown) => Promise<T>): Promise<T> {
  const what = `${where}: file`;
  const bytes = await readBytes(store, ref.key, what);
  const actual = sha256Hex(bytes);
  if (actual !== ref.sha256) throw new BundleError(`${what} '${ref.key}' has changed (sha256 ${actual.slice(0, 12)}… ≠ ${ref.sha256.slice(0, 12)}… in the manifest)`);
  let saved: unknown;
  try {
    saved = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch (err) {
    throw new BundleError(`${what} '${ref.key}' is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  try {
    return await load(saved);
  } catch (err) {
    if (err instanceof BundleError) throw new BundleError(`${what} '${ref.key}': ${err.message}`, { cause: err });
    throw err;
  }
}
