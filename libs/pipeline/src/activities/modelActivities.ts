import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { ArtifactNotFoundError, InvalidInputError, joinKey, sha256Hex, type ArtifactStore } from '@ares/data';
import type { FeatureManifest } from '@ares/features';
import {
  applyRegularization,
  argmaxRows,
  codeVersion,
  createModel,
  evaluate,
  labelsToClasses,
  loadModel,
  loadTrainingData,
  parseModelType,
  parseRegularization,
  prepareTrainingFold,
  saveBundle,
  selectRows,
  StandardScaler,
  type RegularizationConfig,
  type SavedModel,
  type TrainingData,
  type TrainingSet,
} from '@ares/models';
import { chronologicalSplit, DEFAULT_SEARCH_SPACES, randomSearchPlan } from '@ares/validation';
import type { ModelRunSpec, SplitSummary, TrainedModelRef, TrialResult } from '../contracts';
import { purgedCvScores } from './crossValidation';
import { withWorkspace } from './withWorkspace';

/** The trainModel workflow's activities over injected dependencies. */
export function createModelActivities(deps: { store: ArtifactStore }) {
  const { store } = deps;

  /**
   * Validates the request (model type, regularization section: a bad one is an InvalidInputError,
   * so the activity fails non-retryably before any data is read), then loads the labelled features
   * and splits them chronologically (purging labels that reach into later segments).
   */
  async function prepare(spec: ModelRunSpec, tmp: string): Promise<{ data: TrainingData; rows: { train: Int32Array; valid: Int32Array; test: Int32Array }; manifest: FeatureManifest; purged: number; regularization: RegularizationConfig }> {
    parseModelType(spec.model);
    const regularization = parseRegularization(spec.regularization);
    const manifest = JSON.parse(Buffer.from(await store.get(spec.features.key)).toString()) as FeatureManifest;
    const path = join(tmp, 'features.parquet');
    await store.getFile(manifest.file.key, path);
    const data = await loadTrainingData(path, spec.columns?.length ? { features: spec.columns } : {});
    const split = chronologicalSplit(data.x.rows, { trainRatio: spec.trainRatio, valRatio: spec.valRatio, times: data.times, t1: data.t1 });
    return { data, rows: split.rows, manifest, purged: split.purged.length, regularization };
  }

  return {
    /** Load and split: validates the request and reports the split (the data stays in the artifact store). */
    async loadAndSplit(spec: ModelRunSpec): Promise<SplitSummary> {
      return withWorkspace(async (tmp) => {
        const { data, rows, purged } = await prepare(spec, tmp);
        for (const [name, r] of Object.entries(rows)) if (r.length === 0) throw new InvalidInputError(`the ${name} split is empty after cleaning (${data.x.rows} rows)`);
        return {
          columns: data.x.columns.length, rowsRead: data.rowsRead, dropped: data.dropped, purged,
          train: rows.train.length, valid: rows.valid.length, test: rows.test.length,
          from: data.times[0]!, to: data.times[data.times.length - 1]!,
        };
      });
    },

    /** The seeded trials of the randomized search (computed here: workflow code stays free of libraries). */
    async planTrials(req: { model: string; trials: number; seed: number; space?: Record<string, unknown> }): Promise<Record<string, string | number | boolean>[]> {
      return withWorkspace(async () => randomSearchPlan((req.space ?? DEFAULT_SEARCH_SPACES[parseModelType(req.model) as keyof typeof DEFAULT_SEARCH_SPACES]) as never, req.trials, req.seed));
    },

    /**
     * One trial: purged K-fold CV over the TRAINING rows only (label intervals purged, embargo after
     * each test fold); scaler and sampler fitted inside each training fold; the selected metric averaged.
     */
    async runTrial(req: { spec: ModelRunSpec; params: Record<string, unknown>; trial: number }): Promise<TrialResult> {
      return withWorkspace(async (tmp, progress) => {
        const { data, rows, regularization } = await prepare(req.spec, tmp);
        const options = modelOptions(req.spec, req.params, regularization);
        const scores = await purgedCvScores({ x: data.x, y: labelsToClasses(data.labels) }, data.times, data.t1, rows.train, req.spec.model, options, { earlyStoppingShare: 0,
          folds: req.spec.tuning.folds, embargo: 0.01, metric: req.spec.tuning.metric, seed: req.spec.seed, balance: req.spec.balance,
          signal: Context.current().cancellationSignal,
          onFold: (fold) => progress({ trial: req.trial, fold }),
        });
        const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
        const result: TrialResult = { trial: req.trial, params: req.params, scores, mean };
        await store.put(joinKey(runPrefix(req.spec), 'trials', `trial-${String(req.trial).padStart(3, '0')}.json`), JSON.stringify(result, null, 2));
        return result;
      });
    },

    /**
     * Train on the training rows (early stopping on the chronologically later validation rows);
     * stage the native files. The fit heartbeats where it stands (the LSTM after every batch), and
     * the LSTM checkpoints every epoch under the run's prefix: a retried attempt resumes there.
     */
    async trainModel(req: { spec: ModelRunSpec; params: Record<string, unknown> }): Promise<TrainedModelRef> {
      return withWorkspace(async (tmp, progress) => {
        const { data, rows, regularization } = await prepare(req.spec, tmp);
        const options = modelOptions(req.spec, req.params, regularization);
        const prepared = prepareTrainingFold(subset(data, rows.train), subset(data, rows.valid), { scale: true, balance: req.spec.balance, seed: req.spec.seed });
        const model = await createModel(req.spec.model, { ...options, seed: req.spec.seed });
        const checkpointKey = joinKey(runPrefix(req.spec), 'checkpoints', `train-${sha256Hex(JSON.stringify(options)).slice(0, 12)}.ckpt`);
        try {
          const report = await model.fit(prepared.train, prepared.valid, {
            signal: Context.current().cancellationSignal,
            heartbeat: (details) => progress({ stage: 'fit', attempt: Context.current().info.attempt, ...details }),
            checkpoint: {
              load: () => store.get(checkpointKey).catch((err: unknown) => (err instanceof ArtifactNotFoundError ? undefined : Promise.reject(err))),
              save: async (bytes) => void (await store.put(checkpointKey, bytes)),
            },
          });
          const saved = model.save();
          const prefix = runPrefix(req.spec);
          const staged = await store.put(joinKey(prefix, 'staged.json'), JSON.stringify({
            saved: { ...saved, files: Object.fromEntries(Object.entries(saved.files).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) },
            scaler: prepared.scaler?.toJSON() ?? null, params: options, regularization, report, columns: data.x.columns,
          }));
          return { stagedKey: staged.key, modelKey: modelKey(req.spec), bestIteration: report.bestIteration, iterations: report.iterations };
        } finally {
          model.dispose();
        }
      });
    },

    /** Evaluate the staged model on the held-out chronological test rows. */
    async evaluateModel(req: { spec: ModelRunSpec; trained: TrainedModelRef }): Promise<{ metricsKey: string; accuracy: number; macroF1: number; logLoss: number; testRows: number; balancedAccuracy: number; predictedCounts: number[] }> {
      return withWorkspace(async (tmp) => {
        const { data, rows } = await prepare(req.spec, tmp);
        const { model, scaler } = await loadStaged(store, req.trained.stagedKey);
        try {
          const test = subset(data, rows.test);
          const x = scaler ? scaler.transform(test.x) : test.x;
          const proba = await model.predictProba(x);
          const report = evaluate(test.y, proba);
          const key = joinKey(runPrefix(req.spec), 'metrics.json');
          await store.put(key, JSON.stringify({ ...report, predictions: { times: Array.from(rows.test, (i) => data.times[i]!), yTrue: Array.from(test.y), proba: Array.from(proba), yPred: Array.from(argmaxRows(proba)) } }));
          const predictedCounts = [0, 0, 0];
          for (const c of argmaxRows(proba)) if (c >= 0 && c < 3) predictedCounts[c]! += 1;
          return { metricsKey: key, accuracy: report.accuracy, macroF1: report.macroF1, logLoss: report.logLoss, testRows: report.rows, balancedAccuracy: report.balancedAccuracy, predictedCounts };
        } finally {
          model.dispose();
        }
      });
    },

    /** Save: writes the bundle's manifest (with metrics and lineage) after its files. */
    async saveModel(req: { spec: ModelRunSpec; trained: TrainedModelRef; metricsKey: string }): Promise<{ bundleKey: string; codeVersion: string }> {
      return withWorkspace(async () => {
        const staged = JSON.parse(Buffer.from(await store.get(req.trained.stagedKey)).toString());
        const saved = decodeSaved(staged.saved);
        const metrics = JSON.parse(Buffer.from(await store.get(req.metricsKey)).toString());
        delete metrics.predictions;
        const { key } = await saveBundle(store, saved, {
          modelKey: req.trained.modelKey,
          type: parseModelType(req.spec.model),
          symbol: req.spec.symbol,
          interval: req.spec.interval as never,
          features: { original: staged.columns, processed: staged.columns },
          labelMap: { '-1': 0, '0': 1, '1': 2 },
          params: staged.params,
          regularization: parseRegularization(staged.regularization ?? req.spec.regularization),
          sequenceLength: typeof (saved.state as { options?: { sequenceLength?: number } }).options?.sequenceLength === 'number' ? (saved.state as { options: { sequenceLength: number } }).options.sequenceLength : null,
          scaler: staged.scaler ?? null,
          trainingDataHash: sha256Hex(JSON.stringify({ features: req.spec.features.sha256, columns: staged.columns, trainRatio: req.spec.trainRatio, valRatio: req.spec.valRatio })),
          metrics,
          seed: req.spec.seed,
          codeVersion: codeVersion(),
          lineage: { features: req.spec.features, staged: req.trained.stagedKey, metrics: req.metricsKey },
        });
        return { bundleKey: key, codeVersion: codeVersion() };
      });
    },
  };
}

