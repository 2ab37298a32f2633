import { InvalidInputError } from '@ares/data';
import { z } from 'zod';
import { parseSearchSpace, type ParamRange, type SearchSpace } from '../tuning/searchSpace';

export interface Trial {
  readonly params: Record<string, number | string | boolean>;
  /** The trial's score (mean CV metric). */
  readonly mean: number;
}

export const NarrowRangesOptionsSchema = z.strictObject({
  /** Share of the (finite-scored) trials that count as best: ceil(topFraction · n), at least 1. @default 0.25 */
  topFraction: z.number().gt(0).max(1).default(0.25),
  /** Widening on each side, as a fraction of the ORIGINAL range width (in log space for log ranges). @default 0.1 */
  margin: z.number().min(0).default(0.1),
  /** Whether a higher `mean` is better. @default 'maximize' */
  direction: z.enum(['maximize', 'minimize']).default('maximize'),
});
export type NarrowRangesOptions = z.input<typeof NarrowRangesOptionsSchema>;

/**
 * A search space narrowed around the best trials. For a numeric parameter: [min, max] of the top
 * trials' values, widened by `margin` × the original range width on each side (log ranges in log
 * space), clipped to the original bounds; ints rounded outward. A choice parameter keeps the values
 * seen in the top trials, in the original order. A parameter no top trial sets keeps its range.
 */
export function narrowRanges(trials: readonly Trial[], space: SearchSpace, options: NarrowRangesOptions = {}): SearchSpace {
  const parsedOptions = NarrowRangesOptionsSchema.safeParse(options);
  if (!parsedOptions.success) throw new InvalidInputError(`narrowRanges options: ${parsedOptions.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { topFraction, margin, direction } = parsedOptions.data;
  const ranges = parseSearchSpace(space);
  const scored = trials.map((t, i) => ({ t, i })).filter(({ t }) => Number.isFinite(t.mean));
  if (scored.length === 0) throw new InvalidInputError('narrowRanges: no trial has a finite mean');
  const sign = direction === 'maximize' ? -1 : 1;
  scored.sort((a, b) => sign * (a.t.mean - b.t.mean) || a.i - b.i);
  const top = scored.slice(0, Math.max(1, Math.ceil(topFraction * scored.length))).map(({ t }) => t);

  const out: SearchSpace = {};
  for (const [name, r] of Object.entries(ranges)) {
    if (r.type === 'choice') {
      const seen = new Set(top.map((t) => t.params[name]));
      const values = r.values.filter((v) => seen.has(v));
      out[name] = { type: 'choice', values: values.length > 0 ? values : [...r.values] };
      continue;
    }
    const vals = top.map((t) => t.params[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const log = r.type === 'float' && r.log;
    const fwd = (v: number): number => (log ? Math.log(v) : v);
    const inv = (v: number): number => (log ? Math.exp(v) : v);
    const usable = log ? vals.filter((v) => v > 0) : vals;
    if (usable.length === 0) {
      out[name] = { ...r } as ParamRange;
      continue;
    }
    const lo0 = fwd(r.low);
    const hi0 = fwd(r.high);
    const w = margin * (hi0 - lo0);
    const lo = Math.max(lo0, Math.min(...usable.map(fwd)) - w);
    const hi = Math.min(hi0, Math.max(...usable.map(fwd)) + w);
    if (r.type === 'int') out[name] = { type: 'int', low: Math.max(r.low, Math.floor(lo)), high: Math.min(r.high, Math.ceil(hi)) };
    else out[name] = { type: 'float', low: lo === lo0 ? r.low : inv(lo), high: hi === hi0 ? r.high : inv(hi), log: r.log };
  }
  return out;
}
