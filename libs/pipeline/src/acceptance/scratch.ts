import { trainGovernorSystem } from '@ares/governor';
import { REGIME_NAMES } from '@ares/features';
import { regimeMarket, pipelineSplit } from './regimeMarket';

const FAST = [
  { name: 'lightgbm', type: 'lightgbm', options: { numIterations: 40, numThreads: 1 } },
  { name: 'random_forest', type: 'random_forest', options: { numIterations: 40, numThreads: 1 } },
  { name: 'xgboost', type: 'xgboost', options: { nEstimators: 40, nthread: 1 } },
];
async function main() {
  const signal = Number(process.argv[2] ?? 1);
  const m = regimeMarket({ seed: 11, signal });
  const counts: Record<string, number> = {};
  m.regime.forEach((r) => (counts[r] = (counts[r] ?? 0) + 1));
  console.log(counts, Array.from(m.data.y).reduce((a, c) => (a[c]++, a), [0, 0, 0]));
  const ps = pipelineSplit(m);
  console.log(ps.split.train.length, ps.split.valid.length, ps.split.test.length);
  const t0 = Date.now();
  const sys = await trainGovernorSystem(m.data, m.regime, { regimeNames: REGIME_NAMES, split: ps.split, outerFolds: ps.outerFolds, innerFolds: ps.innerFolds, seed: 5, baseModels: FAST, meta: { type: 'lightgbm', options: { numIterations: 100, numLeaves: 8, numThreads: 1 } }, governorOptions: { numThreads: 1 }, minRows: 200 });
  console.log('secs', (Date.now() - t0) / 1000, sys.plan.sources, sys.plan.regimes);
  console.log('gov', sys.scores.governor.balancedAccuracy, Object.fromEntries(Object.entries(sys.scores.ensembles).map(([k, v]) => [k, [v.all.balancedAccuracy, v.own?.balancedAccuracy]])));
  for (const e of Object.values(sys.ensembles)) e.dispose();
  sys.governor.dispose();
}
void main();
