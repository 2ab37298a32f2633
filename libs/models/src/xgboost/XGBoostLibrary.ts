import koffi from 'koffi';
import { XGBoostError } from './errors';

/** An opaque XGBoost handle (DMatrixHandle / BoosterHandle) as koffi returns it. */
export type NativeHandle = unknown;

/** A prediction copied out of XGBoost's thread-local buffer. */
export interface NativePrediction {
  shape: number[];
  values: Float32Array;
}

/** Feature scores as XGBoosterFeatureScore returns them: only features used in a split appear. */
export interface NativeFeatureScore {
  /** XGBoost's feature names: f0, f1, … when the booster was trained without names. */
  features: string[];
  scores: Float32Array;
}

/** XGBoosterPredictFromDMatrix's config (c_api.h): type 0 = the objective's transformed output (probabilities). */
export interface PredictConfig {
  type: 0;
  training: false;
  iteration_begin: number;
  /** Exclusive; 0 = all iterations. */
  iteration_end: number;
  strict_shape: true;
}

/** One instance per thread and library path; koffi functions cannot cross threads. */
const openLibraries = new Map<string, XGBoostLibrary>();

/**
 * The XGBoost C API (c_api.h, 3.x) through koffi, one method per call. Every call is checked: a
 * non-zero return becomes an XGBoostError naming the call with XGBoost's own message.
 *
 * XGBGetLastError and the buffers XGBoost returns (eval strings, predictions, model bytes) are
 * thread-local in XGBoost, so every call is synchronous and every result is copied into JS memory
 * before the next call on the thread. Matrices go in as typed arrays, which koffi passes as
 * pointers without copying.
 */
export class XGBoostLibrary {
  private readonly fn: ReturnType<typeof declare>;

  private constructor(readonly path: string) {
    this.fn = declare(loadLibrary(path));
  }

  /** The library at `path`, loaded once per thread. */
  static open(path: string): XGBoostLibrary {
    let lib = openLibraries.get(path);
    if (!lib) {
      lib = new XGBoostLibrary(path);
      openLibraries.set(path, lib);
    }
    return lib;
  }

  /** The loaded library's version, e.g. '3.2.0' (XGBoostVersion). */
  version(): string {
    const major = [0], minor = [0], patch = [0];
    this.fn.version(major, minor, patch);
    return `${major[0]}.${minor[0]}.${patch[0]}`;
  }

  /** XGDMatrixCreateFromMat_omp on a row-major float32 matrix; NaN marks a missing value. nthread ≤ 0: all cores. */
  dmatrixFromMatrix(data: Float32Array, rows: number, cols: number, nthread: number): NativeHandle {
    const out: NativeHandle[] = [null];
    this.check('XGDMatrixCreateFromMat_omp', this.fn.dmatrixCreateFromMat(data, rows, cols, Number.NaN, out, nthread));
    return out[0];
  }

  /** XGDMatrixSetFloatInfo for 'label' or 'weight' (one value per row). */
  dmatrixSetFloatInfo(dmatrix: NativeHandle, field: 'label' | 'weight', values: Float32Array): void {
    this.check(`XGDMatrixSetFloatInfo(${field})`, this.fn.dmatrixSetFloatInfo(dmatrix, field, values, values.length));
  }

  dmatrixFree(dmatrix: NativeHandle): void {
    this.check('XGDMatrixFree', this.fn.dmatrixFree(dmatrix));
  }

  /** XGBoosterCreate; `cache` are the DMatrices the booster keeps prediction caches for (training, validation). */
  boosterCreate(cache: readonly NativeHandle[]): NativeHandle {
    const out: NativeHandle[] = [null];
    this.check('XGBoosterCreate', this.fn.boosterCreate(cache.length > 0 ? [...cache] : null, cache.length, out));
    return out[0];
  }

  boosterFree(booster: NativeHandle): void {
    this.check('XGBoosterFree', this.fn.boosterFree(booster));
  }

