import type { Matrix } from '@ares/models';
import { GovernorInputError } from './errors';

const K = 3;

/** Per-ensemble meta-feature suffixes, in column order: predicted-class one-hot, then confidence. */
export const GOVERNOR_ENSEMBLE_SUFFIXES = ['pred_down', 'pred_flat', 'pred_up', 'conf'] as const;

export interface GovernorFeatureInput {
  /** Primary regime of each row (one of `regimeNames`). */
  readonly regime: readonly string[];
  /** Ensemble name → its class probabilities, rows × 3 row-major ([p_down, p_flat, p_up]). */
  readonly ensembleProba: Readonly<Record<string, Float64Array>>;
}

export interface GovernorFeatures {
  /** Kept rows × (regimes + 4 · ensembles) features. */
  readonly x: Matrix;
  /** Input row index of each row of `x`, ascending. */
  readonly rows: Int32Array;
  /** Input rows dropped because some ensemble probability was NaN (non-finite), ascending. */
  readonly excluded: Int32Array;
}

/**
 * The governor's meta-features: one-hot primary regime (`regime_<NAME>`, in `regimeNames` order),
 * then per ensemble (in `Object.keys(ensembleProba)` order) the one-hot of its argmax class
 * (`<ens>_pred_down/_flat/_up`, ties to the lower class) and its confidence (`<ens>_conf` = max
 * probability). Rows where any ensemble probability is NaN are excluded (indices in `excluded`).
 */
export function governorFeatures(input: GovernorFeatureInput, regimeNames: readonly string[]): GovernorFeatures {
  const n = input.regime.length;
  if (regimeNames.length === 0) throw new GovernorInputError('governorFeatures: no regime names');
  const regimeIndex = new Map<string, number>();
  regimeNames.forEach((name, i) => {
    if (regimeIndex.has(name)) throw new GovernorInputError(`governorFeatures: regime '${name}' is listed twice`);
    regimeIndex.set(name, i);
  });
  const names = Object.keys(input.ensembleProba);
  if (names.length === 0) throw new GovernorInputError('governorFeatures: no ensembles');
  const probas = names.map((name) => {
    const p = input.ensembleProba[name]!;
    if (p.length !== n * K) throw new GovernorInputError(`governorFeatures: ensemble '${name}' has ${p.length} probabilities for ${n} rows (expected ${n * K})`);
    return p;
  });

  const columns = [...regimeNames.map((r) => `regime_${r}`), ...names.flatMap((e) => GOVERNOR_ENSEMBLE_SUFFIXES.map((s) => `${e}_${s}`))];
  const cols = columns.length;
  const kept: number[] = [];
  const excluded: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = input.regime[i]!;
    if (!regimeIndex.has(r)) throw new GovernorInputError(`governorFeatures: row ${i} has regime '${r}', not one of ${regimeNames.join(', ')}`);
    let finite = true;
    for (const p of probas) for (let c = 0; c < K; c++) if (!Number.isFinite(p[i * K + c]!)) finite = false;
    (finite ? kept : excluded).push(i);
  }
  const data = new Float32Array(kept.length * cols);
  kept.forEach((i, row) => {
    const base = row * cols;
    data[base + regimeIndex.get(input.regime[i]!)!] = 1;
    probas.forEach((p, e) => {
      const off = base + regimeNames.length + e * GOVERNOR_ENSEMBLE_SUFFIXES.length;
      let best = 0;
      for (let c = 1; c < K; c++) if (p[i * K + c]! > p[i * K + best]!) best = c;
      data[off + best] = 1;
      data[off + K] = p[i * K + best]!;
    });
  });
  return { x: { rows: kept.length, cols, data, columns }, rows: Int32Array.from(kept), excluded: Int32Array.from(excluded) };
}
