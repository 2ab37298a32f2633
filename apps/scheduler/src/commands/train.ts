import { readFile } from 'node:fs/promises';
import { createArtifactStore } from '@ares/data';
import {
  connectClient,
  INTERVAL,
  PIPELINE_STAGES,
  SYMBOL,
  temporalConfigFromEnv,
  TRIGGER,
  type GovernorConfigInput,
  type PipelineStage,
  type TrainingPipelineInput,
  type TrainingPipelineResult,
  type Trigger,
} from '@ares/pipeline';
import { CliError, iso, retryBudgetMs, table, UsageError } from '../format';
import { buildCollectRequest, type SourceOptions } from './collectRequest';
import { degenerateWarnings } from '../report/degenerate';
import { progressMode, watchProgress } from './progress';

export interface TrainOptions extends SourceOptions {
  trigger: string;
  wait: boolean;
  workflowId?: string;
  /** Stop after this stage. */
  until?: string;
  trainRatio?: string;
  /** JSON file with the governor section (GovernorConfigInput), validated field by field by the run. */
  config?: string;
  /** Time budget of each activity over its retries, e.g. '6h' (else ARES_RETRY_BUDGET, else the workflows' 6 hours). */
  retryBudget?: string;
  /** JSON lines on stdout: `started`, `progress` per change, then `result` (the workflow's result). */
  json?: boolean;
  /** Start even while a scheduled retrain of the same market runs. */
  allowConcurrent?: boolean;
}