  /** XGBoosterSetParam. XGBoost validates most values lazily, at the first update or prediction. */
  boosterSetParam(booster: NativeHandle, name: string, value: string): void {
    this.check(`XGBoosterSetParam(${name}=${value})`, this.fn.boosterSetParam(booster, name, value));
  }

  boosterUpdateOneIter(booster: NativeHandle, iteration: number, train: NativeHandle): void {
    this.check('XGBoosterUpdateOneIter', this.fn.boosterUpdateOneIter(booster, iteration, train));
  }

  /** XGBoosterEvalOneIter: XGBoost's line, e.g. "[3]\tvalid-mlogloss:0.82812863588333130". */
  boosterEvalOneIter(booster: NativeHandle, iteration: number, dmatrices: readonly NativeHandle[], names: readonly string[]): string {
    const out: (string | null)[] = [null];
    this.check('XGBoosterEvalOneIter', this.fn.boosterEvalOneIter(booster, iteration, [...dmatrices], [...names], dmatrices.length, out));
    return String(out[0]);
  }

  /** XGBoosterPredictFromDMatrix, copied out of XGBoost's buffer. */
  boosterPredictFromDMatrix(booster: NativeHandle, dmatrix: NativeHandle, config: PredictConfig): NativePrediction {
    const shapeOut: NativeHandle[] = [null];
    const dim = [0];
    const resultOut: NativeHandle[] = [null];
    this.check('XGBoosterPredictFromDMatrix', this.fn.boosterPredictFromDMatrix(booster, dmatrix, JSON.stringify(config), shapeOut, dim, resultOut));
    const dims = Array.from(koffi.decode(shapeOut[0], 'uint64_t', Number(dim[0])) as ArrayLike<number | bigint>, Number);
    const size = dims.reduce((a, b) => a * b, 1);
    return { shape: dims, values: new Float32Array(koffi.decode(resultOut[0], 'float', size) as Float32Array) };
  }

  /** XGBoosterSaveModelToBuffer in XGBoost's JSON format (the model only, no training configuration). */
  boosterSaveJson(booster: NativeHandle): Uint8Array {
    const len = [0];
    const out: NativeHandle[] = [null];
    this.check('XGBoosterSaveModelToBuffer', this.fn.boosterSaveModelToBuffer(booster, JSON.stringify({ format: 'json' }), len, out));
    return new Uint8Array(koffi.decode(out[0], 'uint8_t', Number(len[0])) as Uint8Array);
  }

  /** XGBoosterLoadModelFromBuffer (JSON or UBJSON model bytes). */
  boosterLoadModel(booster: NativeHandle, bytes: Uint8Array): void {
    this.check('XGBoosterLoadModelFromBuffer', this.fn.boosterLoadModelFromBuffer(booster, bytes, bytes.length));
  }

  /** XGBoosterFeatureScore for importance_type 'gain' (mean gain per split) or 'weight' (split count). */
  boosterFeatureScore(booster: NativeHandle, importanceType: 'gain' | 'weight'): NativeFeatureScore {
    const n = [0];
    const featuresOut: NativeHandle[] = [null];
    const dim = [0];
    const shapeOut: NativeHandle[] = [null];
    const scoresOut: NativeHandle[] = [null];
    const config = JSON.stringify({ importance_type: importanceType });
    this.check('XGBoosterFeatureScore', this.fn.boosterFeatureScore(booster, config, n, featuresOut, dim, shapeOut, scoresOut));
    const count = Number(n[0]);
    if (count === 0) return { features: [], scores: new Float32Array(0) };
    const features = koffi.decode(featuresOut[0], koffi.array('const char *', count)) as string[];
    return { features: [...features], scores: new Float32Array(koffi.decode(scoresOut[0], 'float', count) as Float32Array) };
  }

  /** XGBoosterBoostedRounds: boosting rounds in the model. */
  boosterBoostedRounds(booster: NativeHandle): number {
    const out = [0];
    this.check('XGBoosterBoostedRounds', this.fn.boosterBoostedRounds(booster, out));
    return out[0]!;
  }

