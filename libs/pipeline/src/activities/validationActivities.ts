import { Context } from '@temporalio/activity';
import { generateSyntheticMarket, intervalMs, InvalidInputError, joinKey, oracleStrategy, parseCollectRequest, sha256Hex, syntheticMarketOptionsOf, type ArtifactStore, type CollectRequest, type DatasetRef, type Interval } from '@ares/data';
import { atr, loadMarketInput, type FeatureDatasetRef, type FeatureInput } from '@ares/features';
import { decide, type GovernorDecision } from '@ares/governor';
import { codeVersion } from '@ares/models';
import {
  backtest,
  decidePromotion,
  deflatedBenchmark,
  deflatedSharpeRatio,
  MIN_BLOCK_LENGTH_OBSERVATIONS,
  ModelRegistry,
  moments,
  monteCarloRisk,
  performanceMetrics,
  probabilisticSharpeRatio,
  probabilityOfBacktestOverfitting,
  PromotionRuleSchema,
  RegistryConflictError,
  sharpeDifferenceTest,
  type BacktestBars,
  type ChampionComparison,
  type PerformanceMetrics,
  type PromotionDecision,
  type Trade,
} from '@ares/validation';
import type {
  DecisionRef,
  GovernorResult,
  GovernorRun,
  MetricsSummary,
  MonteCarloRef,
  PruningRef,
  PublishedRun,
  RegimeStagePlan,
  SearchRef,
  StageStatus,
  TargetParamsRef,
  Trigger,
  WalkForwardFoldRef,
  WalkForwardPlan,
  WalkForwardRef,
} from '../contracts';
import type { RunData } from './governorActivities';
import { workerIdentity } from './workerIdentity';
import { withWorkspace } from './withWorkspace';

const YEAR_MS = 365 * 24 * 3_600_000;
/** Blocks of the CSCV split for the probability of backtest overfitting (the paper's S = 16). */
const PBO_BLOCKS = 16;

/** Bars of the dataset with the ATR of the target parameters and the funding events, for the backtests. */
interface MarketBars {
  bars: BacktestBars;
  atr: Float64Array;
  /** Bar index by open time. */
  index: Map<number, number>;
  funding?: { time: Float64Array; rate: Float64Array };
  periodsPerYear: number;
}

