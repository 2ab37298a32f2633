import { curves, rocAuc } from './charts';

/** AUC as the Mann–Whitney statistic: P(score of a positive > score of a negative), ties counting 1/2 (brute force over all pairs). */
function mannWhitney(scores: number[], positive: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    for (let j = 0; j < scores.length; j++) {
      if (!positive[i] || positive[j]) continue;
      pairs += 1;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

test('the ROC AUC in the legend equals the Mann–Whitney statistic per class (ties included)', () => {
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows = 300;
  const yTrue = Array.from({ length: rows }, () => Math.floor(next() * 3));
  const proba: number[] = [];
  for (let i = 0; i < rows; i++) {
    // Scores rounded to 0.05, so ties are common; class yTrue[i] gets a bump.
    const raw = [0, 1, 2].map((k) => next() + (k === yTrue[i] ? 0.4 : 0));
    const sum = raw.reduce((a, b) => a + b, 0);
    proba.push(...raw.map((r) => Math.round((r / sum) * 20) / 20));
  }
  const auc = rocAuc(curves(proba, yTrue).roc);
  const names = ['down (−1)', 'flat (0)', 'up (+1)'];
  for (let k = 0; k < 3; k++) {
    expect(auc[names[k]!]).toBeCloseTo(mannWhitney(proba.filter((_, j) => j % 3 === k), yTrue.map((y) => y === k)), 12);
  }
});
