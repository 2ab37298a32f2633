import { ApplicationFailure, executeChild, patched, proxyActivities, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities';
import {
  GOVERNOR_BASE_MODELS,
  PIPELINE_STAGES,
  trainingTaskQueue,
  type GovernorRun,
  type PruningRef,
  type SearchRef,
  type StageStatus,
  type TrainingPipelineInput,
  type TrainingPipelineResult,
  type TrialResult,
} from '../contracts';
import { DATASET_HASH, PROMOTED } from '../searchAttributes';
import { progressQuery } from './definitions';
import { pool } from './pool';
import { regimeEnsemble } from './regimeEnsemble';
import { activityOptions } from './retryPolicy';
import { runStage } from './runStage';
import { walkForwardFold } from './walkForwardFold';


/**
 * The training pipeline; it lists only the stages it runs (see `until`):
 * 1 collectMarketData → 2 optimizeTargetParams → 3 buildFeatures → pruneFeatures (with the coarse
 * search that narrows the ranges) → 4 regimeEnsembles (one child workflow per ensemble, its units in
 * parallel on the training task queue) → governor (meta-learner + bundle) → 5 tuneHyperparameters
 * (trials fan out over the narrowed ranges; they depend on the coarse search only, so they run
 * alongside step 4) → 6 walkForward (one child workflow per fold) → 7 monteCarlo → 8 compareChampion
 * (overfitting gates, risk limits, the champion comparison) → 9 publishRun (manifest last, then the
 * registry). Carries references, never data.
 */
export async function trainingPipeline(input: TrainingPipelineInput): Promise<TrainingPipelineResult> {
  // Runs started before the feature stages existed stopped after step 1, runs before the governor
  // stages after buildFeatures; `patched` keeps their histories replayable (histories/, replay.spec.ts).
  const withFeatures = patched('features-stages-v1');
  const withGovernor = withFeatures && patched('governor-stages-v1');
  // Runs since 'validation-stages-v1' go on through steps 6–9 by default.
  const withValidation = withGovernor && patched('validation-stages-v1');
  const last = withFeatures ? PIPELINE_STAGES.indexOf(input.until ?? (withValidation ? 'publishRun' : withGovernor ? 'tuneHyperparameters' : 'buildFeatures')) : 0;
  if (last < 0) throw ApplicationFailure.create({ message: `until '${input.until}' is not a stage; stages: ${PIPELINE_STAGES.join(', ')}`, type: 'InvalidInputError', nonRetryable: true });
  const stages: StageStatus[] = PIPELINE_STAGES.slice(0, last + 1).map((name) => ({ name, state: 'pending' }));
  setHandler(progressQuery, () => ({ stages }));
  const budget = input.retryBudgetMs;
  const { collectMarketData, optimizeTargetParams, buildFeatures, prepareGovernorRun, planTrials, recordSearch, planRegimeStage, planWalkForward, backtestWalkForward, runMonteCarlo, compareChampion, publishRun } = proxyActivities<Activities>(activityOptions('pipeline', budget));

  const dataset = await runStage(stages[0]!, () => collectMarketData(input.collect), (d) => `${d.rows} bars, sha256 ${d.sha256.slice(0, 12)}…`);
  upsertSearchAttributes([{ key: DATASET_HASH, value: dataset.sha256 }]);
  if (stages.length === 1) return { dataset, stages };

  // When the governor stages run, the target search sees only the rows the models train on.
  const targetRatio = input.trainRatio ?? (last >= PIPELINE_STAGES.indexOf('pruneFeatures') ? input.governor?.trainRatio ?? 0.7 : 0.8);
  const targets = await runStage(stages[1]!, () => optimizeTargetParams({ dataset, trainRatio: targetRatio, search: input.targetSearch ?? {} }),
    (t) => `tp ${t.params.tpMult} / sl ${t.params.slMult} ATR, ${t.params.holdingBars} bars (best of ${t.candidates})`);
  if (stages.length === 2) return { dataset, targets, stages };
  const features = await runStage(stages[2]!, () => buildFeatures({ dataset, targets, ...(input.featureSet ? { featureSet: input.featureSet } : {}) }),
    (f) => `${f.columns} features × ${f.rows} rows, ${f.labelledRows} labelled`);
  if (stages.length === 3) return { dataset, targets, features, stages };

  // Heavy work goes to the training task queue: each worker process polls it with few slots.
  const trainingQueue = trainingTaskQueue(workflowInfo().taskQueue);
  const heavy = proxyActivities<Activities>(activityOptions('heavy', budget, trainingQueue));
  const searchActs = { planTrials, runSearchTrial: heavy.runSearchTrial };

  // Step 3 (continued): pruning on the training rows, then the coarse search that narrows the ranges.
  let run!: GovernorRun;
  let coarse!: SearchRef;
  // Runs since 'overlapped-final-search-v1' hand out the dearest work first: forest trials before
  // the others (63-leaf trees: the longest trials in bench:governor --profile), the largest units
  // first, and step 5 alongside step 4 (below).
  const overlapped = patched('overlapped-final-search-v1');
  // Runs since 'run-memo-v1' keep what `ares runs list` shows in their memo: seed, code version, headline.
  const memo = patched('run-memo-v1');
  const pruning = await runStage(stages[3]!, async () => {
    run = await prepareGovernorRun({ features, symbol: dataset.symbol, interval: dataset.interval, ...(input.governor ? { config: input.governor } : {}) });
    const kept = await heavy.pruneRunFeatures({ run });
    coarse = await recordSearch({ run, phase: 'coarse', trials: await search(run, kept, 'coarse', searchActs, undefined, undefined, overlapped) });
    return kept;
  }, (p) => `${p.kept.length} features kept, ${p.dropped} dropped (on ${p.trainRows} training rows); coarse best ${bestSummary(coarse)}`);
  if (memo) upsertMemo({ seed: run.config.seed, codeVersion: run.codeVersion ?? null });
  if (stages.length === 4) return { dataset, targets, features, run, pruning, coarseSearch: coarse, stages };

  // Step 4: the regime ensembles, one child workflow each, in parallel. Runs since
  // 'overlapped-final-search-v1' start step 5 at the same time (it needs only the coarse ranges),
  // so its trials fill the training slots the units leave idle, and hand out the largest units first.
  const plan = await planRegimeStage({ run, pruning });
  // While the units run, the final search keeps one trial in flight (the units have the slots
  // first); once the regime stage has ended, all its lanes.
  let regimeDone!: () => void;
  const regimeStage = new Promise<void>((resolve) => (regimeDone = resolve));
  const finalStage = (holdBack?: { lanes: number; until: Promise<unknown> }) =>
    runStage(stages[6]!, async () => recordSearch({ run, phase: 'final', trials: await search(run, pruning, 'final', searchActs, coarse, holdBack, overlapped) }), (s) => `final best ${bestSummary(s)}`);
  const early = overlapped && stages.length > 6 ? finalStage({ lanes: 1, until: regimeStage }) : undefined;
  // Awaited below; a failing regime stage must not leave it as an unhandled rejection meanwhile.
  early?.catch(() => undefined);
  const unitsOf = (ensemble: string) => {
    const mine = plan.units.filter((u) => u.ensemble === ensemble);
    return overlapped ? [...mine].sort((a, b) => b.fitRows - a.fitRows) : mine;
  };
  const largest = (ensemble: string) => Math.max(...plan.units.filter((u) => u.ensemble === ensemble).map((u) => u.fitRows));
  const ensembles = overlapped ? [...plan.ensembles].sort((a, b) => largest(b) - largest(a)) : plan.ensembles;
  const units = await runStage(stages[4]!, async () => {
    const results = await Promise.all(ensembles.map((ensemble) => executeChild(regimeEnsemble, {
      workflowId: `${workflowInfo().workflowId}-ensemble-${ensemble}`,
      args: [{ run, pruning, coarse, ensemble, units: unitsOf(ensemble).map((u) => u.id), taskQueue: trainingQueue, ...(budget !== undefined ? { retryBudgetMs: budget } : {}) }],
    })));
    return results.flat();
  }, (u) => `${plan.ensembles.length} ensembles (${plan.regimes.filter((r) => r.source === 'pooled').map((r) => r.regime).join(', ') || 'none'} pooled), ${u.length} units${u.some((x) => x.resumedSteps > 0) ? `, ${u.reduce((a, x) => a + x.resumedSteps, 0)} fits resumed from checkpoints` : ''}`);

  regimeDone();
  const governor = await runStage(stages[5]!, () => heavy.trainGovernor({ run, pruning, coarse, units }),
    (g) => `test balanced accuracy ${g.scores.governor.balancedAccuracy.toFixed(4)}, macro F1 ${g.scores.governor.macroF1.toFixed(4)} on ${g.scores.governor.rows} rows; bundle ${g.bundleKey}`);
  if (memo) upsertMemo({ headline: `governor balanced accuracy ${governor.scores.governor.balancedAccuracy.toFixed(4)}` });
  if (stages.length === 6) return { dataset, targets, features, run, pruning, coarseSearch: coarse, plan, governor, stages };

  // Step 5: the final search over the narrowed ranges (already running since the regime stage began).
  const finalSearch = await (early ?? finalStage());
  if (stages.length === 7) return { dataset, targets, features, run, pruning, coarseSearch: coarse, plan, governor, finalSearch, stages };

  // Step 6: walk-forward. Each fold (a child workflow) retrains the whole governor system in fold
  // with the searched parameters and trades its out-of-sample window; then one backtest with costs.
  const walkForward = await runStage(stages[7]!, async () => {
    const wf = await planWalkForward({ run });
    const folds = await pool(wf.folds.map((f) => () => executeChild(walkForwardFold, {
      workflowId: `${workflowInfo().workflowId}-walkforward-fold${f.fold}`,
      args: [{ run, search: finalSearch, fold: f.fold, taskQueue: trainingQueue, ...(budget !== undefined ? { retryBudgetMs: budget } : {}) }],
    })), run.config.validation.walkForward.concurrency);
    return backtestWalkForward({ run, dataset, targets, plan: wf, folds, collect: input.collect });
  }, (w) => `${w.folds.length} folds, ${w.bars} out-of-sample bars: Sharpe ${fmt(w.metrics.sharpe)} after costs, ${w.metrics.tradeCount} trades, max drawdown ${fmt(w.metrics.maxDrawdown)}${w.oracle ? ` (oracle ${fmt(w.oracle.sharpe)})` : ''}; ${w.stability.profitableFolds}/${w.folds.length} folds profitable`);
  if (memo) upsertMemo({ headline: `OOS Sharpe ${fmt(walkForward.metrics.sharpe)}, ${walkForward.metrics.tradeCount} trades` });
  if (stages.length === 8) return { dataset, targets, features, run, pruning, coarseSearch: coarse, plan, governor, finalSearch, walkForward, stages };

  // Step 7: Monte Carlo risk of the out-of-sample returns.
  const monteCarlo = await runStage(stages[8]!, () => runMonteCarlo({ run, walkForward }),
    (m) => `${m.simulations} ${m.method} simulations (block ${fmt(m.blockLength)}): VaR95 ${fmt(m.var95)}, CVaR95 ${fmt(m.cvar95)}, P(loss) ${fmt(m.probabilityOfLoss)}`);
  if (stages.length === 9) return { dataset, targets, features, run, pruning, coarseSearch: coarse, plan, governor, finalSearch, walkForward, monteCarlo, stages };

  // Step 8: the overfitting gates, the risk limits and the champion comparison → the decision.
  const decision = await runStage(stages[9]!, () => compareChampion({ run, dataset, targets, coarse, finalSearch, walkForward, monteCarlo }),
    (d) => `${d.promote ? 'PROMOTE' : 'REFUSE'}: DSR ${fmt(d.dsr)}, PBO ${fmt(d.pbo)} over ${d.trials.count} trials; ${d.reasons.join('; ')}`);
  if (stages.length === 10) return { dataset, targets, features, run, pruning, coarseSearch: coarse, plan, governor, finalSearch, walkForward, monteCarlo, decision, stages };

  // Step 9: the run manifest (written last) and, for a promotion, the registry (compare-and-swap).
  const published = await runStage(stages[10]!, () => publishRun({ runId: workflowInfo().workflowId, trigger: input.trigger, dataset, targets, features, run, pruning, coarse, finalSearch, plan, governor, walkForward, monteCarlo, decision, stages }),
    (p) => `${p.promoted ? `promoted to champion (registry event ${p.registrySeq})` : 'not promoted'}; manifest ${p.manifestKey}`);
  upsertSearchAttributes([{ key: PROMOTED, value: String(published.promoted) }]);
  return { dataset, targets, features, run, pruning, coarseSearch: coarse, plan, governor, finalSearch, walkForward, monteCarlo, decision, published, stages };
}

function fmt(x: number | null | undefined): string {
  return x === null || x === undefined ? 'n/a' : Number.isInteger(x) ? String(x) : x.toFixed(3);
}

/** One search phase: seeded trials per base model type (coarse: default spaces; final: the narrowed ranges), fanned out. */
async function search(run: GovernorRun, pruning: PruningRef, phase: 'coarse' | 'final', acts: Pick<Activities, 'planTrials' | 'runSearchTrial'>, coarse?: SearchRef, holdBack?: { lanes: number; until: Promise<unknown> }, forestFirst = false): Promise<Record<string, TrialResult[]>> {
  const trials = phase === 'coarse' ? run.config.coarseTrials : run.config.finalTrials;
  const seed = run.config.seed + (phase === 'coarse' ? 0 : 1);
  const plans = await Promise.all(GOVERNOR_BASE_MODELS.map((model) => acts.planTrials({ model, trials, seed, ...(coarse?.ranges?.[model] ? { space: coarse.ranges[model] } : {}) })));
  const all = GOVERNOR_BASE_MODELS.flatMap((model, m) => plans[m]!.map((params, trial) => ({ model, params, trial })));
  const tasks = forestFirst ? [...all.filter((t) => t.model === 'random_forest'), ...all.filter((t) => t.model !== 'random_forest')] : all;
  const results = await pool(tasks.map((t) => () => acts.runSearchTrial({ run, pruning, phase, ...t })), run.config.concurrency, holdBack);
  return Object.fromEntries(GOVERNOR_BASE_MODELS.map((model) => [model, results.filter((_, i) => tasks[i]!.model === model)]));
}

function bestSummary(s: SearchRef): string {
  return Object.entries(s.best).map(([m, b]) => `${m} ${b.mean.toFixed(4)}`).join(', ');
}
