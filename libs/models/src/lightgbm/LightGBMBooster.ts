import { ModelStateError } from './errors';
import { LightGBMLibrary, type NativeHandle } from './LightGBMLibrary';
import { leakedHandleRegistry } from '../core/nativeHandles';

interface Held {
  lib: LightGBMLibrary;
  handle: NativeHandle;
}

/** Safety net only: a booster that was never disposed is freed when it is collected. */
const leaked = leakedHandleRegistry<Held>(({ lib, handle }) => lib.boosterFree(handle));

/**
 * A trained LightGBM booster loaded on the calling thread from model text
 * (LGBM_BoosterLoadModelFromString), for prediction and importance. `dispose()` frees the native
 * handle; a FinalizationRegistry frees forgotten ones.
 */
export class LightGBMBooster {
  private held: Held | undefined;
  /** Features the model expects per row. */
  readonly numFeatures: number;
  /** Classes (trees per round). */
  readonly numClasses: number;
  /** Rounds in the model text. */
  readonly iterations: number;

  private constructor(lib: LightGBMLibrary, handle: NativeHandle, shape: { iterations: number; numFeatures: number; numClasses: number }) {
    this.held = { lib, handle };
    leaked.register(this, this.held, this);
    this.iterations = shape.iterations;
    this.numFeatures = shape.numFeatures;
    this.numClasses = shape.numClasses;
  }

  /** Loads model text with the library at `libraryPath`; a malformed text fails with LightGBM's message. */
  static fromModelText(libraryPath: string, modelText: string): LightGBMBooster {
    const lib = LightGBMLibrary.open(libraryPath);
    let loaded;
    try {
      loaded = lib.boosterLoadModelFromString(modelText); // parses trees on an OpenMP team
    } finally {
      lib.releaseOpenMPThreads();
    }
    const { booster, iterations } = loaded;
    let shape;
    try {
      shape = { iterations, numFeatures: lib.boosterNumFeature(booster), numClasses: lib.boosterNumClasses(booster) };
    } catch (err) {
      lib.boosterFree(booster);
      throw err;
    }
    return new LightGBMBooster(lib, booster, shape);
  }

  /** Class probabilities (rows × numClasses, row-major) for a row-major float32 matrix; `params` e.g. 'num_threads=2'. */
  predict(data: Float32Array, rows: number, params: string): Float64Array {
    const { lib, handle } = this.live();
    const out = new Float64Array(rows * this.numClasses);
    try {
      lib.boosterPredictForMatrix(handle, data, rows, this.numFeatures, -1, params, out);
    } finally {
      lib.releaseOpenMPThreads();
    }
    return out;
  }

  /** Split counts or total gains per feature, over all rounds in the model text. */
  featureImportance(kind: 'gain' | 'split'): Float64Array {
    const { lib, handle } = this.live();
    return lib.boosterFeatureImportance(handle, -1, kind === 'gain' ? 1 : 0, this.numFeatures);
  }

  get disposed(): boolean {
    return this.held === undefined;
  }

  /** Frees the native booster; later calls throw ModelStateError. Idempotent. */
  dispose(): void {
    if (!this.held) return;
    const { lib, handle } = this.held;
    this.held = undefined;
    leaked.unregister(this);
    lib.boosterFree(handle);
  }

  private live(): Held {
    if (!this.held) throw new ModelStateError('the LightGBM booster has been disposed');
    return this.held;
  }
}
