import { Rng } from '@ares/data';
import { z } from 'zod';
import type { TrainingSet } from '../core/Model';
import { InsufficientSamplesError, NonFiniteFeatureError } from './errors';
import { parseOptions } from './parseOptions';
import { CLASS_COUNT, classCounts, selectRows, validateTrainingSet } from './trainingSet';

/**
 * Class balancing for a training fold: random undersampling and SMOTE. Both take a TrainingSet —
 * the training rows of one fold — and nothing else, so no validation or test row can reach them
 * (DESIGN.md: samplers are fitted inside each training fold only). Both are seeded.
 */

/** What a sampler did: rows per class (indexed by class 0..2) before and after. JSON-serialisable. */
export interface SamplingReport {
  method: 'none' | 'undersample' | 'smote';
  /** The seed used (null for 'none'). */
  seed: number | null;
  before: number[];
  after: number[];
  /** Real rows removed (undersampling). */
  dropped: number;
  /** Synthetic rows appended (SMOTE). */
  synthetic: number;
  /** SMOTE only: neighbours per class actually used, min(k, class rows − 1); 0 for a class not grown. */
  neighbours?: number[];
}

export interface SamplingResult {
  /** A new TrainingSet; the input is not modified. */
  train: TrainingSet;
  report: SamplingReport;
}

/** Options of `randomUndersample`. */
export interface UndersampleOptions {
  /** Seed of the random choice of kept rows. */
  seed: number;
  /**
   * Each class keeps at most floor(ratio × minority count) rows, the minority being the smallest
   * class present. 1 balances the classes exactly.
   * @default 1
   */
  ratio?: number;
}

export const UndersampleOptionsSchema = z
  .object({
    seed: z.number().int(),
    ratio: z.number().min(1).finite().default(1),
  })
  .strict();

/** Options of `smote`. */
export interface SmoteOptions {
  /** Seed of the neighbour choice and the interpolation factor. */
  seed: number;
  /**
   * Nearest same-class neighbours to choose from (Chawla et al. use 5). A class with fewer rows
   * uses all its other rows (min(k, rows − 1), reported as `neighbours`).
   * @default 5
   */
  k?: number;
  /**
   * Rows every class is grown to; a class already at or above it is left as is.
   * @default the majority class's count
   */
  target?: number;
}

export const SmoteOptionsSchema = z
  .object({
    seed: z.number().int(),
    k: z.number().int().min(1).default(5),
    target: z.number().int().min(1).optional(),
  })
  .strict();

/**
 * Random undersampling: every class down to the minority count (× `ratio`), the kept rows of each
 * class drawn uniformly without replacement (seeded). Kept rows stay in their original
 * (chronological) order, with their weights. A class absent from `train` stays absent.
 */
export function randomUndersample(train: TrainingSet, options: UndersampleOptions): SamplingResult {
  const { seed, ratio } = parseOptions(UndersampleOptionsSchema, options, 'randomUndersample');
  validateTrainingSet(train, 'randomUndersample train');
  const before = classCounts(train.y);
  const present = before.filter((n) => n > 0);
  const cap = present.length === 0 ? 0 : Math.floor(ratio * Math.min(...present));
  const rng = new Rng(seed);
  const keep = new Uint8Array(train.y.length);
  for (let c = 0; c < CLASS_COUNT; c++) {
    const rows = rowsOfClass(train.y, c);
    if (rows.length <= cap) {
      for (const r of rows) keep[r] = 1;
    } else {
      for (const r of sampleWithoutReplacement(rows, cap, rng)) keep[r] = 1;
    }
  }
  const kept = new Int32Array(keep.reduce((n, k) => n + k, 0));
  for (let r = 0, j = 0; r < keep.length; r++) if (keep[r] === 1) kept[j++] = r;
  const out = selectRows(train, kept);
  return { train: out, report: { method: 'undersample', seed, before, after: classCounts(out.y), dropped: train.y.length - kept.length, synthetic: 0 } };
}

/**
 * SMOTE (Chawla, Bowyer, Hall & Kegelmeyer 2002, "SMOTE: Synthetic Minority Over-sampling
 * Technique", JAIR 16): each class below the target (default: the majority count) is grown with
 * synthetic rows x + u·(nn − x), where nn is one of the k nearest neighbours of x in the same
 * class (Euclidean distance on the features as given — scale them first) and u ~ U(0, 1) is one
 * draw per synthetic row, so the row lies on the segment x–nn (as in imbalanced-learn; the paper's
 * pseudo-code draws a gap per attribute, its text describes the segment).
 *
 * Which rows seed synthetic rows: as in the paper, every real row of the class seeds
 * floor(need / rows) of them; the remaining need mod rows are seeded by distinct rows drawn at
 * random. Neighbour ties are broken by the lower row index. All draws come from one Rng(seed).
 *
 * Output: the real rows unchanged and in order, then the synthetic rows (class 0's, then 1's,
 * then 2's, in the order of their seed rows), with weight 1 when `train` has weights. A class
 * absent from `train` cannot be synthesised and stays absent. Features must be finite.
 */