/** The model's options: fixed params under the trial's, then the regularization section over both (it wins). */
function modelOptions(spec: ModelRunSpec, trialParams: Record<string, unknown>, regularization: RegularizationConfig): Record<string, unknown> {
  return applyRegularization(spec.model, { ...spec.params, ...trialParams }, regularization);
}

/** Where a run's model artifacts go: the bundle prefix plus staging, trials and metrics. */
function runPrefix(spec: ModelRunSpec): string {
  return joinKey('models', spec.symbol, spec.interval, modelKey(spec));
}

/** Content-derived model key: the same request on the same data trains into the same place. */
function modelKey(spec: ModelRunSpec): string {
  const { trigger: _t, ...rest } = spec as ModelRunSpec & { trigger?: unknown };
  return `${spec.model}-${sha256Hex(JSON.stringify(rest)).slice(0, 12)}`;
}

/** The rows `idx` of the data as a TrainingSet (labels −1/0/1 as class indices). */
function subset(data: TrainingData, idx: Int32Array): TrainingSet {
  return selectRows({ x: data.x, y: labelsToClasses(data.labels) }, idx);
}

function decodeSaved(s: Omit<SavedModel, 'files'> & { files: Record<string, string> }): SavedModel {
  return { ...s, files: Object.fromEntries(Object.entries(s.files).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])) };
}

async function loadStaged(store: ArtifactStore, key: string) {
  const staged = JSON.parse(Buffer.from(await store.get(key)).toString());
  const model = await loadModel(decodeSaved(staged.saved));
  return { model, scaler: staged.scaler ? StandardScaler.fromJSON(staged.scaler) : null };
}