/** Starts trainingPipeline, shows live progress per stage, prints the run id, dataset reference and Web UI link. */
export async function train(o: TrainOptions, print: (line: string) => void = console.log, stdout: { isTTY?: boolean } = process.stdout): Promise<TrainingPipelineResult | undefined> {
  const mode = progressMode(o, stdout);
  // With --json only JSON lines reach stdout.
  const out = mode === 'json' ? () => undefined : print;
  if (!['manual', 'schedule', 'test'].includes(o.trigger)) throw new UsageError(`--trigger must be manual, schedule or test; got '${o.trigger}'`);
  if (o.until && !(PIPELINE_STAGES as readonly string[]).includes(o.until)) throw new UsageError(`--until must be one of ${PIPELINE_STAGES.join(', ')}; got '${o.until}'`);
  const trainRatio = o.trainRatio === undefined ? undefined : Number(o.trainRatio);
  if (trainRatio !== undefined && !(trainRatio > 0 && trainRatio < 1)) throw new CliError(`--train-ratio must be in (0, 1); got '${o.trainRatio}'`);
  const { governor, targetSearch } = await runConfig(o);
  const budget = retryBudgetMs(o.retryBudget);
  const config = temporalConfigFromEnv();
  const store = await createArtifactStore();
  const storeUrl = store.url;
  const collect = await buildCollectRequest(o, store).finally(() => store.close());
  const client = await connectClient(config);
  try {
    // A scheduled retrain of this market holds the id retrain-<symbol>-<interval> while it runs
    // (workflows/fleetRetrain.ts): an on-demand run waits for it rather than race it.
    if (!o.allowConcurrent) {
      const retrain = `retrain-${collect.symbol}-${collect.interval}`;
      const status = await client.workflow.getHandle(retrain).describe().then((d) => d.status.name, () => undefined);
      if (status === 'RUNNING') throw new CliError(`a scheduled retrain of ${collect.symbol} ${collect.interval} is running (${retrain}); wait for it (ares runs list --symbol ${collect.symbol}) or pass --allow-concurrent`);
    }
    const input: TrainingPipelineInput = {
      collect, trigger: o.trigger as Trigger,
      ...(o.until ? { until: o.until as PipelineStage } : {}),
      ...(trainRatio !== undefined ? { trainRatio } : {}),
      ...(governor ? { governor } : {}),
      ...(targetSearch ? { targetSearch } : {}),
      ...(budget !== undefined ? { retryBudgetMs: budget } : {}),
    };
    const workflowId = o.workflowId ?? `train-${collect.symbol}-${collect.interval}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const handle = await client.workflow.start('trainingPipeline', {
      taskQueue: config.taskQueue,
      workflowId,
      args: [input],
      typedSearchAttributes: [
        { key: SYMBOL, value: collect.symbol },
        { key: INTERVAL, value: collect.interval },
        { key: TRIGGER, value: o.trigger },
      ],
    });
    const link = `${config.uiUrl}/namespaces/${config.namespace}/workflows/${workflowId}/${handle.firstExecutionRunId}/history`;
    out(`started ${workflowId} (run ${handle.firstExecutionRunId})`);
    out(`web ui  ${link}`);
    if (mode === 'json') print(JSON.stringify({ event: 'started', workflowId, runId: handle.firstExecutionRunId, webUi: link }));
    if (!o.wait) return undefined;

    const stop = watchProgress(handle, { mode, out: print, title: `ares train ${workflowId}` });
    let result: TrainingPipelineResult;
    try {
      result = (await handle.result()) as TrainingPipelineResult;
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause;
      throw new CliError(`run ${workflowId} failed: ${cause?.message ?? (err as Error).message}\n  see ${link}`, 1);
    } finally {
      await stop();
    }
    if (mode === 'json') print(JSON.stringify({ event: 'result', workflowId, runId: handle.firstExecutionRunId, result }));
    const d = result.dataset;
    out('');
    out(`run      ${workflowId} / ${handle.firstExecutionRunId}`);
    out(`dataset  ${d.key}`);
    out(`         sha256 ${d.sha256}`);
    out(`         ${d.rows} bars ${d.symbol} ${d.interval}, ${iso(d.start)} .. ${iso(d.end)}`);
    if (result.targets) {
      const t = result.targets;
      out(`targets  tp ${t.params.tpMult} ATR, sl ${t.params.slMult} ATR, ${t.params.holdingBars} bars (best of ${t.candidates}, training window to ${iso(t.trainEnd)})`);
      out(`         ${t.key}`);
    }
    if (result.features) {
      const f = result.features;
      out(`features ${f.columns} columns × ${f.rows} rows, ${f.labelledRows} labelled; ${f.key}`);
      out(`         inspect: ares features inspect ${f.sha256.slice(0, 16)}`);
    }
    printGovernorSummary(result, workflowId, storeUrl, out);
    printValidationSummary(result, workflowId, out);
    out('stages');
    for (const s of result.stages) out(`  ${s.name.padEnd(22)} ${s.state} in ${(((s.endedAt ?? 0) - (s.startedAt ?? 0)) / 1000).toFixed(1)} s${s.summary ? `: ${s.summary}` : ''}`);
    out(`web ui   ${link}`);
    return result;
  } finally {
    await client.connection.close();
  }
}


/**
 * The run's configuration: `--config` holds the governor section itself, or `{ "governor": { … },
 * "targetSearch": { … } }` (either key optional); `--seed` goes over the governor's `seed` (and
 * also seeds the synthetic data). Fields are validated by the run, which fails naming the field;
 * here only the file's shape.
 */
async function runConfig(o: TrainOptions): Promise<{ governor?: GovernorConfigInput; targetSearch?: Record<string, unknown> }> {
  let section: Record<string, unknown> | undefined;
  let targetSearch: Record<string, unknown> | undefined;
  if (o.config !== undefined) {
    const text = await readFile(o.config, 'utf8').catch((err: Error) => {
      throw new UsageError(`--config ${o.config}: cannot read it: ${err.message}`);
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`--config ${o.config}: not JSON: ${(err as Error).message}`);
    }
    section = asObject(parsed, `--config ${o.config}`, ' (the governor section, or { governor, targetSearch })');
    if ('governor' in section || 'targetSearch' in section) {
      const others = Object.keys(section).filter((k) => k !== 'governor' && k !== 'targetSearch');
      if (others.length > 0) throw new UsageError(`--config ${o.config}: next to 'governor' and 'targetSearch' the file may hold nothing else; got ${others.map((k) => `'${k}'`).join(', ')}`);
      if (section.targetSearch !== undefined) targetSearch = asObject(section.targetSearch, `--config ${o.config}: field 'targetSearch'`);
      section = section.governor === undefined ? undefined : asObject(section.governor, `--config ${o.config}: field 'governor'`);
    }
  }
  if (o.seed !== undefined) {
    const seed = Number(o.seed);
    if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer; got '${o.seed}'`);
    section = { ...section, seed };
  }
  return { ...(section ? { governor: section as GovernorConfigInput } : {}), ...(targetSearch ? { targetSearch } : {}) };
}

function asObject(value: unknown, what: string, expected = ''): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${what}: expected a JSON object${expected}, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

const f4 = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(4));