export function smote(train: TrainingSet, options: SmoteOptions): SamplingResult {
  const { seed, k, target } = parseOptions(SmoteOptionsSchema, options, 'smote');
  validateTrainingSet(train, 'smote train');
  requireFiniteFeatures(train);
  const before = classCounts(train.y);
  const goal = target ?? Math.max(...before);
  const rng = new Rng(seed);
  const { cols } = train.x;
  const synthetic: number[][] = [];
  const syntheticLabels: number[] = [];
  const neighbours = new Array<number>(CLASS_COUNT).fill(0);
  for (let c = 0; c < CLASS_COUNT; c++) {
    const rows = rowsOfClass(train.y, c);
    const need = goal - rows.length;
    if (need <= 0 || rows.length === 0) continue;
    if (rows.length < 2) throw new InsufficientSamplesError(`smote: class ${c} has 1 row; SMOTE needs at least 2 to interpolate between neighbours (target ${goal})`);
    const kc = Math.min(k, rows.length - 1);
    neighbours[c] = kc;
    const quota = seedQuota(rows.length, need, rng);
    for (let i = 0; i < rows.length; i++) {
      if (quota[i] === 0) continue;
      const nn = nearestNeighbours(train.x.data, cols, rows, i, kc);
      const x = rows[i]! * cols;
      for (let j = 0; j < quota[i]!; j++) {
        const other = rows[nn[Math.floor(rng.uniform() * kc)]!]! * cols;
        const u = rng.uniform();
        const row = new Array<number>(cols);
        for (let f = 0; f < cols; f++) {
          const a = train.x.data[x + f]!;
          row[f] = a + u * (train.x.data[other + f]! - a);
        }
        synthetic.push(row);
        syntheticLabels.push(c);
      }
    }
  }
  const out = appendRows(train, synthetic, syntheticLabels);
  return { train: out, report: { method: 'smote', seed, before, after: classCounts(out.y), dropped: 0, synthetic: synthetic.length, neighbours } };
}

/** The report of a fold that was not rebalanced. */
export function noSamplingReport(train: TrainingSet): SamplingReport {
  const counts = classCounts(train.y);
  return { method: 'none', seed: null, before: counts, after: [...counts], dropped: 0, synthetic: 0 };
}

function rowsOfClass(y: Int32Array, c: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r < y.length; r++) if (y[r] === c) rows.push(r);
  return rows;
}

/** `m` distinct items of `items`, by a partial Fisher–Yates shuffle. */
function sampleWithoutReplacement(items: readonly number[], m: number, rng: Rng): number[] {
  const pool = [...items];
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng.uniform() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, m);
}

/** Synthetic rows each of `n` real rows seeds: floor(need / n), plus one for need mod n random distinct rows. */
function seedQuota(n: number, need: number, rng: Rng): Int32Array {
  const quota = new Int32Array(n).fill(Math.floor(need / n));
  const positions = Array.from({ length: n }, (_, i) => i);
  for (const i of sampleWithoutReplacement(positions, need % n, rng)) quota[i]! += 1;
  return quota;
}

/** Positions (into `rows`) of the k rows nearest to rows[i], excluding itself; ties by lower position. */
function nearestNeighbours(data: Float32Array, cols: number, rows: readonly number[], i: number, k: number): Int32Array {
  const best = new Int32Array(k).fill(-1);
  const bestDist = new Float64Array(k).fill(Infinity);
  const x = rows[i]! * cols;
  for (let j = 0; j < rows.length; j++) {
    if (j === i) continue;
    const y = rows[j]! * cols;
    let d = 0;
    for (let f = 0; f < cols; f++) {
      const diff = data[x + f]! - data[y + f]!;
      d += diff * diff;
    }
    if (d >= bestDist[k - 1]!) continue; // equal distance: the earlier row (lower j) stays
    let p = k - 1;
    while (p > 0 && bestDist[p - 1]! > d) {
      bestDist[p] = bestDist[p - 1]!;
      best[p] = best[p - 1]!;
      p--;
    }
    bestDist[p] = d;
    best[p] = j;
  }
  return best;
}

function requireFiniteFeatures(train: TrainingSet): void {
  const { rows, cols, data, columns } = train.x;
  for (let c = 0; c < cols; c++) {
    let bad = 0;
    let first = -1;
    for (let r = 0; r < rows; r++) {
      if (!Number.isFinite(data[r * cols + c]!)) {
        if (bad === 0) first = r;
        bad++;
      }
    }
    if (bad > 0) throw new NonFiniteFeatureError(`smote: column '${columns[c]}' has ${bad} NaN/Inf values (first at row ${first}); neighbour distances need finite features — impute before SMOTE`);
  }
}

function appendRows(train: TrainingSet, rows: readonly number[][], labels: readonly number[]): TrainingSet {
  const { cols } = train.x;
  const n = train.x.rows + rows.length;
  const data = new Float32Array(n * cols);
  data.set(train.x.data);
  rows.forEach((row, i) => data.set(row, (train.x.rows + i) * cols));
  const y = new Int32Array(n);
  y.set(train.y);
  y.set(labels, train.x.rows);
  const x = { rows: n, cols, data, columns: train.x.columns };
  if (train.weight === undefined) return { x, y };
  const weight = new Float32Array(n).fill(1);
  weight.set(train.weight);
  return { x, y, weight };
}
