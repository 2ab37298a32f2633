import { readFileSync } from 'node:fs';
import koffi from 'koffi';
import { LightGBMError } from './errors';

/** An opaque LightGBM handle (DatasetHandle / BoosterHandle) as koffi returns it. */
export type NativeHandle = unknown;

// c_api.h constants.
const C_API_DTYPE_FLOAT32 = 0;
const C_API_PREDICT_NORMAL = 0;
/** Features as rows of a row-major matrix (is_row_major = 1). */
const ROW_MAJOR = 1;
/** First guess for the model text buffer; LGBM_BoosterSaveModelToString reports the real size. */
const MODEL_BUFFER_GUESS = 1 << 22;
/** omp_pause_soft in omp.h. */
const OMP_PAUSE_SOFT = 1;

/** One instance per thread and library path; koffi functions cannot cross threads. */
const openLibraries = new Map<string, LightGBMLibrary>();

/**
 * The LightGBM C API (c_api.h, 4.x) through koffi, one method per call. Every call is checked:
 * a -1 return becomes a LightGBMError naming the call with LightGBM's own message.
 *
 * LGBM_GetLastError is thread-local in LightGBM, so all calls here are synchronous: the message
 * is read on the thread that made the failing call. Large inputs (matrices, model text) go in as
 * typed arrays / Buffers, which koffi passes as pointers without copying.
 */
export class LightGBMLibrary {
  private readonly fn: ReturnType<typeof declare>;
  private readonly pauseOpenMP: ((kind: number) => number) | null;

  private constructor(readonly path: string) {
    this.fn = declare(loadLibrary(path));
    this.pauseOpenMP = openMPPause();
  }

  /** The library at `path`, loaded once per thread. */
  static open(path: string): LightGBMLibrary {
    let lib = openLibraries.get(path);
    if (!lib) {
      lib = new LightGBMLibrary(path);
      openLibraries.set(path, lib);
    }
    return lib;
  }

  /** LGBM_DatasetCreateFromMat on a row-major float32 matrix; `reference` aligns bins with the training set. */
  datasetFromMatrix(data: Float32Array, rows: number, cols: number, params: string, reference: NativeHandle = null): NativeHandle {
    const out: NativeHandle[] = [null];
    this.check('LGBM_DatasetCreateFromMat', this.fn.datasetCreateFromMat(data, C_API_DTYPE_FLOAT32, rows, cols, ROW_MAJOR, params, reference, out));
    return out[0];
  }

  /** LGBM_DatasetSetField for the float32 fields ('label', 'weight'). */
  datasetSetField(dataset: NativeHandle, field: 'label' | 'weight', values: Float32Array): void {
    this.check(`LGBM_DatasetSetField(${field})`, this.fn.datasetSetField(dataset, field, values, values.length, C_API_DTYPE_FLOAT32));
  }

  datasetFree(dataset: NativeHandle): void {
    this.check('LGBM_DatasetFree', this.fn.datasetFree(dataset));
  }

  boosterCreate(train: NativeHandle, params: string): NativeHandle {
    const out: NativeHandle[] = [null];
    this.check('LGBM_BoosterCreate', this.fn.boosterCreate(train, params, out));
    return out[0];
  }

  boosterAddValidData(booster: NativeHandle, valid: NativeHandle): void {
    this.check('LGBM_BoosterAddValidData', this.fn.boosterAddValidData(booster, valid));
  }

  /** One boosting round; true when LightGBM could not split any more (the round is then not kept). */
  boosterUpdateOneIter(booster: NativeHandle): boolean {
    const finished = [0];
    this.check('LGBM_BoosterUpdateOneIter', this.fn.boosterUpdateOneIter(booster, finished));
    return finished[0] === 1;
  }

  boosterGetEvalCounts(booster: NativeHandle): number {
    const out = [0];
    this.check('LGBM_BoosterGetEvalCounts', this.fn.boosterGetEvalCounts(booster, out));
    return out[0]!;
  }