  /** XGBoosterSlice: a new booster with the rounds [begin, end). */
  boosterSlice(booster: NativeHandle, begin: number, end: number): NativeHandle {
    const out: NativeHandle[] = [null];
    this.check(`XGBoosterSlice(${begin}, ${end})`, this.fn.boosterSlice(booster, begin, end, 1, out));
    return out[0];
  }

  private check(call: string, rc: number): void {
    if (rc !== 0) throw new XGBoostError(call, cleanMessage(String(this.fn.getLastError())));
  }
}

/**
 * XGBoost's message without the decoration it adds: the "[hh:mm:ss] /build/path/file.cc:123: "
 * prefix and the native "Stack trace:" block.
 */
export function cleanMessage(raw: string): string {
  const withoutTrace = raw.split(/\n\s*Stack trace:/)[0]!;
  return withoutTrace.replace(/^\[\d\d:\d\d:\d\d\] [^\s:]+:\d+: /, '').trim();
}

function declare(lib: koffi.IKoffiLib) {
  return {
    version: lib.func('void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)'),
    getLastError: lib.func('const char *XGBGetLastError()'),
    dmatrixCreateFromMat: lib.func(
      'int XGDMatrixCreateFromMat_omp(const float *data, uint64_t nrow, uint64_t ncol, float missing, _Out_ void **out, int nthread)',
    ),
    dmatrixSetFloatInfo: lib.func('int XGDMatrixSetFloatInfo(void *handle, const char *field, const float *array, uint64_t len)'),
    dmatrixFree: lib.func('int XGDMatrixFree(void *handle)'),
    boosterCreate: lib.func('int XGBoosterCreate(void **dmats, uint64_t len, _Out_ void **out)'),
    boosterFree: lib.func('int XGBoosterFree(void *handle)'),
    boosterSetParam: lib.func('int XGBoosterSetParam(void *handle, const char *name, const char *value)'),
    boosterUpdateOneIter: lib.func('int XGBoosterUpdateOneIter(void *handle, int iter, void *dtrain)'),
    boosterEvalOneIter: lib.func(
      'int XGBoosterEvalOneIter(void *handle, int iter, void **dmats, const char **evnames, uint64_t len, _Out_ const char **out_result)',
    ),
    boosterPredictFromDMatrix: lib.func(
      'int XGBoosterPredictFromDMatrix(void *handle, void *dmat, const char *config, _Out_ void **out_shape, _Out_ uint64_t *out_dim, _Out_ void **out_result)',
    ),
    boosterSaveModelToBuffer: lib.func('int XGBoosterSaveModelToBuffer(void *handle, const char *config, _Out_ uint64_t *out_len, _Out_ void **out_dptr)'),
    boosterLoadModelFromBuffer: lib.func('int XGBoosterLoadModelFromBuffer(void *handle, const void *buf, uint64_t len)'),
    boosterFeatureScore: lib.func(
      'int XGBoosterFeatureScore(void *handle, const char *config, _Out_ uint64_t *out_n_features, _Out_ void **out_features, _Out_ uint64_t *out_dim, _Out_ void **out_shape, _Out_ void **out_scores)',
    ),
    boosterBoostedRounds: lib.func('int XGBoosterBoostedRounds(void *handle, _Out_ int *out)'),
    boosterSlice: lib.func('int XGBoosterSlice(void *handle, int begin_layer, int end_layer, int step, _Out_ void **out)'),
  };
}

/** koffi.load, with the path and the fix in the message (koffi's own names neither). */
function loadLibrary(path: string): koffi.IKoffiLib {
  try {
    return koffi.load(path);
  } catch (err) {
    throw new Error(`cannot load the XGBoost library ${path}: ${(err as Error).message}; run 'bash infra/install-tools.sh'`, { cause: err });
  }
}