/** Steps 6 (backtest of the folds' decisions) to 9 over injected dependencies. */
export function createValidationActivities(deps: { store: ArtifactStore; runData: (run: GovernorRun) => Promise<RunData> }) {
  const { store } = deps;
  const readJson = async <T>(key: string): Promise<T> => JSON.parse(Buffer.from(await store.get(key)).toString()) as T;
  const putJson = (key: string, value: unknown) => store.put(key, JSON.stringify(value, null, 1));

  async function marketBars(dataset: DatasetRef, targets: TargetParamsRef, tmp: string): Promise<MarketBars> {
    const { input } = await loadMarketInput(store, dataset.key, tmp);
    const col = (name: keyof FeatureInput['columns']) => {
      const v = input.columns[name];
      if (!v) throw new InvalidInputError(`dataset ${dataset.key} has no '${name}' column; the backtest needs open, high, low, close`);
      return v;
    };
    const bars: BacktestBars = { openTime: col('openTime'), closeTime: col('closeTime'), open: col('open'), high: col('high'), low: col('low'), close: col('close') };
    const index = new Map<number, number>();
    bars.openTime.forEach((t, i) => index.set(t, i));
    return { bars, atr: atr(bars.high, bars.low, bars.close, targets.params.atrPeriod), index, ...fundingEvents(input, bars), periodsPerYear: YEAR_MS / intervalMs(dataset.interval as Interval) };
  }

  /** Backtests bar decisions over bars [from, to) of the market: the slices, the costs of the run's config. */
  function runBacktest(m: MarketBars, decisions: Int8Array, from: number, to: number, run: GovernorRun, targets: TargetParamsRef) {
    const slice = (a: Float64Array) => a.subarray(from, to);
    const b = m.bars;
    const bars: BacktestBars = { openTime: slice(b.openTime), closeTime: slice(b.closeTime), open: slice(b.open), high: slice(b.high), low: slice(b.low), close: slice(b.close) };
    return backtest(bars, decisions.subarray(from, to), {
      // The labels are long-only (−1: down slMult·ATR before up tpMult·ATR): a SELL trades those barriers.
      tpMult: targets.params.tpMult, slMult: targets.params.slMult, shortBarriers: 'label', holdingBars: targets.params.holdingBars, atr: slice(m.atr),
      feeBps: run.config.validation.backtest.feeBps, slippageBps: run.config.validation.backtest.slippageBps,
      periodsPerYear: m.periodsPerYear,
      ...(m.funding ? { funding: m.funding } : {}),
    });
  }

  /** The trials' per-bar returns over the training rows' bars (search trials' out-of-fold decisions, backtested with costs). */
  async function trialReturns(run: GovernorRun, searches: SearchRef[], m: MarketBars, targets: TargetParamsRef): Promise<{ names: string[]; returns: Float64Array[] }> {
    const d = await deps.runData(run);
    const rows = d.split.train;
    const bars = Int32Array.from(rows, (i) => barOf(m, d.data.times[i]!));
    const from = bars[0]!;
    const to = Math.min(m.bars.openTime.length, bars.at(-1)! + 1);
    const names: string[] = [];
    const returns: Float64Array[] = [];
    for (const s of searches) {
      const doc = await readJson<{ trials: Record<string, { trial: number; oofKey?: string }[]> }>(s.key);
      for (const [model, trials] of Object.entries(doc.trials)) {
        for (const t of trials) {
          if (!t.oofKey) continue;
          const oof = readFloat64(await store.get(t.oofKey));
          const decisions = new Int8Array(m.bars.openTime.length);
          for (let r = 0; r < rows.length; r++) {
            const p = oof.subarray(r * 3, r * 3 + 3);
            if (Number.isFinite(p[0]!)) decisions[bars[r]!] = decisionValue(decide(p, run.config.threshold));
          }
          names.push(`${s.phase}/${model}/${t.trial}`);
          returns.push(runBacktest(m, decisions, from, to, run, targets).returns);
        }
      }
    }
    return { names, returns };
  }

  /** The champion's out-of-sample returns on the bars both runs traded, and the significance of the difference. */
  async function compareWithChampion(run: GovernorRun, wf: WalkForwardRef, champion: { runId: string; manifestKey: string }): Promise<ChampionComparison> {
    const manifest = await readJson<{ walkForward: WalkForwardRef }>(champion.manifestKey);
    const [mine, theirs] = await Promise.all([readReturns(wf), readReturns(manifest.walkForward)]);
    const at = new Map<number, number>();
    theirs.times.forEach((t, i) => at.set(t, i));
    const a: number[] = [];
    const b: number[] = [];
    mine.times.forEach((t, i) => {
      const j = at.get(t);
      if (j !== undefined) {
        a.push(mine.returns[i]!);
        b.push(theirs.returns[j]!);
      }
    });
    if (a.length < MIN_BLOCK_LENGTH_OBSERVATIONS) return { champion: champion.runId, sharedBars: a.length, sharpeChallenger: Number.NaN, sharpeChampion: Number.NaN, pValue: 1 };
    const test = sharpeDifferenceTest(Float64Array.from(a), Float64Array.from(b), { seed: run.config.seed, periodsPerYear: wf.periodsPerYear });
    return { champion: champion.runId, sharedBars: a.length, sharpeChallenger: test.sharpeA, sharpeChampion: test.sharpeB, pValue: test.pValue };
  }

  async function readReturns(wf: WalkForwardRef): Promise<{ times: Float64Array; returns: Float64Array }> {
    const bytes = readFloat64(await store.get(wf.returnsKey));
    const n = bytes.length / 2;
    return { times: bytes.subarray(0, n), returns: bytes.subarray(n) };
  }

  return {
    /**
     * Step 6, after the folds: their out-of-sample decisions, joined in time order, traded by one
     * backtest with costs (fill at the next bar's open, triple-barrier exits); per-fold metrics on
     * each window's bars, the stability across folds, and the oracle's ceiling on synthetic data.
     */
    async backtestWalkForward(req: { run: GovernorRun; dataset: DatasetRef; targets: TargetParamsRef; plan: WalkForwardPlan; folds: WalkForwardFoldRef[]; collect?: CollectRequest }): Promise<WalkForwardRef> {
      return withWorkspace(async (tmp) => {
        const m = await marketBars(req.dataset, req.targets, tmp);
        const n = m.bars.openTime.length;
        const decisions = new Int8Array(n);
        const windows: { fold: number; from: number; to: number }[] = [];
        for (const f of [...req.folds].sort((a, b) => a.fold - b.fold)) {
          const p = await readJson<{ times: number[]; decisions: number[] }>(f.predictionsKey);
          p.times.forEach((t, j) => (decisions[barOf(m, t)] = p.decisions[j]!));
          const w = req.plan.folds.find((x) => x.fold === f.fold)!;
          windows.push({ fold: f.fold, from: barOf(m, w.testFrom), to: barOf(m, w.testTo) + 1 });
        }
        const from = windows[0]!.from;
        // The last window's open positions run to their barriers (at most holdingBars more bars).
        const to = Math.min(n, windows.at(-1)!.to + req.targets.params.holdingBars);
        windows.at(-1)!.to = to;
        const result = runBacktest(m, decisions, from, to, req.run, req.targets);
        const times = m.bars.openTime.subarray(from, to);
        const folds = windows.map((w) => {
          const r = result.returns.subarray(w.from - from, w.to - from);
          const trades = result.trades.filter((t) => t.entryBar + from >= w.from && t.entryBar + from < w.to);
          return { fold: w.fold, from: m.bars.openTime[w.from]!, to: m.bars.openTime[w.to - 1]!, metrics: summary(performanceMetrics(r, { periodsPerYear: m.periodsPerYear, trades, position: result.position.subarray(w.from - from, w.to - from) })) };
        });
        const sharpes = folds.map((f) => f.metrics.sharpe ?? 0);
        const sharpeMean = sharpes.reduce((a, b) => a + b, 0) / sharpes.length;
        const sharpeStd = sharpes.length > 1 ? Math.sqrt(sharpes.reduce((a, s) => a + (s - sharpeMean) ** 2, 0) / (sharpes.length - 1)) : 0;
        const profitableFolds = folds.filter((f) => (f.metrics.totalReturn ?? 0) > 0).length;
        const oracle = oracleOf(req.collect, from, to, req.run);
        const prefix = joinKey(req.run.prefix, 'walkforward');
        const returnsKey = joinKey(prefix, 'returns.f64');
        await store.put(returnsKey, float64Bytes(Float64Array.from([...times, ...result.returns])));
        const tradesKey = joinKey(prefix, 'trades.json');
        await putJson(tradesKey, result.trades.map((t) => ({ ...t, entryBar: t.entryBar + from, exitBar: t.exitBar + from, signalBar: t.signalBar + from })));
        const ref: WalkForwardRef = {
          key: joinKey(prefix, 'walkforward.json'), returnsKey, tradesKey, bars: to - from, periodsPerYear: m.periodsPerYear,
          metrics: summary(result.metrics), folds,
          stability: { profitableFolds, shareProfitable: profitableFolds / folds.length, sharpeMean, sharpeStd },
          oracle,
        };
        // Content only: which worker ran a fold, on which attempt, is the run manifest's record (step 9),
        // so a retried fold, or a second run of this run key, writes these bytes again.
        await putJson(ref.key, { ...ref, foldRuns: req.folds.map(({ worker: _w, attempt: _a, ...fold }) => fold) });
        return { ...ref, foldRuns: req.folds };
      });
    },

    /** Step 7: Monte Carlo of the out-of-sample returns (seeded): distributions, VaR / CVaR, probability of loss. */
    async runMonteCarlo(req: { run: GovernorRun; walkForward: WalkForwardRef }): Promise<MonteCarloRef> {
      return withWorkspace(async (_tmp, progress) => {
        const { returns } = await readReturns(req.walkForward);
        const trades = await readJson<Trade[]>(req.walkForward.tradesKey);
        const mc = req.run.config.validation.monteCarlo;
        const report = monteCarloRisk(returns, {
          simulations: mc.simulations, seed: req.run.config.seed, method: mc.method, periodsPerYear: req.walkForward.periodsPerYear,
          ...(trades.length >= 2 ? { trades: Float64Array.from(trades, (t) => t.netReturn) } : {}),
          onProgress: (done, total) => progress({ done, total }),
        });
        const key = joinKey(req.run.prefix, 'montecarlo.json');
        await putJson(key, report);
        return {
          key, simulations: report.simulations, method: report.method, blockLength: report.blockLength,
          var95: report.valueAtRisk.p95, cvar95: report.conditionalValueAtRisk.p95, var99: report.valueAtRisk.p99, cvar99: report.conditionalValueAtRisk.p99,
          probabilityOfLoss: report.probabilityOfLoss, worstTotalReturn: report.worstTotalReturn, worstMaxDrawdown: report.worstMaxDrawdown,
        };
      });
    },

    /**
     * Step 8: every configuration the run tried is counted (target-parameter candidates, coarse and
     * final search trials, the walk-forward variant); the search trials' out-of-fold decisions,
     * backtested with costs on the training bars, give the trial Sharpes (their variance deflates
     * the out-of-sample Sharpe: DSR) and the return matrix of the PBO (CSCV, S = 16). With the risk
     * limits and, when a champion exists, a stationary-bootstrap test of the Sharpe difference on the
     * bars both traded, the promotion rule decides. Reads the registry; writes only the decision.
     */
    async compareChampion(req: { run: GovernorRun; dataset: DatasetRef; targets: TargetParamsRef; coarse: SearchRef; finalSearch: SearchRef; walkForward: WalkForwardRef; monteCarlo: MonteCarloRef }): Promise<DecisionRef> {
      return withWorkspace(async (tmp, progress) => {
        progress({ phase: 'trials' });
        const m = await marketBars(req.dataset, req.targets, tmp);
        const trials = await trialReturns(req.run, [req.coarse, req.finalSearch], m, req.targets);
        const perPeriod = trials.returns.map((r) => moments(r)).map((x) => (x.std > 0 ? x.mean / x.std : 0));
        const meanSharpe = perPeriod.reduce((a, b) => a + b, 0) / Math.max(1, perPeriod.length);
        const sharpeVariance = perPeriod.length > 1 ? perPeriod.reduce((a, s) => a + (s - meanSharpe) ** 2, 0) / (perPeriod.length - 1) : 0;
        const byKind = { targetCandidates: req.targets.candidates, coarseTrials: countTrials(req.coarse, trials.names, 'coarse'), finalTrials: countTrials(req.finalSearch, trials.names, 'final'), walkForwardVariants: 1 };
        const count = Object.values(byKind).reduce((a, b) => a + b, 0);
        progress({ phase: 'gates' });
        const { returns } = await readReturns(req.walkForward);
        const mo = moments(returns);
        const sample = { sharpe: mo.std > 0 ? mo.mean / mo.std : 0, periods: returns.length, skew: mo.skew, kurtosis: mo.kurtosis };
        const { dsr } = deflatedSharpeRatio(sample, count, sharpeVariance);
        const psr = probabilisticSharpeRatio(sample, 0);
        const pbo = trials.returns.length >= 2 ? probabilityOfBacktestOverfitting(matrixOf(trials.returns), { blocks: PBO_BLOCKS }).pbo : null;
        const registry = ModelRegistry.of(store, req.run.symbol, req.run.interval);
        const state = await registry.state();
        const rule = PromotionRuleSchema.parse(req.run.config.validation.promotion);
        const gates = { dsr, pbo, cvar95: req.monteCarlo.cvar95, maxDrawdown: req.walkForward.metrics.maxDrawdown ?? -1, trades: req.walkForward.metrics.tradeCount ?? 0 };
        const champion = state.champion;
        let decision: PromotionDecision;
        if (champion && champion.runId === req.run.runKey) {
          decision = { ...decidePromotion(gates, rule), promote: false };
          decision.reasons = [`already champion (registry event ${champion.seq})`];
        } else {
          const comparison = champion ? await compareWithChampion(req.run, req.walkForward, champion) : undefined;
          decision = decidePromotion(gates, rule, champion ? { id: champion.runId, ...(comparison ? { comparison } : {}) } : undefined);
        }
        const key = joinKey(req.run.prefix, 'decision.json');
        const ref: DecisionRef = {
          key, promote: decision.promote, reasons: decision.reasons, gates: decision.gates,
          trials: { count, withReturns: trials.returns.length, sharpeVariance, byKind },
          dsr, psr, pbo, registryHead: state.head, champion: champion?.runId ?? null,
          ...(decision.comparison ? { comparison: decision.comparison } : {}),
        };
        await putJson(key, { ...ref, rule, trialSharpes: Object.fromEntries(trials.names.map((n, i) => [n, perPeriod[i]! * Math.sqrt(m.periodsPerYear)])), outOfSample: { ...sample, annualised: sample.sharpe * Math.sqrt(m.periodsPerYear) } });
        return ref;
      });
    },

    /**
     * Step 9: the run's report data and manifest (lineage: dataset → features → target params →
     * config → code → seed → every artifact with its sha256; stage times; the folds' workers and
     * attempts; metrics; gates; the decision), written LAST of the run's objects; then, for a
     * promotion, the registry event (compare-and-swap). If another run became champion since step
     * 8, the comparison is made again against it before appending. Idempotent: a retry finds its
     * own event and does not append twice.
     */
    async publishRun(req: {
      runId: string; trigger: Trigger; dataset: DatasetRef; targets: TargetParamsRef; features: FeatureDatasetRef; run: GovernorRun; pruning: PruningRef; coarse: SearchRef; finalSearch: SearchRef;
      plan: RegimeStagePlan; governor: GovernorResult; walkForward: WalkForwardRef; monteCarlo: MonteCarloRef; decision: DecisionRef; stages: StageStatus[];
    }): Promise<PublishedRun> {
      return withWorkspace(async () => {
        const registry = ModelRegistry.of(store, req.run.symbol, req.run.interval);
        const manifestKey = joinKey(req.run.prefix, 'manifest.json');
        const reportKey = joinKey(req.run.prefix, 'report.json');
        const rule = PromotionRuleSchema.parse(req.run.config.validation.promotion);
        let decision = req.decision;
        for (let attempt = 0; attempt < 10; attempt++) {
          const state = await registry.state();
          const mine = state.events.find((e) => e.kind === 'promote' && e.runId === req.run.runKey && e.actor === req.runId);
          if (mine) return { manifestKey, reportKey, promoted: true, registrySeq: mine.seq, reasons: mine.reasons };
          if (decision.promote && state.head !== decision.registryHead) decision = await redecide(decision, state.champion, state.head);
          await writeReport(req, reportKey);
          await putJson(manifestKey, await manifestOf(req, decision, reportKey));
          if (!decision.promote) return { manifestKey, reportKey, promoted: false, reasons: decision.reasons };
          try {
            const event = await registry.append(state.head, {
              kind: 'promote', runId: req.run.runKey, manifestKey, bundleKey: req.governor.bundleKey, reasons: decision.reasons, actor: req.runId,
              ...(state.champion ? { previous: state.champion.runId } : {}),
              metrics: { sharpe: req.walkForward.metrics.sharpe ?? null, dsr: decision.dsr, pbo: decision.pbo, cvar95: req.monteCarlo.cvar95, maxDrawdown: req.walkForward.metrics.maxDrawdown ?? null },
            });
            return { manifestKey, reportKey, promoted: true, registrySeq: event.seq, reasons: decision.reasons };
          } catch (err) {
            if (!(err instanceof RegistryConflictError)) throw err;
            Context.current().heartbeat({ phase: 'registry conflict', attempt });
          }
        }
        throw new Error(`registry ${req.run.symbol} ${req.run.interval}: 10 conflicting appends in a row`);

        async function redecide(previous: DecisionRef, champion: { runId: string; manifestKey: string; seq: number } | undefined, head: number): Promise<DecisionRef> {
          const gates = { dsr: previous.dsr, pbo: previous.pbo, cvar95: req.monteCarlo.cvar95, maxDrawdown: req.walkForward.metrics.maxDrawdown ?? -1, trades: req.walkForward.metrics.tradeCount ?? 0 };
          const comparison = champion ? await compareWithChampion(req.run, req.walkForward, champion) : undefined;
          const d = decidePromotion(gates, rule, champion ? { id: champion.runId, ...(comparison ? { comparison } : {}) } : undefined);
          const next: DecisionRef = { ...previous, promote: d.promote, reasons: [`champion changed to ${champion?.runId ?? 'none'} (registry event ${head}) after step 8; decided again:`, ...d.reasons], gates: d.gates, registryHead: head, champion: champion?.runId ?? null, ...(d.comparison ? { comparison: d.comparison } : {}) };
          await putJson(previous.key, next);
          return next;
        }
      });
    },
  };

  /** Everything the HTML run report plots (rendered by `ares runs report`). */
  async function writeReport(req: { run: GovernorRun; walkForward: WalkForwardRef; monteCarlo: MonteCarloRef; decision: DecisionRef; governor: GovernorResult; plan: RegimeStagePlan }, key: string): Promise<void> {
    const { times, returns } = await readReturns(req.walkForward);
    let equity = 1;
    let peak = 1;
    const curve: { t: number; equity: number; drawdown: number }[] = [];
    const every = Math.max(1, Math.ceil(returns.length / 2000));
    returns.forEach((r, i) => {
      equity *= 1 + r;
      peak = Math.max(peak, equity);
      if (i % every === 0 || i === returns.length - 1) curve.push({ t: times[i]!, equity, drawdown: equity / peak - 1 });
    });
    const mc = await readJson<{ histogram: { totalReturn: number[]; sharpe: number[]; maxDrawdown: number[] } }>(req.monteCarlo.key);
    const decisionDoc = await readJson<{ trialSharpes: Record<string, number> }>(req.decision.key);
    const preds = await readJson<{ labels: number[]; proba: string }>(req.governor.predictionsKey);
    const proba = new Float64Array(Buffer.from(preds.proba, 'base64').buffer.slice(0));
    const confusion = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    preds.labels.forEach((label, i) => {
      const p = proba.subarray(i * 3, i * 3 + 3);
      const predicted = p.indexOf(Math.max(p[0]!, p[1]!, p[2]!));
      confusion[label + 1]![predicted]!++;
    });
    await putJson(key, {
      runKey: req.run.runKey, symbol: req.run.symbol, interval: req.run.interval,
      equity: curve, folds: req.walkForward.folds, metrics: req.walkForward.metrics, stability: req.walkForward.stability, oracle: req.walkForward.oracle,
      monteCarlo: { ...req.monteCarlo, histogram: mc.histogram },
      periodsPerYear: req.walkForward.periodsPerYear,
      trials: {
        sharpes: decisionDoc.trialSharpes, count: req.decision.trials.count, sharpeVariance: req.decision.trials.sharpeVariance,
        // The DSR's benchmark: the Sharpe the best of `count` skill-less trials would show, annualised.
        expectedMaxSharpe: deflatedBenchmark(req.decision.trials.count, req.decision.trials.sharpeVariance) * Math.sqrt(req.walkForward.periodsPerYear),
      },
      decision: { promote: req.decision.promote, reasons: req.decision.reasons, gates: req.decision.gates, dsr: req.decision.dsr, psr: req.decision.psr, pbo: req.decision.pbo, comparison: req.decision.comparison ?? null },
      confusion, regimes: req.plan.regimes,
    });
  }

  async function manifestOf(req: { runId: string; trigger: Trigger; dataset: DatasetRef; targets: TargetParamsRef; features: FeatureDatasetRef; run: GovernorRun; pruning: PruningRef; coarse: SearchRef; finalSearch: SearchRef; governor: GovernorResult; walkForward: WalkForwardRef; monteCarlo: MonteCarloRef; stages: StageStatus[] }, decision: DecisionRef, reportKey: string) {
    const manifestKey = joinKey(req.run.prefix, 'manifest.json');
    const artifacts: { key: string; sha256: string; size: number }[] = [];
    for (const key of await store.list(`${req.run.prefix}/`)) {
      if (key === manifestKey || key.includes('/checkpoints/')) continue;
      const info = await store.stat(key);
      if (info) artifacts.push(info);
    }
    const foldRuns = req.walkForward.foldRuns ?? (await readJson<{ foldRuns: WalkForwardFoldRef[] }>(req.walkForward.key)).foldRuns;
    return {
      kind: 'ares.run', version: 1, runId: req.runId, runKey: req.run.runKey, trigger: req.trigger, symbol: req.run.symbol, interval: req.run.interval,
      publishedBy: workerIdentity(),
      lineage: {
        dataset: { key: req.dataset.key, sha256: req.dataset.sha256, rows: req.dataset.rows },
        features: { key: req.features.key, sha256: req.features.sha256 },
        targetParams: { key: req.targets.key, params: req.targets.params, candidates: req.targets.candidates },
        config: { sha256: sha256Hex(JSON.stringify(req.run.config)), value: req.run.config },
        codeVersion: codeVersion(), seed: req.run.config.seed,
        bundle: req.governor.bundleKey, pruning: req.pruning.key, coarseSearch: req.coarse.key, finalSearch: req.finalSearch.key,
        artifacts,
      },
      stages: req.stages.map((s) => ({ ...s, ...(s.name === 'publishRun' ? { state: 'completed' } : {}) })),
      walkForwardFolds: foldRuns.map((f) => ({ fold: f.fold, worker: f.worker, attempt: f.attempt, trainRows: f.trainRows, testRows: f.testRows, balancedAccuracy: f.balancedAccuracy })),
      metrics: { governorTest: req.governor.scores.governor, outOfSample: req.walkForward.metrics, folds: req.walkForward.folds, stability: req.walkForward.stability, oracle: req.walkForward.oracle, monteCarlo: req.monteCarlo },
      walkForward: req.walkForward,
      decision,
      report: reportKey,
    };
  }

  /** The oracle of a synthetic market with a hidden state, over the out-of-sample bars (null for real data). */
  function oracleOf(collect: CollectRequest | undefined, from: number, to: number, run: GovernorRun): WalkForwardRef['oracle'] {
    if (!collect || collect.source !== 'synthetic') return null;
    const req = parseCollectRequest(collect);
    if (req.source !== 'synthetic') return null;
    const market = generateSyntheticMarket(syntheticMarketOptionsOf(req));
    const o = oracleStrategy(market, { feeBps: run.config.validation.backtest.feeBps, slippageBps: run.config.validation.backtest.slippageBps });
    const net = performanceMetrics(o.netReturns.subarray(from, to), { periodsPerYear: o.periodsPerYear });
    const gross = performanceMetrics(o.grossReturns.subarray(from, to), { periodsPerYear: o.periodsPerYear });
    return { sharpe: net.sharpe, sharpeGross: gross.sharpe };
  }
}