  /** The metrics on data set `dataIndex` (0 = training, 1 = first validation set), in metric order. */
  boosterGetEval(booster: NativeHandle, dataIndex: number, metricCount: number): Float64Array {
    const out = new Float64Array(metricCount);
    const len = [0];
    this.check('LGBM_BoosterGetEval', this.fn.boosterGetEval(booster, dataIndex, len, out));
    return out.subarray(0, len[0]!);
  }

  /** The model text of iterations [0, numIteration) (numIteration ≤ 0: all), split-count importance in the header. */
  boosterSaveModelToString(booster: NativeHandle, numIteration: number): string {
    let buf = Buffer.alloc(MODEL_BUFFER_GUESS);
    const len = [0];
    this.check('LGBM_BoosterSaveModelToString', this.fn.boosterSaveModelToString(booster, 0, numIteration, 0, buf.length, len, buf));
    if (Number(len[0]) > buf.length) {
      buf = Buffer.alloc(Number(len[0]));
      this.check('LGBM_BoosterSaveModelToString', this.fn.boosterSaveModelToString(booster, 0, numIteration, 0, buf.length, len, buf));
    }
    return buf.toString('utf8', 0, Number(len[0]) - 1); // out_len counts the NUL
  }

  /** LGBM_BoosterLoadModelFromString: a booster handle and the number of iterations in the text. */
  boosterLoadModelFromString(modelText: string): { booster: NativeHandle; iterations: number } {
    const out: NativeHandle[] = [null];
    const iterations = [0];
    // A NUL-terminated Buffer rather than a JS string: koffi copies strings into a small call heap.
    const text = Buffer.from(`${modelText}\0`, 'utf8');
    this.check('LGBM_BoosterLoadModelFromString', this.fn.boosterLoadModelFromString(text, iterations, out));
    return { booster: out[0], iterations: iterations[0]! };
  }

  boosterNumFeature(booster: NativeHandle): number {
    const out = [0];
    this.check('LGBM_BoosterGetNumFeature', this.fn.boosterGetNumFeature(booster, out));
    return out[0]!;
  }

  boosterNumClasses(booster: NativeHandle): number {
    const out = [0];
    this.check('LGBM_BoosterGetNumClasses', this.fn.boosterGetNumClasses(booster, out));
    return out[0]!;
  }

  /**
   * C_API_PREDICT_NORMAL (class probabilities for multiclass) for a row-major float32 matrix into
   * `out` (rows × numClass), using iterations [0, numIteration) (≤ 0: all).
   */
  boosterPredictForMatrix(booster: NativeHandle, data: Float32Array, rows: number, cols: number, numIteration: number, params: string, out: Float64Array): void {
    const len = [0];
    this.check(
      'LGBM_BoosterPredictForMat',
      this.fn.boosterPredictForMat(booster, data, C_API_DTYPE_FLOAT32, rows, cols, ROW_MAJOR, C_API_PREDICT_NORMAL, 0, numIteration, params, len, out),
    );
    if (Number(len[0]) !== out.length) throw new LightGBMError('LGBM_BoosterPredictForMat', `returned ${len[0]} values; expected ${out.length}`);
  }

  /** Per-feature importance: type 0 = split counts, 1 = total gain; numIteration ≤ 0: all iterations. */
  boosterFeatureImportance(booster: NativeHandle, numIteration: number, importanceType: 0 | 1, numFeatures: number): Float64Array {
    const out = new Float64Array(numFeatures);
    this.check('LGBM_BoosterFeatureImportance', this.fn.boosterFeatureImportance(booster, numIteration, importanceType, out));
    return out;
  }

  boosterFree(booster: NativeHandle): void {
    this.check('LGBM_BoosterFree', this.fn.boosterFree(booster));
  }

