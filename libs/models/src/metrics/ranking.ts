import { CLASS_COUNT } from './rows';

/**
 * One-vs-rest ranking metrics from probabilities: ROC AUC and average precision per class.
 * Both group tied scores into one threshold, as sklearn's `_binary_clf_curve` does.
 */

/** Per-class values (null where undefined) and their mean over the classes where defined (null if none). */
export interface OvrScores {
  perClass: (number | null)[];
  macro: number | null;
}

/**
 * One-vs-rest ROC AUC per class: class c's probability column scores "c" against "not c".
 * Undefined (null) for a class absent from y_true or present in every row. `macro` is the mean
 * over the classes where it is defined — where sklearn's `roc_auc_score(multi_class='ovr',
 * average='macro', labels=[0, 1, 2])` returns NaN as soon as one class is undefined. With all three
 * classes in y_true both agree.
 */
export function rocAucOvr(yTrue: Int32Array, proba: Float64Array): OvrScores {
  return ovr(yTrue, proba, binaryRocAuc);
}

/**
 * One-vs-rest average precision per class (area under the precision–recall curve as sklearn's
 * `average_precision_score`: AP = Σ_n (R_n − R_{n−1}) P_n over distinct thresholds, no
 * interpolation). Undefined (null) for a class absent from y_true — sklearn returns 0.0 there
 * with a warning — and `macro` is the mean over the classes where it is defined.
 */
export function averagePrecisionOvr(yTrue: Int32Array, proba: Float64Array): OvrScores {
  return ovr(yTrue, proba, binaryAveragePrecision);
}

type BinaryScore = (scores: Float64Array, positive: Uint8Array) => number | null;

function ovr(yTrue: Int32Array, proba: Float64Array, score: BinaryScore): OvrScores {
  const n = yTrue.length;
  const perClass: (number | null)[] = [];
  for (let c = 0; c < CLASS_COUNT; c++) {
    const scores = new Float64Array(n);
    const positive = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      scores[r] = proba[r * CLASS_COUNT + c]!;
      positive[r] = yTrue[r] === c ? 1 : 0;
    }
    perClass.push(score(scores, positive));
  }
  const defined = perClass.filter((v): v is number => v !== null);
  return { perClass, macro: defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length };
}

/** Row indices by decreasing score. */
function byDecreasingScore(scores: Float64Array): Int32Array {
  const order = Int32Array.from(scores, (_, i) => i);
  order.sort((a, b) => scores[b]! - scores[a]!);
  return order;
}

/**
 * Binary ROC AUC as the trapezoidal area under the ROC curve with tied scores as one threshold,
 * which equals the Mann–Whitney U statistic with ties counted ½: Σ_groups fp_g (tp_before + tp_g / 2) / (P N).
 * Null when P or N is 0.
 */
export function binaryRocAuc(scores: Float64Array, positive: Uint8Array): number | null {
  const P = positive.reduce((a, b) => a + b, 0);
  const N = positive.length - P;
  if (P === 0 || N === 0) return null;
  const order = byDecreasingScore(scores);
  let tpBefore = 0;
  let area = 0;
  for (let i = 0; i < order.length; ) {
    const s = scores[order[i]!]!;
    let tp = 0;
    let fp = 0;
    for (; i < order.length && scores[order[i]!] === s; i++) {
      if (positive[order[i]!] === 1) tp++;
      else fp++;
    }
    area += fp * (tpBefore + tp / 2);
    tpBefore += tp;
  }
  return area / P / N;
}

/** Binary average precision, Σ (R_n − R_{n−1}) P_n over distinct thresholds by decreasing score. Null when P is 0. */
export function binaryAveragePrecision(scores: Float64Array, positive: Uint8Array): number | null {
  const P = positive.reduce((a, b) => a + b, 0);
  if (P === 0) return null;
  const order = byDecreasingScore(scores);
  let tp = 0;
  let fp = 0;
  let previousRecall = 0;
  let ap = 0;
  for (let i = 0; i < order.length; ) {
    const s = scores[order[i]!]!;
    for (; i < order.length && scores[order[i]!] === s; i++) {
      if (positive[order[i]!] === 1) tp++;
      else fp++;
    }
    const recall = tp / P;
    ap += (recall - previousRecall) * (tp / (tp + fp));
    previousRecall = recall;
  }
  return ap;
}