/** The JSON-safe headline metrics (numbers; NaN and ±Infinity become null). */
function summary(m: PerformanceMetrics): MetricsSummary {
  const out: MetricsSummary = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number') out[k] = Number.isFinite(v) ? v : null;
  return out;
}

function barOf(m: MarketBars, time: number): number {
  const i = m.index.get(time);
  if (i === undefined) throw new InvalidInputError(`no bar opens at ${new Date(time).toISOString()} in the dataset (a feature row's time)`);
  return i;
}

function decisionValue(d: GovernorDecision): number {
  return d === 'BUY' ? 1 : d === 'SELL' ? -1 : 0;
}

function countTrials(s: SearchRef, names: string[], phase: string): number {
  return Math.max(Object.keys(s.best).length, names.filter((n) => n.startsWith(`${phase}/`)).length);
}

/** Trials' returns (equal lengths) as the row-major T × N matrix of the PBO. */
function matrixOf(series: Float64Array[]): { rows: number; trials: number; values: Float64Array } {
  const rows = series[0]!.length;
  const trials = series.length;
  const values = new Float64Array(rows * trials);
  series.forEach((s, n) => s.forEach((v, t) => (values[t * trials + n] = v)));
  return { rows, trials, values };
}

/**
 * Funding events of a perpetual (when the dataset has funding): Binance settles every 8 h at
 * 00:00, 08:00 and 16:00 UTC; the bar whose close first passes a settlement carries the as-of rate.
 */
function fundingEvents(input: FeatureInput, bars: BacktestBars): { funding?: { time: Float64Array; rate: Float64Array } } {
  const rate = input.columns.fundingRate;
  if (!rate) return {};
  const period = 8 * 3_600_000;
  const time: number[] = [];
  const value: number[] = [];
  for (let i = 1; i < bars.closeTime.length; i++) {
    const settled = Math.floor(bars.closeTime[i]! / period);
    if (settled > Math.floor(bars.closeTime[i - 1]! / period) && Number.isFinite(rate[i]!)) {
      time.push(settled * period);
      value.push(rate[i]!);
    }
  }
  return time.length ? { funding: { time: Float64Array.from(time), rate: Float64Array.from(value) } } : {};
}

function float64Bytes(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function readFloat64(bytes: Uint8Array): Float64Array {
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
