import { InvalidInputError } from '@ares/data';
import { createModel, type TrainingSet } from '@ares/models';
import { z } from 'zod';
import { purgedKFold } from '../splits/purgedKFold';

/**
 * Feature pruning, fitted on training rows only (DESIGN.md: every fitted transform, pruning
 * included, is fitted inside the training rows). The caller passes the training rows and their
 * label intervals; nothing else is visible to this function.
 *
 * 1. Importance: gain importance of a small model fitted on each purged k-fold training fold
 *    (rows of `train` only), each fold's gains normalised to sum 1, then averaged over folds.
 * 2. Selection: the top `keepTop` features, or the smallest set (by decreasing importance) whose
 *    cumulative importance reaches `minImportanceShare`. Zero-importance features are never kept.
 * 3. Near-duplicates: walking the selected features by decreasing importance, a feature whose
 *    |Pearson correlation| (over the given rows, pairwise-complete) with an already-kept one
 *    exceeds `correlationThreshold` is dropped as `duplicate_of:<that feature>`.
 */

const PRUNE_MODELS = ['lightgbm', 'random_forest', 'xgboost'] as const;

export const PruneFeaturesOptionsSchema = z
  .strictObject({
    /** Model whose gain importance ranks features. @default 'lightgbm' */
    model: z.enum(PRUNE_MODELS).default('lightgbm'),
    /** Options for the model (replace the defaults whole); defaults to a small fast model (80 rounds, 1 thread, 4 leaves, ≥ 100 rows a leaf). `seed` is set from `seed` unless given here. */
    modelOptions: z.record(z.string(), z.unknown()).optional(),
    nSplits: z.number().int().min(2).default(3),
    embargo: z.number().min(0).lt(1).default(0.01),
    /** Keep this many features (by importance). Not with `minImportanceShare`. */
    keepTop: z.number().int().min(1).optional(),
    /** Keep features covering this share of cumulative importance. @default 0.95 */
    minImportanceShare: z.number().gt(0).max(1).optional(),
    correlationThreshold: z.number().gt(0).max(1).default(0.95),
    seed: z.number().int().min(0).max(2 ** 31 - 8).default(42),
  })
  .refine((o) => o.keepTop === undefined || o.minImportanceShare === undefined, { message: 'give keepTop or minImportanceShare, not both' });
export type PruneFeaturesOptions = z.input<typeof PruneFeaturesOptionsSchema>;

export interface DroppedFeature {
  readonly feature: string;
  readonly reason: 'low_importance' | `duplicate_of:${string}`;
  /** Mean normalised gain importance. */
  readonly importance: number;
  /** |corr| sign included: the Pearson correlation with the kept feature (duplicates only). */
  readonly corr?: number;
}

export interface PruneResult {
  /** Kept features, by decreasing importance. */
  readonly kept: string[];
  readonly dropped: DroppedFeature[];
  /** Mean normalised gain importance per feature (sums to 1 unless no fold made a split). */
  readonly importance: Record<string, number>;
}

const DEFAULT_MODEL_OPTIONS: Record<(typeof PRUNE_MODELS)[number], Record<string, unknown>> = {
  // Shallow, well-regularised trees: a 31-leaf GBM overfits noise columns into ~2 % gain each
  // (≈ 16 % in total on 8 noise columns), which a 95 % cumulative cut would keep.
  lightgbm: { numIterations: 80, numThreads: 1, numLeaves: 4, minDataInLeaf: 100 },
  random_forest: { numIterations: 80, numThreads: 1, numLeaves: 4, minDataInLeaf: 100 },
  xgboost: { nEstimators: 80, nthread: 1 },
};

