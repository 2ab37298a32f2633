import { Rng } from '@ares/data';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { FitReport, ImportanceType, Matrix, Model, ModelFitControl, SavedModel, TrainingSet } from '../core/Model';
import { validateMatrix, validateTrainingSet } from '../preprocessing/trainingSet';
import { buildNetwork, disposeNetwork, nextSeed } from './buildNetwork';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { LstmLoadError, LstmModelStateError } from './errors';
import { loadLayersModel, saveLayersModel } from './layersArtifacts';
import { meanLogLoss } from './losses';
import { compileLstmOptions, LstmOptionsSchema, type CompiledLstmOptions, type LstmOptions } from './LstmOptions';
import { predictWindows } from './predictWindows';
import { classWeightVector, sequenceLabels, sequenceSampleWeights } from './sampleWeights';
import { selectBackend, type LstmBackendChoice } from './selectBackend';
import { requireColumns, requireFinite, requireOneSequence, sequenceEnds } from './sequences';
import { shuffledOrder, trainNetwork, type LstmEpochLog } from './trainNetwork';

export const LSTM_MODEL_TYPE = 'lstm';

/** Dependencies of an LstmModel (not saved with it). */
export interface LstmModelDeps {
  /** The TensorFlow.js backend to build and run on (process-wide). @default 'auto' (initTensorFlow's choice) */
  backend?: LstmBackendChoice;
  /** Where the backend choice and fit summaries go. @default console.info */
  log?: (line: string) => void;
  /** Called after every epoch (e.g. to heartbeat a Temporal activity). */
  onEpoch?: (log: LstmEpochLog) => void;
}

/** fit()'s report: the Model interface's fields plus the LSTM's own. */
export interface LstmFitReport extends FitReport {
  /** Always 'val_loss' (validHistory is empty without a validation set). */
  metric: 'val_loss';
  /** Per epoch: mean training loss (weighted cross-entropy + penalty). */
  trainHistory: number[];
  /** Per epoch: the learning rate used (ReduceLROnPlateau lowers it). */
  learningRates: number[];
  /** True when early stopping ended training before `epochs`. */
  stoppedEarly: boolean;
  /** Sequences trained on / validated on (rows − sequenceLength + 1 each). */
  trainSequences: number;
  validSequences: number;
  /** The TensorFlow.js backend that trained the model. */
  backend: string;
  /** Epochs restored from a checkpoint instead of trained by this call (0: a fresh fit). */
  resumedEpochs: number;
  seconds: number;
}

/** The `state` of a saved LSTM (JSON). */
export const LstmStateSchema = z.object({
  options: LstmOptionsSchema,
  /** Backend that trained the model: predictions are bit-identical only on the same backend. */
  backend: z.string(),
  sequenceLength: z.number().int().min(1),
  columns: z.array(z.string()),
  fit: z.record(z.string(), z.unknown()).optional(),
});
export type LstmState = z.output<typeof LstmStateSchema>;

/** Identifies a fit: a checkpoint resumes only the fit it was taken from (options, backend, tfjs version, and the training and validation features, labels and row weights). */
function fitFingerprint(o: CompiledLstmOptions, backend: string, train: TrainingSet, valid: TrainingSet | undefined): string {
  const h = createHash('sha256').update(JSON.stringify({ o, backend, tf: tf.version_core, train: [train.x.rows, train.x.columns], valid: valid ? [valid.x.rows] : null }));
  for (const set of valid ? [train, valid] : [train]) {
    h.update(new Uint8Array(set.x.data.buffer, set.x.data.byteOffset, set.x.data.byteLength));
    h.update(new Uint8Array(set.y.buffer, set.y.byteOffset, set.y.byteLength));
    if (set.weight) h.update(new Uint8Array(set.weight.buffer, set.weight.byteOffset, set.weight.byteLength));
  }
  return h.digest('hex');
}

/** Safety net only: a network never disposed frees its tensors when the LstmModel is collected. */
const leaked = new FinalizationRegistry<tf.LayersModel>((network) => {
  try {
    disposeNetwork(network);
  } catch {
    // Nothing to report to at collection time.
  }
});