  /**
   * Ends the calling thread's idle OpenMP threads (libgomp's omp_pause_resource_all, soft), so that
   * they stop counting against the CPUs. libgomp shortens its barrier spinning for every team in
   * the process once it manages more threads than there are CPUs; after a prediction on the main
   * thread, its parked pool would otherwise slow every later training in a worker (by about 20 %
   * on 2 cores with num_threads 2). Only the calling thread's pool is touched. No-op when the
   * OpenMP runtime is not libgomp.
   */
  releaseOpenMPThreads(): void {
    this.pauseOpenMP?.(OMP_PAUSE_SOFT);
  }

  private check(call: string, rc: number): void {
    if (rc !== 0) throw new LightGBMError(call, String(this.fn.getLastError()));
  }
}

function declare(lib: koffi.IKoffiLib) {
  return {
    getLastError: lib.func('const char *LGBM_GetLastError()'),
    datasetCreateFromMat: lib.func(
      'int LGBM_DatasetCreateFromMat(const void *data, int data_type, int32_t nrow, int32_t ncol, int is_row_major, const char *parameters, void *reference, _Out_ void **out)',
    ),
    datasetSetField: lib.func('int LGBM_DatasetSetField(void *handle, const char *field_name, const void *field_data, int num_element, int type)'),
    datasetFree: lib.func('int LGBM_DatasetFree(void *handle)'),
    boosterCreate: lib.func('int LGBM_BoosterCreate(void *train_data, const char *parameters, _Out_ void **out)'),
    boosterAddValidData: lib.func('int LGBM_BoosterAddValidData(void *handle, void *valid_data)'),
    boosterUpdateOneIter: lib.func('int LGBM_BoosterUpdateOneIter(void *handle, _Out_ int *is_finished)'),
    boosterGetEvalCounts: lib.func('int LGBM_BoosterGetEvalCounts(void *handle, _Out_ int *out_len)'),
    boosterGetEval: lib.func('int LGBM_BoosterGetEval(void *handle, int data_idx, _Out_ int *out_len, double *out_results)'),
    boosterSaveModelToString: lib.func(
      'int LGBM_BoosterSaveModelToString(void *handle, int start_iteration, int num_iteration, int feature_importance_type, int64_t buffer_len, _Out_ int64_t *out_len, void *out_str)',
    ),
    boosterLoadModelFromString: lib.func('int LGBM_BoosterLoadModelFromString(const void *model_str, _Out_ int *out_num_iterations, _Out_ void **out)'),
    boosterGetNumFeature: lib.func('int LGBM_BoosterGetNumFeature(void *handle, _Out_ int *out_len)'),
    boosterGetNumClasses: lib.func('int LGBM_BoosterGetNumClasses(void *handle, _Out_ int *out_len)'),
    boosterPredictForMat: lib.func(
      'int LGBM_BoosterPredictForMat(void *handle, const void *data, int data_type, int32_t nrow, int32_t ncol, int is_row_major, int predict_type, int start_iteration, int num_iteration, const char *parameter, _Out_ int64_t *out_len, double *out_result)',
    ),
    boosterFeatureImportance: lib.func('int LGBM_BoosterFeatureImportance(void *handle, int num_iteration, int importance_type, double *out_results)'),
    boosterFree: lib.func('int LGBM_BoosterFree(void *handle)'),
  };
}

/** omp_pause_resource_all of the libgomp lib_lightgbm.so was linked against (found in /proc/self/maps), else null. */
function openMPPause(): ((kind: number) => number) | null {
  try {
    const path = /\s(\/\S*\/libgomp[^/\s]*\.so[^/\s]*)$/m.exec(readFileSync('/proc/self/maps', 'utf8'))?.[1];
    return path ? koffi.load(path).func('int omp_pause_resource_all(int kind)') : null;
  } catch {
    return null;
  }
}

/** koffi.load, with the path and the fix in the message (koffi's own names neither). */
function loadLibrary(path: string): koffi.IKoffiLib {
  try {
    return koffi.load(path);
  } catch (err) {
    throw new Error(`cannot load the LightGBM library ${path}: ${(err as Error).message}; run 'bash infra/install-tools.sh'`, { cause: err });
  }
}