/** Prunes the columns of `train` (training rows only; row i has label interval [times[i], t1[i]]). */
export async function pruneFeatures(train: TrainingSet, times: Float64Array, t1: Float64Array, options: PruneFeaturesOptions = {}): Promise<PruneResult> {
  const parsed = PruneFeaturesOptionsSchema.safeParse(options);
  if (!parsed.success) throw new InvalidInputError(`pruneFeatures options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`);
  const o = parsed.data;
  const { x, y } = train;
  if (x.data.length !== x.rows * x.cols || x.columns.length !== x.cols) throw new InvalidInputError(`pruneFeatures: matrix is ${x.rows}×${x.cols} with ${x.data.length} values and ${x.columns.length} column names`);
  if (y.length !== x.rows || times.length !== x.rows || t1.length !== x.rows) throw new InvalidInputError(`pruneFeatures: ${x.rows} rows but ${y.length} labels, ${times.length} times, ${t1.length} t1`);

  const importance = await foldImportance(train, times, t1, o);
  const names = x.columns;
  const order = Array.from({ length: x.cols }, (_, c) => c).sort((a, b) => importance[b]! - importance[a]! || a - b);

  const selected = selectByImportance(order, importance, o.keepTop, o.minImportanceShare ?? 0.95);
  const selectedSet = new Set(selected);
  const kept: number[] = [];
  const dropped: DroppedFeature[] = [];
  for (const c of selected) {
    let dup: { of: number; corr: number } | undefined;
    for (const k of kept) {
      const r = pearson(x.data, x.rows, x.cols, c, k);
      if (Math.abs(r) > o.correlationThreshold) { dup = { of: k, corr: r }; break; }
    }
    if (dup) dropped.push({ feature: names[c]!, reason: `duplicate_of:${names[dup.of]!}`, importance: importance[c]!, corr: dup.corr });
    else kept.push(c);
  }
  for (const c of order) if (!selectedSet.has(c)) dropped.push({ feature: names[c]!, reason: 'low_importance', importance: importance[c]! });

  const record: Record<string, number> = {};
  for (const c of order) record[names[c]!] = importance[c]!;
  return { kept: kept.map((c) => names[c]!), dropped, importance: record };
}

/** Mean over purged k-fold training folds of each fold's gain importance normalised to sum 1. */
async function foldImportance(train: TrainingSet, times: Float64Array, t1: Float64Array, o: z.output<typeof PruneFeaturesOptionsSchema>): Promise<Float64Array> {
  const folds = purgedKFold(times, t1, { nSplits: o.nSplits, embargo: o.embargo });
  const modelOptions = { ...(o.modelOptions ?? DEFAULT_MODEL_OPTIONS[o.model]), seed: (o.modelOptions?.seed as number | undefined) ?? o.seed };
  const sum = new Float64Array(train.x.cols);
  let used = 0;
  for (const fold of folds) {
    if (fold.train.length === 0) continue;
    const model = await createModel(o.model, modelOptions);
    try {
      await model.fit(subsetRows(train, fold.train));
      const gain = model.featureImportance('gain');
      let total = 0;
      for (const g of gain) total += Number.isFinite(g) ? g : 0;
      if (!(total > 0)) continue; // no split in this fold: it ranks nothing
      for (let c = 0; c < sum.length; c++) sum[c]! += (Number.isFinite(gain[c]!) ? gain[c]! : 0) / total;
      used++;
    } finally {
      model.dispose();
    }
  }
  if (used > 0) for (let c = 0; c < sum.length; c++) sum[c]! /= used;
  return sum;
}

/** Rows `rows` of a training set (a copy), with their weights if any. */
export function subsetRows(set: TrainingSet, rows: Int32Array): TrainingSet {
  const { cols } = set.x;
  const data = new Float32Array(rows.length * cols);
  const y = new Int32Array(rows.length);
  const weight = set.weight ? new Float32Array(rows.length) : undefined;
  rows.forEach((r, i) => {
    data.set(set.x.data.subarray(r * cols, (r + 1) * cols), i * cols);
    y[i] = set.y[r]!;
    if (weight) weight[i] = set.weight![r]!;
  });
  return { x: { rows: rows.length, cols, data, columns: set.x.columns }, y, ...(weight ? { weight } : {}) };
}

function selectByImportance(order: number[], importance: Float64Array, keepTop: number | undefined, share: number): number[] {
  const positive = order.filter((c) => importance[c]! > 0);
  if (keepTop !== undefined) return positive.slice(0, keepTop);
  let total = 0;
  for (const c of positive) total += importance[c]!;
  const out: number[] = [];
  let cum = 0;
  for (const c of positive) {
    if (cum >= share * total * (1 - 1e-12)) break;
    out.push(c);
    cum += importance[c]!;
  }
  return out;
}

/** Pearson correlation of two columns over rows where both are finite; 0 when either is constant. */
export function pearson(data: Float32Array, rows: number, cols: number, a: number, b: number): number {
  let n = 0;
  let ma = 0;
  let mb = 0;
  for (let r = 0; r < rows; r++) {
    const u = data[r * cols + a]!;
    const v = data[r * cols + b]!;
    if (!Number.isFinite(u) || !Number.isFinite(v)) continue;
    n++;
    ma += (u - ma) / n;
    mb += (v - mb) / n;
  }
  if (n < 2) return 0;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let r = 0; r < rows; r++) {
    const u = data[r * cols + a]!;
    const v = data[r * cols + b]!;
    if (!Number.isFinite(u) || !Number.isFinite(v)) continue;
    sab += (u - ma) * (v - mb);
    saa += (u - ma) ** 2;
    sbb += (v - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}
