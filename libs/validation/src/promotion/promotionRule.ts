import { z } from 'zod';

/**
 * The promotion rule of step 8 (configurable; the resolved rule is recorded with every decision).
 * A challenger is promoted only when every gate passes: its out-of-sample Sharpe survives deflation
 * for the number of configurations tried (DSR), the selection did not overfit (PBO), its
 * Monte Carlo risk is inside the limits, it traded enough to be judged, and — when a champion
 * exists — it beats the champion on the same out-of-sample bars with a significant Sharpe difference.
 */
export const PromotionRuleSchema = z.strictObject({
  /** Deflated Sharpe Ratio at least. @default 0.95 */
  minDsr: z.number().min(0).max(1).default(0.95),
  /** Probability of backtest overfitting at most. @default 0.5 */
  maxPbo: z.number().min(0).max(1).default(0.5),
  /** 95 % CVaR of the simulated out-of-sample total return at most (a loss, as a positive fraction). @default 0.25 */
  maxCvar95: z.number().min(0).default(0.25),
  /** Out-of-sample max drawdown no deeper than this (negative fraction). @default −0.3 */
  maxDrawdown: z.number().max(0).min(-1).default(-0.3),
  /** Fewest out-of-sample trades. @default 20 */
  minTrades: z.number().int().min(0).default(20),
  /** One-sided p-value of challenger Sharpe > champion Sharpe on the shared bars, below. @default 0.05 */
  maxPValue: z.number().gt(0).lt(1).default(0.05),
  /** Fewest shared out-of-sample bars for a comparison with the champion; fewer: not promoted. @default 500 */
  minSharedBars: z.number().int().min(10).default(500),
});
export type PromotionRuleInput = z.input<typeof PromotionRuleSchema>;
export type PromotionRule = z.output<typeof PromotionRuleSchema>;

export interface GateInputs {
  dsr: number;
  pbo: number | null;
  cvar95: number;
  maxDrawdown: number;
  trades: number;
}

export interface ChampionComparison {
  champion: string;
  sharedBars: number;
  sharpeChallenger: number;
  sharpeChampion: number;
  pValue: number;
}

export interface GateResult {
  name: string;
  passed: boolean;
  value: number | null;
  limit: number;
  detail: string;
}

export interface PromotionDecision {
  promote: boolean;
  gates: GateResult[];
  /** One line per gate that failed (or the passing summary). */
  reasons: string[];
  rule: PromotionRule;
  comparison?: ChampionComparison;
}

const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(4));

/** Applies the rule. `comparison` is required when a champion exists (`hasChampion`). */
export function decidePromotion(g: GateInputs, rule: PromotionRule, champion?: { id: string; comparison?: ChampionComparison }): PromotionDecision {
  const gates: GateResult[] = [
    { name: 'dsr', passed: g.dsr >= rule.minDsr, value: g.dsr, limit: rule.minDsr, detail: `deflated Sharpe ratio ${fmt(g.dsr)} (needs ≥ ${rule.minDsr})` },
    { name: 'pbo', passed: g.pbo !== null && g.pbo <= rule.maxPbo, value: g.pbo, limit: rule.maxPbo, detail: g.pbo === null ? 'probability of backtest overfitting unknown (too few trials)' : `probability of backtest overfitting ${fmt(g.pbo)} (needs ≤ ${rule.maxPbo})` },
    { name: 'cvar95', passed: g.cvar95 <= rule.maxCvar95, value: g.cvar95, limit: rule.maxCvar95, detail: `95 % CVaR of total return ${fmt(g.cvar95)} (needs ≤ ${rule.maxCvar95})` },
    { name: 'maxDrawdown', passed: g.maxDrawdown >= rule.maxDrawdown, value: g.maxDrawdown, limit: rule.maxDrawdown, detail: `max drawdown ${fmt(g.maxDrawdown)} (needs ≥ ${rule.maxDrawdown})` },
    { name: 'trades', passed: g.trades >= rule.minTrades, value: g.trades, limit: rule.minTrades, detail: `${g.trades} out-of-sample trades (needs ≥ ${rule.minTrades})` },
  ];
  if (champion) {
    const c = champion.comparison;
    if (!c || c.sharedBars < rule.minSharedBars) {
      gates.push({ name: 'beatsChampion', passed: false, value: c?.sharedBars ?? 0, limit: rule.minSharedBars, detail: `only ${c?.sharedBars ?? 0} out-of-sample bars shared with champion ${champion.id} (needs ≥ ${rule.minSharedBars} to compare)` });
    } else {
      gates.push({ name: 'beatsChampion', passed: c.pValue < rule.maxPValue, value: c.pValue, limit: rule.maxPValue, detail: `Sharpe ${fmt(c.sharpeChallenger)} vs champion ${champion.id} ${fmt(c.sharpeChampion)} on ${c.sharedBars} shared bars, one-sided p = ${fmt(c.pValue)} (needs < ${rule.maxPValue})` });
    }
  }
  const failed = gates.filter((x) => !x.passed);
  const promote = failed.length === 0;
  const reasons = promote ? [`all ${gates.length} gates passed: ${gates.map((x) => x.detail).join('; ')}`] : failed.map((x) => x.detail);
  return { promote, gates, reasons, rule, ...(champion?.comparison ? { comparison: champion.comparison } : {}) };
}
