/**
 * A seeded synthetic market whose signal depends on the regime, for the governor's acceptance
 * tests, and the pipeline's split and purged folds over it (as `governorActivities.load()` and
 * `trainEnsembleUnit` build them).
 *
 * Rows are bars 1 h apart. The regime follows a persistent Markov chain over REGIME_NAMES (it stays
 * with probability `persistence`, else jumps to one of the other regimes uniformly), so regimes
 * come in runs of ~1/(1 − persistence) bars and each gets ~1/5 of the rows. Features are i.i.d.
 * standard normal; the regime is NOT a feature (the pipeline excludes it from the model columns).
 *
 * Each regime has its own rule, sign · feature: REGIME_RULES pairs regimes on the SAME feature with
 * OPPOSITE signs (BULL_TREND +f0 / BEAR_TREND −f0, SIDEWAYS_RANGE +f1 / SR_ZONE_ACTION −f1) and
 * gives HIGH_IMPACT_CANDLE +f2. A model that ignores the regime sees f0 and f1 push both ways and
 * can only use f2 (one row in five); an ensemble trained on one regime is right in its regime,
 * wrong in its mirror regime and blind elsewhere; a governor that routes by regime can be right
 * everywhere.
 *
 * Label of row i: z = signal · rule(x_i) + noise · e_i with e_i i.i.d. N(0, 1), so z ~ N(0, signal²
 * + noise²), and class = down / flat / up by z below −q, between, above q with q = 0.4307·sd(z) (the
 * normal tercile: balanced classes). Each label is stamped as resolving h bars later (t1 = times +
 * h bars), so the purged split and folds drop rows around every boundary as they do on real
 * triple-barrier labels; the noise is kept independent per row so that the tests' standard errors
 * are the textbook i.i.d. ones (overlapping shocks would inflate them by up to a factor √h). With
 * `signal: 0` the labels are independent of the features, of the regime and of each other.
 */
import { Rng } from '@ares/data';
import { REGIME_NAMES } from '@ares/features';
import type { TrainingSet } from '@ares/models';
import { chronologicalSplit, purgedKFold } from '@ares/validation';

const HOUR_MS = 3_600_000;
/** Upper tercile of the standard normal: Φ⁻¹(2/3). */
const TERCILE = 0.430727299295;

/** Per regime: the feature its label follows, and the sign. */
export const REGIME_RULES: Readonly<Record<string, { readonly feature: number; readonly sign: 1 | -1 }>> = {
  BULL_TREND: { feature: 0, sign: 1 },
  BEAR_TREND: { feature: 0, sign: -1 },
  SIDEWAYS_RANGE: { feature: 1, sign: 1 },
  SR_ZONE_ACTION: { feature: 1, sign: -1 },
  HIGH_IMPACT_CANDLE: { feature: 2, sign: 1 },
};

export interface RegimeMarketOptions {
  /** Rows (bars). @default 4000 */
  readonly rows?: number;
  /** i.i.d. N(0, 1) feature columns f0..f{n−1} (at least 3: the rules use f0..f2). @default 8 */
  readonly features?: number;
  /** Weight of the regime's rule in z; 0 gives labels independent of everything. @default 1 */
  readonly signal?: number;
  /** Weight of the i.i.d. N(0, 1) noise in z. @default 0.5 */
  readonly noise?: number;
  /** Label horizon in bars (t1 = time + horizon bars). @default 4 */
  readonly horizon?: number;
  /** Probability that the regime stays the same from one bar to the next. @default 0.97 */
  readonly persistence?: number;
  readonly seed: number;
  /** First bar's time (ms since epoch). @default 2024-01-01T00:00Z */
  readonly start?: number;
}

export interface RegimeMarket {
  /** Features f0.. and class labels 0..2 (down, flat, up), rows in time order. */
  readonly data: TrainingSet;
  /** Regime name of every row. */
  readonly regime: string[];
  /** Bar time of every row (ms). */
  readonly times: Float64Array;
  /** Label end time of every row (ms): times + horizon bars. */
  readonly t1: Float64Array;
}

