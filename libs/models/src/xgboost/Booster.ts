import { ModelStateError } from './errors';
import type { DMatrix } from './DMatrix';
import type { NativeFeatureScore, NativeHandle, NativePrediction, XGBoostLibrary } from './XGBoostLibrary';
import { leakedHandleRegistry } from '../core/nativeHandles';

interface Held {
  lib: XGBoostLibrary;
  handle: NativeHandle;
}

/** Safety net only: frees boosters that were dropped without dispose(). */
const registry = leakedHandleRegistry<Held>(({ lib, handle }) => lib.boosterFree(handle));

/**
 * An XGBoost booster that frees its handle in dispose(). Not shareable across threads: the
 * training worker builds its own and hands the model back as JSON bytes.
 */
export class Booster {
  private current: NativeHandle | undefined;

  private constructor(
    private readonly lib: XGBoostLibrary,
    handle: NativeHandle,
  ) {
    this.current = handle;
    registry.register(this, { lib, handle }, this);
  }

  /** A new, untrained booster caching predictions for `cache` (training and validation DMatrices). */
  static create(lib: XGBoostLibrary, cache: readonly DMatrix[]): Booster {
    return new Booster(lib, lib.boosterCreate(cache.map((d) => d.handle)));
  }

  /** A booster loaded from XGBoost model bytes (JSON or UBJSON). */
  static fromModel(lib: XGBoostLibrary, bytes: Uint8Array): Booster {
    const booster = new Booster(lib, lib.boosterCreate([]));
    try {
      lib.boosterLoadModel(booster.handle, bytes);
    } catch (err) {
      booster.dispose();
      throw err;
    }
    return booster;
  }

  /** XGBoost parameters, set in order (a later value for the same name wins). */
  setParams(params: Iterable<readonly [string, string]>): void {
    for (const [name, value] of params) this.lib.boosterSetParam(this.handle, name, value);
  }

  /** One boosting round on `train`. */
  update(iteration: number, train: DMatrix): void {
    this.lib.boosterUpdateOneIter(this.handle, iteration, train.handle);
  }

  /** XGBoost's evaluation line for the given sets after `iteration`, e.g. "[3]\tvalid-mlogloss:0.8281". */
  evaluate(iteration: number, sets: readonly { name: string; data: DMatrix }[]): string {
    return this.lib.boosterEvalOneIter(
      this.handle,
      iteration,
      sets.map((s) => s.data.handle),
      sets.map((s) => s.name),
    );
  }

  /** Transformed predictions (probabilities for multi:softprob) from rounds [0, iterationEnd); 0 = all rounds. */
  predict(data: DMatrix, iterationEnd: number): NativePrediction {
    return this.lib.boosterPredictFromDMatrix(this.handle, data.handle, {
      type: 0,
      training: false,
      iteration_begin: 0,
      iteration_end: iterationEnd,
      strict_shape: true,
    });
  }

  /** The model as XGBoost's JSON document. */
  saveJson(): Uint8Array {
    return this.lib.boosterSaveJson(this.handle);
  }

  featureScore(importanceType: 'gain' | 'weight'): NativeFeatureScore {
    return this.lib.boosterFeatureScore(this.handle, importanceType);
  }

  boostedRounds(): number {
    return this.lib.boosterBoostedRounds(this.handle);
  }

  /** A new booster holding the rounds [begin, end); the caller disposes it. */
  slice(begin: number, end: number): Booster {
    return new Booster(this.lib, this.lib.boosterSlice(this.handle, begin, end));
  }

  get handle(): NativeHandle {
    if (this.current === undefined) throw new ModelStateError('Booster used after dispose()');
    return this.current;
  }

  /** Frees the native booster; idempotent. */
  dispose(): void {
    if (this.current === undefined) return;
    const handle = this.current;
    this.current = undefined;
    registry.unregister(this);
    this.lib.boosterFree(handle);
  }
}
