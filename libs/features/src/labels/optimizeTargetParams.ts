import { Rng } from '@ares/data';
import { z } from 'zod';
import { atr } from '../core/rolling';
import { InvalidFeatureParamsError } from '../errors';
import { isoTime } from '../input';
import { parseParams, requireColumn } from './input';
import { barrierOutcomes, checkBarrierBars, TOUCH, type LabelBars, type TripleBarrierLabels } from './tripleBarrier';

/**
 * Searches the triple-barrier targets (take-profit and stop-loss multiples of ATR, holding period)
 * on the training window only.
 *
 * No peeking into the test period: the labeler only ever sees bars 0 … trainEnd (the columns are
 * cut there before anything is read, so later bars may even be NaN), and a row counts only if
 * its label resolved by the close of the trainEnd bar (t1 <= closeTime[trainEnd]); rows whose
 * window runs past trainEnd without a touch are invalid by the end-of-series rule and excluded.
 *
 * Objective, over the valid training rows of a candidate in time order (labels are the target,
 * not a strategy, so these describe the distribution of outcomes, `ret` being the long-side
 * return at resolution):
 *
 *   score = balanceWeight · balance + sharpe − ddWeight · maxDrawdown
 *
 * - sharpe = mean(ret) / std(ret) per row (sample std), NOT annualised: rows overlap and the
 *   holding period differs between candidates, so there is no honest periods-per-year; 0 when
 *   std is 0.
 * - maxDrawdown (>= 0) = the largest fall of the running sum of ret from its running peak
 *   (starting at 0) over non-overlapping rows: walk forward, take a row, skip every row that
 *   enters (closes) before the taken row's t1.
 * - balance = entropy of the label shares (−1, 0, +1) / ln 3, in [0, 1].
 * - winRate = take-profit outcomes / (take-profit + stop-loss outcomes); reported, not scored
 *   (0 when no row touched a barrier).
 *
 * A candidate is eligible when it has at least `minRows` rows and every class share is at least
 * `minClassShare`; candidates are sorted eligible first, then by score (descending; ties keep
 * search order), and `best` is the first. No eligible candidate is an error.
 */

const finite = () => z.number({ error: 'must be a finite number' });
const integer = () => z.int({ error: 'must be an integer' });