/** Steps 3–5 of a waited-for run: what ran of regimes, governor, pruning, searches and the bundle. */
function printGovernorSummary(r: TrainingPipelineResult, workflowId: string, storeUrl: string, out: (line: string) => void): void {
  if (r.pruning) out(`pruning  ${r.pruning.kept.length} features kept, ${r.pruning.dropped} dropped (fitted on ${r.pruning.trainRows} training rows)`);
  if (r.plan) {
    const scores = r.governor?.scores.ensembles;
    out(`regimes  (${r.plan.split.train} training, ${r.plan.split.valid} validation, ${r.plan.split.test} test rows; test balanced accuracy of the regime's ensemble)`);
    out(indent(table(['REGIME', 'SOURCE', 'TRAIN ROWS', 'BAL.ACC OWN ROWS', 'BAL.ACC ALL ROWS'], r.plan.regimes.map((g) => {
      const s = scores?.[g.regime];
      const own = s?.own ? `${f4(s.own.balancedAccuracy)} (${s.own.rows})` : '-';
      return [g.regime, g.source === 'pooled' ? 'pooled FALLBACK' : 'own', g.trainRows, own, s ? `${f4(s.all.balancedAccuracy)} (${s.all.rows})` : '-'];
    }))));
  }
  if (r.governor) {
    const g = r.governor.scores.governor;
    out(`governor test slice: ${g.rows} rows, accuracy ${f4(g.accuracy)}, balanced accuracy ${f4(g.balancedAccuracy)}, macro F1 ${f4(g.macroF1)}, log loss ${f4(g.logLoss)}`);
    out(`         decisions at threshold ${g.threshold}: BUY ${g.decisions.BUY}, SELL ${g.decisions.SELL}, HOLD ${g.decisions.HOLD}; traded accuracy ${f4(g.tradedAccuracy)}`);
    for (const w of degenerateWarnings({ balancedAccuracy: g.balancedAccuracy, rows: g.rows, decisions: g.decisions })) out(`WARNING  governor: ${w}`);
    const fit = r.governor.governorFit;
    out(`         fitted on ${fit.trainRows} rows, early-stopped on ${fit.validRows}: best iteration ${fit.bestIteration} of ${fit.iterations}`);
  }
  if (r.coarseSearch) {
    const models = [...new Set([...Object.keys(r.coarseSearch.best), ...Object.keys(r.finalSearch?.best ?? {})])];
    out(`search   best mean ${r.run?.config.metric ?? 'score'} per model type`);
    out(indent(table(['MODEL', 'COARSE', 'FINAL'], models.map((m) => [m, f4(r.coarseSearch!.best[m]?.mean), f4(r.finalSearch?.best[m]?.mean)]))));
  }
  if (r.governor) {
    out(`bundle   ${r.governor.bundleKey}`);
    out(`         in ${storeUrl}`);
    out(`predict  ares predict --run ${workflowId}`);
  }
}

const pct = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : `${(v * 100).toFixed(1)} %`);

/** Steps 6–9: walk-forward after costs (against the oracle ceiling on synthetic data), Monte Carlo, the gates and the decision. */
function printValidationSummary(r: TrainingPipelineResult, workflowId: string, out: (line: string) => void): void {
  const w = r.walkForward;
  if (w) {
    const m = w.metrics;
    out(`walk-forward ${w.folds.length} folds, ${w.bars} out-of-sample bars, after costs: Sharpe ${f4(m.sharpe)} (± ${f4(m.sharpeStandardError)}), total return ${pct(m.totalReturn)}, max drawdown ${pct(m.maxDrawdown)}, ${m.tradeCount} trades, win rate ${pct(m.winRate)}${w.oracle ? `; oracle ceiling Sharpe ${f4(w.oracle.sharpe)} (gross ${f4(w.oracle.sharpeGross)})` : ''}`);
    out(indent(table(['FOLD', 'FROM', 'TO', 'SHARPE', 'RETURN', 'MAX DD', 'TRADES'], w.folds.map((f) => [f.fold, iso(f.from), iso(f.to), f4(f.metrics.sharpe), pct(f.metrics.totalReturn), pct(f.metrics.maxDrawdown), f.metrics.tradeCount]))));
    out(`         ${w.stability.profitableFolds}/${w.folds.length} folds profitable; fold Sharpe ${f4(w.stability.sharpeMean)} ± ${f4(w.stability.sharpeStd)}`);
  }
  const mc = r.monteCarlo;
  if (mc) out(`monte carlo ${mc.simulations} ${mc.method} bootstrap paths (block ${f4(mc.blockLength)}): VaR95 ${pct(mc.var95)}, CVaR95 ${pct(mc.cvar95)}, VaR99 ${pct(mc.var99)}, CVaR99 ${pct(mc.cvar99)}, P(loss) ${pct(mc.probabilityOfLoss)}, worst ${pct(mc.worstTotalReturn)}`);
  const d = r.decision;
  if (d) {
    out(`gates    ${d.trials.count} configurations tried (${Object.entries(d.trials.byKind).map(([k, v]) => `${k} ${v}`).join(', ')}): DSR ${f4(d.dsr)}, PSR ${f4(d.psr)}, PBO ${f4(d.pbo)}`);
    out(indent(table(['GATE', 'VALUE', 'LIMIT', 'RESULT'], d.gates.map((g) => [g.name, f4(g.value), g.limit, g.passed ? 'pass' : 'FAIL']))));
  }
  const p = r.published;
  if (p) {
    out(`decision ${p.promoted ? `PROMOTED to champion (registry event ${p.registrySeq})` : 'NOT PROMOTED'}: ${p.reasons.join('; ')}`);
    out(`manifest ${p.manifestKey}`);
    out(`report   ares runs report ${workflowId}`);
  }
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