/**
 * The classic trainer's LSTM classifier on TensorFlow.js (type key 'lstm'): stacked LSTM layers
 * over windows of `sequenceLength` bars, dropout, a softmax over the 3 classes, class weights,
 * early stopping with best-weight restore and ReduceLROnPlateau.
 *
 * Conventions (see README.md in this folder):
 * - inputs are scaled, chronological rows; the sample for row i is rows [i − L + 1 .. i], labelled
 *   y[i], and its prediction is aligned to row i (the window's last bar);
 * - predictProba returns rows × 3 with NaN for the first L − 1 rows (no full window) and for rows
 *   whose window holds a NaN/±Inf value: callers drop them;
 * - validation sequences are built from the validation rows only (its first L − 1 rows start no
 *   sample): no training row reaches the validation loss.
 */
export class LstmModel implements Model {
  readonly type = LSTM_MODEL_TYPE;
  private network: tf.LayersModel | undefined;
  private columns: readonly string[] | undefined;
  private saved: SavedModel | undefined;
  private report: LstmFitReport | undefined;
  private disposed = false;

  private constructor(
    readonly options: CompiledLstmOptions,
    /** The TensorFlow.js backend this model runs on. */
    readonly backend: string,
    private readonly deps: Required<Pick<LstmModelDeps, 'log'>> & Pick<LstmModelDeps, 'onEpoch'>,
  ) {}

