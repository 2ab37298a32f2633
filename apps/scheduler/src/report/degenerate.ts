/**
 * Warnings for a model that looks trained but is not: at chance, one class on every row, stopped
 * at its first iteration, or a governor that never trades. Each names the figure that triggered it.
 */

/** What the warnings look at; every field is optional (a summary passes what it has). */
export interface ModelFigures {
  /** Held-out balanced accuracy over the 3 classes (chance: 1/3). */
  balancedAccuracy?: number;
  /** Held-out rows the figures come from. */
  rows?: number;
  /** Predicted class (argmax) of every held-out row, as class indices 0/1/2 or labels −1/0/1. */
  predicted?: ArrayLike<number>;
  /** The iteration early stopping kept (0-based) and how many ran. */
  bestIteration?: number;
  iterations?: number;
  /** A governor's decisions at its threshold. */
  decisions?: { BUY: number; SELL: number; HOLD: number };
}

const CHANCE = 1 / 3;

/**
 * The chance band of balanced accuracy: 1/3 ± 2 standard errors. Each class's recall is a share
 * of about n/3 rows with p = 1/3 under no skill, so the mean of the 3 recalls has standard error
 * √(p(1 − p)/(n/3) / 3) = √(p(1 − p)/n) (the normal approximation to the binomial).
 */
export function chanceBand(rows: number): number {
  return 2 * Math.sqrt((CHANCE * (1 - CHANCE)) / rows);
}

export function degenerateWarnings(f: ModelFigures): string[] {
  const out: string[] = [];
  if (f.balancedAccuracy !== undefined && f.rows !== undefined && f.rows > 0) {
    const band = chanceBand(f.rows);
    if (f.balancedAccuracy < CHANCE + band) {
      out.push(`balanced accuracy ${f.balancedAccuracy.toFixed(4)} is at chance: within 2 standard errors (±${band.toFixed(4)}) of 1/3 on ${f.rows} held-out rows, or below`);
    }
  }
  if (f.predicted !== undefined && f.predicted.length > 0) {
    const classes = new Set(Array.from(f.predicted));
    if (classes.size === 1) out.push(`predicts one class (${[...classes][0]}) on all ${f.predicted.length} held-out rows`);
  }
  if (f.bestIteration !== undefined && f.bestIteration <= 1 && (f.iterations ?? 2) > 1) {
    out.push(`early stopping kept iteration ${f.bestIteration} of ${f.iterations ?? '?'}: the validation loss never improved after the first rounds`);
  }
  if (f.decisions !== undefined && f.decisions.BUY + f.decisions.SELL === 0) {
    out.push(`decides HOLD on all ${f.decisions.HOLD} rows: it never trades at its threshold`);
  }
  return out;
}
