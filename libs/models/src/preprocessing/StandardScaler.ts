import { z } from 'zod';
import type { Matrix } from '../core/Model';
import { ColumnMismatchError, EmptyFitWindowError, InvalidScalerStateError } from './errors';
import { validateMatrix } from './trainingSet';

/** The JSON a model bundle stores for a fitted StandardScaler (`toJSON()` / `fromJSON()`). */
export const StandardScalerStateSchema = z
  .object({
    kind: z.literal('standard_scaler'),
    version: z.literal(1),
    columns: z.array(z.string()),
    /** Per-column mean over the finite training values. */
    mean: z.array(z.number()),
    /** Per-column divisor: the population std, or 1 for a (near-)constant column. */
    scale: z.array(z.number().positive()),
    /** Per-column population variance over the finite training values. */
    variance: z.array(z.number().nonnegative()),
    /** Per-column count of finite training values the statistics were computed from. */
    count: z.array(z.number().int().positive()),
  })
  .strict()
  .refine((s) => [s.mean, s.scale, s.variance, s.count].every((a) => a.length === s.columns.length), { message: 'mean, scale, variance and count must have one entry per column' });

export type StandardScalerState = z.output<typeof StandardScalerStateSchema>;

/**
 * Standardises each column to zero mean and unit variance: (x − mean) / std, where mean and the
 * POPULATION std (divisor n, not n − 1) come from the fit window only — scikit-learn's
 * `StandardScaler` (with_mean, with_std) conventions:
 *
 * - statistics are computed over each column's finite values (NaN and ±Inf are skipped, as
 *   sklearn skips NaN), with float64 accumulators and the corrected two-pass variance of
 *   Chan, Golub & LeVeque (1983), as in sklearn's `_incremental_mean_and_var`;
 * - a column whose variance is indistinguishable from 0 (sklearn's `_is_constant_feature`:
 *   var ≤ n·ε·var + (n·mean·ε)²) gets scale 1, so it is centred but not blown up;
 * - `transform` keeps NaN as NaN and ±Inf as ±Inf; it returns a new Float32 matrix.
 *
 * A column with no finite value in the fit window is an error (its mean is undefined).
 *
 * ```ts
 * const scaler = StandardScaler.fit(train.x); // training rows of the fold only
 * const validX = scaler.transform(valid.x);
 * bundle.state.scaler = scaler.toJSON();
 * ```
 */
export class StandardScaler {
  private constructor(
    /** Column names the scaler was fitted on; transform requires the same names in the same order. */
    readonly columns: readonly string[],
    /** Per-column mean (treat as read-only). */
    readonly mean: Float64Array,
    /** Per-column divisor: population std, or 1 for a constant column (treat as read-only). */
    readonly scale: Float64Array,
    /** Per-column population variance (treat as read-only). */
    readonly variance: Float64Array,
    /** Per-column count of finite values used (treat as read-only). */
    readonly count: Float64Array,
  ) {}

  /** Fits on `x`, which must be the training rows only (the fit window). */
  static fit(x: Matrix): StandardScaler {
    validateMatrix(x, 'StandardScaler.fit');
    const { rows, cols, data } = x;
    if (rows === 0) throw new EmptyFitWindowError('StandardScaler.fit: the fit window has no rows');
    const mean = new Float64Array(cols);
    const variance = new Float64Array(cols);
    const scale = new Float64Array(cols);
    const count = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      let n = 0;
      for (let r = 0; r < rows; r++) {
        const v = data[r * cols + c]!;
        if (Number.isFinite(v)) {
          sum += v;
          n++;
        }
      }
      if (n === 0) throw new EmptyFitWindowError(`StandardScaler.fit: column '${x.columns[c]}' has no finite value in the ${rows} rows of the fit window`);
      const m = sum / n;
      // Corrected two-pass variance: Σ(x − m)² − (Σ(x − m))² / n removes the rounding error of m.
      let sq = 0;
      let correction = 0;
      for (let r = 0; r < rows; r++) {
        const v = data[r * cols + c]!;
        if (Number.isFinite(v)) {
          const d = v - m;
          sq += d * d;
          correction += d;
        }
      }
      const v = Math.max(0, (sq - (correction * correction) / n) / n);
      mean[c] = m;
      variance[c] = v;
      count[c] = n;
      scale[c] = isConstantFeature(v, m, n) ? 1 : Math.sqrt(v);
    }
    return new StandardScaler([...x.columns], mean, scale, variance, count);
  }

  /** Restores a scaler saved with `toJSON()`; throws InvalidScalerStateError on a malformed state. */
  static fromJSON(state: unknown): StandardScaler {
    const parsed = StandardScalerStateSchema.safeParse(state);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InvalidScalerStateError(`StandardScaler.fromJSON: ${issue.path.length > 0 ? `'${issue.path.join('.')}': ` : ''}${issue.message}`);
    }
    const s = parsed.data;
    return new StandardScaler(s.columns, Float64Array.from(s.mean), Float64Array.from(s.scale), Float64Array.from(s.variance), Float64Array.from(s.count));
  }

  /** Scales any rows (training, validation, test, live) with the statistics of the fit window. */
  transform(x: Matrix): Matrix {
    validateMatrix(x, 'StandardScaler.transform');
    this.checkColumns(x.columns);
    const { rows, cols, data } = x;
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        out[i] = (data[i]! - this.mean[c]!) / this.scale[c]!;
      }
    }
    return { rows, cols, data: out, columns: x.columns };
  }

  toJSON(): StandardScalerState {
    return {
      kind: 'standard_scaler',
      version: 1,
      columns: [...this.columns],
      mean: Array.from(this.mean),
      scale: Array.from(this.scale),
      variance: Array.from(this.variance),
      count: Array.from(this.count),
    };
  }

  private checkColumns(columns: readonly string[]): void {
    if (columns.length !== this.columns.length) {
      throw new ColumnMismatchError(`StandardScaler.transform: matrix has ${columns.length} columns, the scaler was fitted on ${this.columns.length} (${this.columns.join(', ')})`);
    }
    for (let c = 0; c < columns.length; c++) {
      if (columns[c] !== this.columns[c]) throw new ColumnMismatchError(`StandardScaler.transform: column ${c} is '${columns[c]}', the scaler was fitted on '${this.columns[c]}' there`);
    }
  }
}

/**
 * sklearn.preprocessing._data._is_constant_feature: the variance is within the error bound of the
 * two-pass algorithm (Chan, Golub & LeVeque), so the column is treated as constant.
 */
function isConstantFeature(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  return variance <= n * eps * variance + (n * mean * eps) ** 2;
}