/** Generates the market; see the module comment for the model. */
export function regimeMarket(options: RegimeMarketOptions): RegimeMarket {
  const rows = options.rows ?? 4000;
  const cols = options.features ?? 8;
  const signal = options.signal ?? 1;
  const noise = options.noise ?? 0.5;
  const h = options.horizon ?? 4;
  const persistence = options.persistence ?? 0.97;
  const start = options.start ?? Date.UTC(2024, 0, 1);
  if (!(Number.isInteger(rows) && rows > 0)) throw new RangeError(`regimeMarket: rows must be a positive integer, got ${rows}`);
  if (!(Number.isInteger(cols) && cols >= 3)) throw new RangeError(`regimeMarket: features must be an integer >= 3 (the rules use f0..f2), got ${cols}`);
  if (!(Number.isInteger(h) && h >= 1)) throw new RangeError(`regimeMarket: horizon must be a positive integer, got ${h}`);
  if (!(persistence >= 0 && persistence < 1)) throw new RangeError(`regimeMarket: persistence must be in [0, 1), got ${persistence}`);
  if (!(noise > 0 || signal !== 0)) throw new RangeError('regimeMarket: signal and noise are both 0; z would be constant');

  const rng = new Rng(options.seed);
  const names = [...REGIME_NAMES];
  const regime: string[] = [];
  let current = Math.floor(rng.uniform() * names.length);
  for (let i = 0; i < rows; i++) {
    if (i > 0 && rng.uniform() >= persistence) current = (current + 1 + Math.floor(rng.uniform() * (names.length - 1))) % names.length;
    regime.push(names[current]!);
  }
  const x = new Float32Array(rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();

  const q = TERCILE * Math.sqrt(signal * signal + noise * noise);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const rule = REGIME_RULES[regime[i]!]!;
    const z = signal * rule.sign * x[i * cols + rule.feature]! + noise * rng.normal();
    y[i] = z < -q ? 0 : z > q ? 2 : 1;
  }
  const times = Float64Array.from({ length: rows }, (_, i) => start + i * HOUR_MS);
  const t1 = times.map((t) => t + h * HOUR_MS);
  const columns = Array.from({ length: cols }, (_, c) => `f${c}`);
  return { data: { x: { rows, cols, data: x, columns }, y }, regime, times, t1 };
}

export interface PipelineSplitConfig {
  /** @default 0.7 (the pipeline's default) */
  readonly trainRatio?: number;
  /** @default 0.15 */
  readonly valRatio?: number;
  /** Outer folds over the training rows. @default 3 */
  readonly outerFolds?: number;
  /** Inner folds over a unit's fit rows. @default 3 */
  readonly innerFolds?: number;
  /** @default 0.01 */
  readonly embargo?: number;
}

export interface PipelineSplit {
  readonly split: { readonly train: Int32Array; readonly valid: Int32Array; readonly test: Int32Array };
  readonly outerFolds: { train: Int32Array; test: Int32Array }[];
  readonly innerFolds: (fit: Int32Array) => { train: Int32Array; test: Int32Array }[];
}

/**
 * The split and folds exactly as the pipeline builds them: the purged chronological split
 * (governorActivities `load()`), purged k-fold with embargo over the training rows' label intervals
 * for the outer folds, and over a unit's fit rows for the inner folds (`trainEnsembleUnit`).
 */
export function pipelineSplit(market: Pick<RegimeMarket, 'times' | 't1'>, config: PipelineSplitConfig = {}): PipelineSplit {
  const { times, t1 } = market;
  const embargo = config.embargo ?? 0.01;
  const s = chronologicalSplit(times.length, { trainRatio: config.trainRatio ?? 0.7, valRatio: config.valRatio ?? 0.15, times, t1 });
  const folds = (rows: Int32Array, nSplits: number) =>
    purgedKFold(Float64Array.from(rows, (i) => times[i]!), Float64Array.from(rows, (i) => t1[i]!), { nSplits, embargo }).map((f) => ({ train: f.train, test: f.test }));
  const innerFolds = config.innerFolds ?? 3;
  return { split: s.rows, outerFolds: folds(s.rows.train, config.outerFolds ?? 3), innerFolds: (fit) => folds(fit, innerFolds) };
}
