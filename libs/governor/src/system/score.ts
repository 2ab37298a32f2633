import { evaluate } from '@ares/models';
import { decide, GOVERNOR_LABELS, type GovernorDecision } from '../governor/GovernorModel';
import { GovernorInputError } from '../governor/errors';
import type { GovernorSlice } from './assemble';
import type { GovernorPlan } from './plan';

const K = 3;

/** Classification scores of one set of rows. */
export interface SliceScores {
  readonly rows: number;
  readonly accuracy: number;
  readonly balancedAccuracy: number;
  readonly macroF1: number;
  readonly logLoss: number;
}

export interface GovernorScores {
  readonly governor: SliceScores & {
    /** Decisions at the threshold. */
    readonly decisions: Record<GovernorDecision, number>;
    /** Accuracy over the rows the governor traded (BUY or SELL), or null when it traded none. */
    readonly tradedAccuracy: number | null;
    readonly threshold: number;
  };
  /** Per regime name: its source ensemble scored alone on every test row, and on the test rows of its own regime. */
  readonly ensembles: Record<string, { readonly source: string; readonly all: SliceScores; readonly own: SliceScores | null }>;
}

/** Scores of probabilities (rows × 3) against trading labels −1/0/1. */
export function scoreSlice(labels: ArrayLike<number>, proba: Float64Array): SliceScores {
  if (proba.length !== labels.length * K) throw new GovernorInputError(`scoreSlice: ${proba.length} probabilities for ${labels.length} rows`);
  const y = Int32Array.from(labels, (l, i) => {
    const c = GOVERNOR_LABELS.indexOf(l as (typeof GOVERNOR_LABELS)[number]);
    if (c < 0) throw new GovernorInputError(`scoreSlice: label at row ${i} is ${l}`);
    return c;
  });
  const r = evaluate(y, proba);
  return { rows: r.rows, accuracy: r.accuracy, balancedAccuracy: r.balancedAccuracy, macroF1: r.macroF1, logLoss: r.logLoss };
}

/**
 * Scores the governor on the held-out test slice, next to every regime's ensemble on its own: on all
 * test rows (what using that ensemble alone would give) and on the test rows of its regime.
 */
export function scoreGovernorTest(plan: GovernorPlan, test: GovernorSlice, governorProba: Float64Array, regime: readonly string[], threshold: number): GovernorScores {
  const decisions: Record<GovernorDecision, number> = { BUY: 0, SELL: 0, HOLD: 0 };
  let traded = 0;
  let tradedRight = 0;
  for (let r = 0; r < test.rows.length; r++) {
    const row = governorProba.subarray(r * K, (r + 1) * K);
    const d = decide(row, threshold);
    decisions[d]++;
    if (d !== 'HOLD') {
      traded++;
      if ((d === 'BUY' ? 1 : -1) === test.labels[r]) tradedRight++;
    }
  }
  const ensembles: GovernorScores['ensembles'] = {};
  for (const name of plan.regimeNames) {
    const p = test.ensembleProba[name]!;
    const own = Array.from(test.rows.keys()).filter((r) => regime[test.rows[r]!] === name);
    const ownProba = new Float64Array(own.length * K);
    own.forEach((r, j) => ownProba.set(p.subarray(r * K, (r + 1) * K), j * K));
    ensembles[name] = {
      source: plan.sources[name]!,
      all: scoreSlice(test.labels, p),
      own: own.length === 0 ? null : scoreSlice(own.map((r) => test.labels[r]!), ownProba),
    };
  }
  return {
    governor: { ...scoreSlice(test.labels, governorProba), decisions, tradedAccuracy: traded === 0 ? null : tradedRight / traded, threshold },
    ensembles,
  };
}