interface Range {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** min/max/step, each with a default; min <= max and step > 0. */
function rangeSchema(d: Range, isInteger: boolean) {
  const num = isInteger ? integer : finite;
  return z
    .strictObject({
      min: num().gt(0, 'must be > 0').default(d.min),
      max: num().gt(0, 'must be > 0').default(d.max),
      step: num().gt(0, 'must be > 0').default(d.step),
    })
    .superRefine((r, ctx) => {
      if (r.min > r.max) ctx.addIssue({ code: 'custom', path: [], message: `min ${r.min} > max ${r.max}` });
    })
    .prefault({});
}

export const OptimizeTargetOptionsSchema = z
  .strictObject({
    /** Take-profit multiples of ATR. @default { min: 1, max: 3, step: 0.5 } */
    tpMult: rangeSchema({ min: 1, max: 3, step: 0.5 }, false),
    /** Stop-loss multiples of ATR. @default { min: 1, max: 3, step: 0.5 } */
    slMult: rangeSchema({ min: 1, max: 3, step: 0.5 }, false),
    /** Holding periods in bars (integers). @default { min: 6, max: 48, step: 6 } */
    holdingBars: rangeSchema({ min: 6, max: 48, step: 6 }, true),
    /** ATR period of the labeler. @default 14 */
    atrPeriod: integer().min(2, 'must be >= 2').default(14),
    /** Passed to the labeler. @default true */
    zeroOnVertical: z.boolean().default(true),
    /** Passed to the labeler (only with zeroOnVertical false). */
    minReturn: finite().min(0, 'must be >= 0').optional(),
    /** 'grid': every point of the lattice; 'random': `samples` distinct lattice points drawn with `seed`. @default 'grid' */
    mode: z.enum(['grid', 'random'], { error: "must be 'grid' or 'random'" }).default('grid'),
    /** Random mode: number of distinct candidates (the whole lattice when it has fewer). @default 50 */
    samples: integer().min(1, 'must be >= 1').max(100_000, 'must be <= 100000').default(50),
    /** Random mode: seed of the sampler. @default 42 */
    seed: integer().default(42),
    /** Weight of the class balance in the score. @default 1 */
    balanceWeight: finite().min(0, 'must be >= 0').default(1),
    /** Weight of the max drawdown in the score. @default 1 */
    ddWeight: finite().min(0, 'must be >= 0').default(1),
    /** Candidates whose smallest label share is below this are not eligible. @default 0.1 */
    minClassShare: finite().min(0, 'must be >= 0').max(1 / 3, 'must be <= 1/3 (three classes)').default(0.1),
    /** Candidates with fewer labelled training rows are not eligible. @default 30 */
    minRows: integer().min(2, 'must be >= 2').default(30),
  })
  .superRefine((o, ctx) => {
    if (o.minReturn !== undefined && o.zeroOnVertical) {
      ctx.addIssue({ code: 'custom', path: ['minReturn'], message: 'has no effect while zeroOnVertical is true (set zeroOnVertical: false)' });
    }
  });
export type OptimizeTargetOptions = z.input<typeof OptimizeTargetOptionsSchema>;
type Options = z.output<typeof OptimizeTargetOptionsSchema>;

/** The last training bar: by index (inclusive), or by time (the bars that have closed by then, epoch ms). */
export type TrainEnd = { readonly index: number } | { readonly time: number };

export interface TargetParams {
  readonly tpMult: number;
  readonly slMult: number;
  readonly holdingBars: number;
}

export interface TargetCandidate {
  readonly params: TargetParams;
  readonly sharpe: number;
  /** >= 0, in units of summed returns. */
  readonly maxDrawdown: number;
  readonly winRate: number;
  /** Normalised label entropy in [0, 1]. */
  readonly balance: number;
  readonly classShares: { readonly down: number; readonly flat: number; readonly up: number };
  readonly score: number;
  /** Valid training rows (t1 <= closeTime[trainEnd]). */
  readonly rows: number;
  /** rows >= minRows and every class share >= minClassShare. */
  readonly eligible: boolean;
}

export interface OptimizeTargetResult {
  readonly best: TargetParams;
  /** Sorted: eligible first, then by score, descending. */
  readonly candidates: TargetCandidate[];
  /** The last training bar and its close time (epoch ms). */
  readonly trainEnd: { readonly index: number; readonly closeTime: number };
}

/** Grid mode refuses lattices larger than this (use random mode or coarser steps). */
export const MAX_GRID_CANDIDATES = 10_000;

/**
 * Picks tp/sl/holding on the training window only.
 *
 * ```ts
 * const { best } = optimizeTargetParams(candles, { index: trainRows - 1 }, { mode: 'random', samples: 60, seed: 7 });
 * const labels = tripleBarrierLabels(candles, { ...best, atrPeriod: 14 });
 * ```
 */
export function optimizeTargetParams(bars: LabelBars, trainEnd: TrainEnd, options: OptimizeTargetOptions = {}): OptimizeTargetResult {
  const o = parseParams(OptimizeTargetOptionsSchema, options, 'optimizeTargetParams option');
  const end = resolveTrainEnd(bars, trainEnd);
  const b = checkBarrierBars(trainingPrefix(bars, end + 1));
  const endTime = b.closeTime[end]!;
  const vol = atr(b.high, b.low, b.close, o.atrPeriod);

  const candidates = searchSpace(o).map((params) => {
    const out = barrierOutcomes(b, vol, { ...params, atrPeriod: o.atrPeriod, zeroOnVertical: o.zeroOnVertical, minReturn: o.minReturn });
    return scoreCandidate(params, outcomeStats(out, b.closeTime, endTime), o);
  });
  candidates.sort((x, y) => Number(y.eligible) - Number(x.eligible) || y.score - x.score);

  const top = candidates[0];
  if (!top?.eligible) throw noEligible(top, o, end, endTime);
  return { best: top.params, candidates, trainEnd: { index: end, closeTime: endTime } };
}

function resolveTrainEnd(bars: LabelBars, trainEnd: TrainEnd): number {
  const closeTime = requireColumn(bars, 'closeTime', 'to place trainEnd');
  const n = closeTime.length;
  if ('index' in trainEnd) {
    const i = trainEnd.index;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new InvalidFeatureParamsError(`trainEnd.index must be an integer bar index in 0..${n - 1}; got ${i}`);
    return i;
  }
  if ('time' in trainEnd) {
    const t = trainEnd.time;
    if (!Number.isFinite(t)) throw new InvalidFeatureParamsError(`trainEnd.time must be a finite epoch-ms time; got ${t}`);
    let k = 0;
    while (k < n && closeTime[k]! <= t) k++; // the prefix of bars closed by t (stops at the first later or bad time)
    if (k === 0) throw new InvalidFeatureParamsError(`trainEnd.time ${isoTime(t)} is before the first bar closes (${n > 0 ? isoTime(closeTime[0]!) : 'no bars'})`);
    return k - 1;
  }
  throw new InvalidFeatureParamsError(`trainEnd must be { index } or { time }; got ${JSON.stringify(trainEnd)}`);
}

/** Bars 0 … end−1 as views (no copy); anything that is not a Float64Array passes through for the column checks to name. */
function trainingPrefix(bars: LabelBars, end: number): LabelBars {
  const cut = <T>(c: T): T => (c instanceof Float64Array ? (c.subarray(0, end) as T) : c);
  return { openTime: cut(bars.openTime), closeTime: cut(bars.closeTime), open: cut(bars.open), high: cut(bars.high), low: cut(bars.low), close: cut(bars.close) };
}

/** The points of a range: min, min + step, … <= max (rounded to 1e-9 against float drift). */
export function latticeValues(r: Range): number[] {
  const count = Math.floor((r.max - r.min) / r.step + 1e-9) + 1;
  return Array.from({ length: count }, (_, k) => Math.round((r.min + k * r.step) * 1e9) / 1e9);
}

/** Candidates in lattice order (tp slowest, holding fastest): all of them, or a seeded sample. */
function searchSpace(o: Options): TargetParams[] {
  const tp = latticeValues(o.tpMult);
  const sl = latticeValues(o.slMult);
  const hold = latticeValues(o.holdingBars);
  const total = tp.length * sl.length * hold.length;
  const at = (k: number): TargetParams => ({
    tpMult: tp[Math.floor(k / (sl.length * hold.length))]!,
    slMult: sl[Math.floor(k / hold.length) % sl.length]!,
    holdingBars: hold[k % hold.length]!,
  });
  if (o.mode === 'random') return sampleDistinct(total, o.samples, new Rng(o.seed)).map(at);
  if (total > MAX_GRID_CANDIDATES) {
    throw new InvalidFeatureParamsError(
      `optimizeTargetParams: a grid of ${total} candidates (tpMult ${tp.length} × slMult ${sl.length} × holdingBars ${hold.length}) exceeds ${MAX_GRID_CANDIDATES}; use mode 'random' or coarser steps`,
    );
  }
  return Array.from({ length: total }, (_, k) => at(k));
}

/** k distinct integers of 0 … total−1, ascending (Floyd's algorithm: exactly k draws). */
function sampleDistinct(total: number, k: number, rng: Rng): number[] {
  if (k >= total) return Array.from({ length: total }, (_, i) => i);
  const chosen = new Set<number>();
  for (let j = total - k; j < total; j++) {
    const t = Math.floor(rng.uniform() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}

interface OutcomeStats {
  rows: number;
  sharpe: number;
  maxDrawdown: number;
  winRate: number;
  shares: [down: number, flat: number, up: number];
}

const NEVER = Number.NEGATIVE_INFINITY; // hot loops read no globals (slow inside jest's vm sandbox)

/** The statistics of the objective over rows that resolved by `endTime` (see the module comment). */
function outcomeStats(out: TripleBarrierLabels, closeTime: Float64Array, endTime: number): OutcomeStats {
  const { label, ret, t1, touched, valid } = out;
  const counts = [0, 0, 0];
  let rows = 0;
  let mean = 0;
  let m2 = 0;
  let tp = 0;
  let sl = 0;
  let cum = 0;
  let peak = 0;
  let maxDrawdown = 0;
  let free = NEVER; // the next row may enter once the previous taken row has resolved
  for (let i = 0; i < label.length; i++) {
    if (valid[i] !== 1 || !(t1[i]! <= endTime)) continue;
    const r = ret[i]!;
    rows++;
    const d = r - mean; // Welford
    mean += d / rows;
    m2 += d * (r - mean);
    counts[label[i]! + 1]!++;
    if (touched[i] === TOUCH.takeProfit) tp++;
    else if (touched[i] === TOUCH.stopLoss) sl++;
    if (closeTime[i]! >= free) {
      cum += r;
      if (cum > peak) peak = cum;
      if (peak - cum > maxDrawdown) maxDrawdown = peak - cum;
      free = t1[i]!;
    }
  }
  const std = rows > 1 ? Math.sqrt(m2 / (rows - 1)) : 0;
  const share = (c: number) => (rows > 0 ? c / rows : 0);
  return {
    rows,
    sharpe: std > 0 ? mean / std : 0,
    maxDrawdown,
    winRate: tp + sl > 0 ? tp / (tp + sl) : 0,
    shares: [share(counts[0]!), share(counts[1]!), share(counts[2]!)],
  };
}

/** Entropy of the shares / ln 3: 1 for equal thirds, 0 for a single class. */
export function normalisedEntropy(shares: readonly number[]): number {
  let h = 0;
  for (const s of shares) if (s > 0) h -= s * Math.log(s);
  return h / Math.log(3);
}

function scoreCandidate(params: TargetParams, s: OutcomeStats, o: Options): TargetCandidate {
  const balance = normalisedEntropy(s.shares);
  const [down, flat, up] = s.shares;
  return {
    params,
    sharpe: s.sharpe,
    maxDrawdown: s.maxDrawdown,
    winRate: s.winRate,
    balance,
    classShares: { down, flat, up },
    score: o.balanceWeight * balance + s.sharpe - o.ddWeight * s.maxDrawdown,
    rows: s.rows,
    eligible: s.rows >= o.minRows && Math.min(down, flat, up) >= o.minClassShare,
  };
}

function noEligible(top: TargetCandidate | undefined, o: Options, end: number, endTime: number): InvalidFeatureParamsError {
  const window = `training window: ${end + 1} bars closing by ${isoTime(endTime)}`;
  if (!top) return new InvalidFeatureParamsError(`optimizeTargetParams: no candidate to evaluate (${window})`);
  const { tpMult, slMult, holdingBars } = top.params;
  const smallest = Math.min(top.classShares.down, top.classShares.flat, top.classShares.up);
  return new InvalidFeatureParamsError(
    `optimizeTargetParams: no eligible candidate (one needs at least minRows ${o.minRows} labelled rows and every class share >= minClassShare ${o.minClassShare}) ` +
      `(top scorer tpMult ${tpMult}, slMult ${slMult}, holdingBars ${holdingBars}: ${top.rows} rows, smallest class share ${smallest.toFixed(3)}; ${window}). ` +
      'Widen the ranges, lower minClassShare or minRows, or move trainEnd later.',
  );
}