  /** Compiles the options (throws on bad ones), initialises TensorFlow.js and logs the backend in use. */
  static async create(options: LstmOptions = {}, deps: LstmModelDeps = {}): Promise<LstmModel> {
    const compiled = compileLstmOptions(options);
    const log = deps.log ?? ((line: string) => console.info(line));
    const { backend, notes } = await selectBackend(deps.backend ?? 'auto');
    log(`LSTM: TensorFlow.js ${tf.version_core} on backend '${backend}'${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
    return new LstmModel(compiled, backend, { log, ...(deps.onEpoch ? { onEpoch: deps.onEpoch } : {}) });
  }

  /** Restores a saved model (files through tf.io.fromMemory); warns when the current backend differs from the one that trained it. */
  static async load(saved: SavedModel, deps: LstmModelDeps = {}): Promise<LstmModel> {
    if (saved.type !== LSTM_MODEL_TYPE) throw new LstmLoadError(`cannot load a '${saved.type}' model as an LSTM`);
    const parsed = LstmStateSchema.safeParse(saved.state);
    if (!parsed.success) throw new LstmLoadError(`saved LSTM state is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const state = parsed.data;
    const model = await LstmModel.create(state.options, deps);
    if (model.backend !== state.backend) {
      model.deps.log(`LSTM: trained on backend '${state.backend}', loaded on '${model.backend}': predictions may differ in the last float32 bits`);
    }
    model.attach(await loadLayersModel(saved.files), state.columns);
    model.saved = { ...saved, files: { ...saved.files }, state: { ...saved.state } };
    return model;
  }

  /**
   * Trains on `train`'s sequences; with `valid`, early-stops on the validation loss (sequences of
   * the validation rows only) and keeps the best epoch. Training features must be finite.
   *
   * Control: `signal` cancels between batches (TrainingCancelledError); `heartbeat` gets the
   * epoch, batch and losses after every batch; with `checkpoint`, the training state is saved
   * after every epoch and a fit of the same data, options and backend resumes from the last one,
   * reproducing the uninterrupted fit bit for bit. Between batches the event loop gets a turn, so
   * timers (heartbeats) run while a fit goes on.
   */
  async fit(train: TrainingSet, valid?: TrainingSet, control: ModelFitControl = {}): Promise<LstmFitReport> {
    this.requireUsable();
    if (this.network !== undefined) throw new LstmModelStateError('this LSTM is already trained (or loaded); create a new LstmModel to train again');
    const o = this.options;
    const L = o.sequenceLength;
    validateTrainingSet(train, 'train');
    requireOneSequence(train.x, L, 'train');
    requireFinite(train.x, 'train');
    if (valid !== undefined) {
      validateTrainingSet(valid, 'valid');
      requireColumns(valid.x, train.x.columns, 'valid');
      requireOneSequence(valid.x, L, 'valid');
      requireFinite(valid.x, 'valid');
    }
    const started = performance.now();
    const ends = sequenceEnds(train.x.rows, L);
    const labels = sequenceLabels(train.y, ends);
    const weights = sequenceSampleWeights(labels, ends, train.weight, classWeightVector(o.classWeight, labels));
    const validRows = valid === undefined ? undefined : sequenceEnds(valid.x.rows, L);

    const fingerprint = fitFingerprint(o, this.backend, train, valid);
    const saved = await control.checkpoint?.load();
    const resume = saved === undefined ? undefined : decodeCheckpoint(saved, fingerprint);
    if (saved !== undefined && resume === undefined) this.deps.log('LSTM: the stored checkpoint belongs to another fit (data, options or backend differ): training from epoch 1');
    const master = new Rng(o.seed);
    const initRng = new Rng(nextSeed(master));
    let shuffleRng = new Rng(nextSeed(master));
    let dropoutRng = new Rng(nextSeed(master));
    if (resume !== undefined) {
      shuffleRng = Rng.fromState(resume.shuffleRng);
      dropoutRng = Rng.fromState(resume.dropoutRng);
    }
    const network = buildNetwork(o, train.x.cols, initRng, dropoutRng);
    this.attach(network, [...train.x.columns]);
    this.deps.log(`LSTM: training ${ends.length} sequences of ${L} × ${train.x.cols}${validRows ? `, validating on ${validRows.length}` : ''}, units ${JSON.stringify(o.units)}, backend '${this.backend}'${resume ? `, resuming after epoch ${resume.epoch}` : ''}`);

    const { heartbeat, checkpoint, signal } = control;
    const outcome = await trainNetwork(network, { x: train.x, ends, labels, weights }, o, { shuffle: shuffleRng, dropout: dropoutRng }, {
      ...(valid && validRows ? { validLoss: async () => meanLogLoss(await predictWindows(network, valid.x, L, signal), valid.y, validRows, valid.weight) } : {}),
      ...(this.deps.onEpoch ? { onEpoch: this.deps.onEpoch } : {}),
      ...(heartbeat ? { onBatch: (p) => heartbeat({ ...p, ...(resume ? { resumedAfterEpoch: resume.epoch } : {}) }) } : {}),
      ...(signal ? { signal } : {}),
      ...(resume ? { resume } : {}),
      ...(checkpoint ? { checkpoint: (state) => checkpoint.save(encodeCheckpoint(state, fingerprint)) } : {}),
    });
    const report: LstmFitReport = {
      bestIteration: outcome.keptEpoch,
      iterations: outcome.epochs.length,
      validHistory: outcome.epochs.flatMap((e) => (e.validLoss === undefined ? [] : [e.validLoss])),
      metric: 'val_loss',
      trainHistory: outcome.epochs.map((e) => e.trainLoss),
      learningRates: outcome.epochs.map((e) => e.learningRate),
      stoppedEarly: outcome.stoppedEarly,
      trainSequences: ends.length,
      validSequences: validRows?.length ?? 0,
      backend: this.backend,
      resumedEpochs: resume?.epoch ?? 0,
      seconds: (performance.now() - started) / 1000,
    };
    this.report = report;
    this.saved = await this.serialise(report);
    this.deps.log(`LSTM: ${report.iterations} epochs in ${report.seconds.toFixed(1)} s, kept epoch ${report.bestIteration}${report.validHistory.length > 0 ? ` (val_loss ${report.validHistory[report.bestIteration - 1]?.toFixed(4)})` : ''}`);
    return report;
  }

  /**
   * Class probabilities, rows × 3 row-major, aligned to each window's last row. The first
   * sequenceLength − 1 rows, and rows whose window holds NaN/±Inf, are NaN (callers drop them).
   * `x` must have the training columns in order.
   */
  async predictProba(x: Matrix): Promise<Float64Array> {
    const { network, columns } = this.trained();
    validateMatrix(x, 'x');
    requireColumns(x, columns, 'x');
    return predictWindows(network, x, this.options.sequenceLength);
  }

  /**
   * An LSTM has no native importance ('gain'/'split' are tree notions): returns NaN per column,
   * which the bundle layer skips. For a measured importance on data of your choice, see
   * permutationImportance.
   */
  featureImportance(_kind: ImportanceType): Float64Array {
    return new Float64Array(this.trained().columns.length).fill(Number.NaN);
  }

  /**
   * Permutation importance on `set` (best a held-out window): per column, the mean increase of the
   * log loss over `repeats` random permutations of that column's values across rows. Costs
   * columns × repeats predictions of `set`, so pass a sample (a few thousand rows), not a history.
   * @param seed seeds the permutations. @default 0
   * @param repeats permutations per column. @default 1
   */
  async permutationImportance(set: TrainingSet, { seed = 0, repeats = 1 }: { seed?: number; repeats?: number } = {}): Promise<Float64Array> {
    const { columns } = this.trained();
    validateTrainingSet(set, 'set');
    requireColumns(set.x, columns, 'set');
    requireOneSequence(set.x, this.options.sequenceLength, 'set');
    requireFinite(set.x, 'set');
    const rows = sequenceEnds(set.x.rows, this.options.sequenceLength);
    const loss = async (x: Matrix): Promise<number> => meanLogLoss(await this.predictProba(x), set.y, rows, set.weight);
    const baseline = await loss(set.x);
    const rng = new Rng(seed);
    const out = new Float64Array(set.x.cols);
    const data = new Float32Array(set.x.data.length);
    for (let c = 0; c < set.x.cols; c++) {
      for (let rep = 0; rep < repeats; rep++) {
        data.set(set.x.data);
        const order = shuffledOrder(set.x.rows, rng);
        for (let r = 0; r < set.x.rows; r++) data[r * set.x.cols + c] = set.x.data[order[r]! * set.x.cols + c]!;
        out[c]! += ((await loss({ ...set.x, data })) - baseline) / repeats;
      }
    }
    return out;
  }

  /** The saved form: files model.json + weights.bin (tfjs layers format), state and library (with the backend). */
  save(): SavedModel {
    this.trained();
    const saved = this.saved!;
    return { ...saved, library: { ...saved.library }, files: { ...saved.files }, state: structuredClone(saved.state) };
  }

  /** The report of fit(), or undefined for a loaded model. */
  get fitReport(): LstmFitReport | undefined {
    return this.report;
  }

  /** Frees the network's tensors. Idempotent; later calls throw LstmModelStateError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.network !== undefined) {
      leaked.unregister(this);
      disposeNetwork(this.network);
      this.network = undefined;
    }
  }

  private attach(network: tf.LayersModel, columns: readonly string[]): void {
    this.network = network;
    this.columns = columns;
    leaked.register(this, network, this);
  }

  private async serialise(report: LstmFitReport): Promise<SavedModel> {
    const files = await saveLayersModel(this.network!);
    const { seconds: _seconds, ...fit } = report;
    const state: LstmState = { options: this.options, backend: this.backend, sequenceLength: this.options.sequenceLength, columns: [...this.columns!], fit };
    // library.backend goes beyond SavedModel's { name, version }: the bundle keeps the extra field.
    const library = { name: '@tensorflow/tfjs', version: tf.version_core, backend: this.backend };
    return { type: LSTM_MODEL_TYPE, library, files: { ...files }, state };
  }

  private requireUsable(): void {
    if (this.disposed) throw new LstmModelStateError('this LSTM has been disposed');
    if (tf.getBackend() !== this.backend) {
      throw new LstmModelStateError(`this LSTM runs on TensorFlow.js backend '${this.backend}' but the active backend is '${tf.getBackend()}' (tfjs has one per process)`);
    }
  }

  private trained(): { network: tf.LayersModel; columns: readonly string[] } {
    this.requireUsable();
    if (this.network === undefined || this.columns === undefined) throw new LstmModelStateError('this LSTM is not trained yet: call fit() first (or LstmModel.load)');
    return { network: this.network, columns: this.columns };
  }
}
