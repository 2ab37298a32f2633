import { InvalidInputError } from '@ares/data';

/** Where a boosted fit early-stops: its own training rows' label intervals, and how many of the latest rows to hold out. */
export interface EarlyStoppingHoldoutOptions {
  /** Bar time of each row of the training set (epoch ms), ascending. */
  readonly times: Float64Array;
  /** Label end time of each row (epoch ms): row i's outcome is known at t1[i]. */
  readonly t1: Float64Array;
  /** Share of the (latest) rows held out for early stopping, in (0, 0.5]. @default 0.2 */
  readonly validShare?: number;
  /** Fewest rows on either side; with fewer, the fit runs its fixed rounds on all rows. @default 50 */
  readonly minRows?: number;
}

/** Rows to fit on and the chronologically later rows to early-stop on (indices into the training set). */
export interface EarlyStoppingHoldout {
  readonly fit: Int32Array;
  readonly valid: Int32Array;
}

/**
 * Splits a fit's training rows (`rows`: indices into `times`/`t1`, ascending in time) into the rows
 * it trains on and the LATEST `validShare` of them, on which a boosted model picks its number of
 * rounds. Rows whose label interval reaches into the held-out period (t1 >= the first held-out
 * bar's time) are purged from the fit rows: their outcome overlaps the outcomes being scored.
 * Nothing outside `rows` is ever looked at, so the caller's test rows stay unseen — this is early
 * stopping inside a training fold, not on the fold's test rows. Returns undefined when either side
 * would have fewer than `minRows` rows.
 */
export function earlyStoppingHoldout(rows: Int32Array, options: EarlyStoppingHoldoutOptions): EarlyStoppingHoldout | undefined {
  const share = options.validShare ?? 0.2;
  const minRows = options.minRows ?? 50;
  if (!(share > 0 && share <= 0.5)) throw new InvalidInputError(`early stopping validShare = ${share}: must be in (0, 0.5]`);
  const { times, t1 } = options;
  if (times.length !== t1.length) throw new InvalidInputError(`early stopping holdout: ${times.length} times but ${t1.length} label end times`);
  const nValid = Math.ceil(rows.length * share);
  if (nValid < minRows) return undefined;
  const validStart = rows.length - nValid;
  for (let k = 1; k < rows.length; k++) {
    if (!(times[rows[k]!]! >= times[rows[k - 1]!]!)) throw new InvalidInputError(`early stopping holdout: row ${rows[k]} (time ${times[rows[k]!]}) comes after row ${rows[k - 1]} (time ${times[rows[k - 1]!]}); rows must be in time order`);
  }
  const validFrom = times[rows[validStart]!]!;
  const fit: number[] = [];
  for (let k = 0; k < validStart; k++) if (t1[rows[k]!]! < validFrom) fit.push(rows[k]!);
  if (fit.length < minRows) return undefined;
  return { fit: Int32Array.from(fit), valid: rows.slice(validStart) };
}
