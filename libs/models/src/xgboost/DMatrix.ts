import { ModelStateError } from './errors';
import type { NativeHandle, XGBoostLibrary } from './XGBoostLibrary';
import { leakedHandleRegistry } from '../core/nativeHandles';

/** A dense row-major float32 matrix; NaN marks a missing value. */
export interface DenseRows {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** Per-row fields of a DMatrix. */
export interface DMatrixInfo {
  label?: Float32Array;
  weight?: Float32Array;
}

interface Held {
  lib: XGBoostLibrary;
  handle: NativeHandle;
}

/** Safety net only: frees DMatrices that were dropped without dispose(). */
const registry = leakedHandleRegistry<Held>(({ lib, handle }) => lib.dmatrixFree(handle));

/** An XGBoost DMatrix (a copy of the rows, quantised lazily by the booster) that frees its handle in dispose(). */
export class DMatrix {
  private current: NativeHandle | undefined;

  private constructor(
    private readonly lib: XGBoostLibrary,
    handle: NativeHandle,
  ) {
    this.current = handle;
    registry.register(this, { lib, handle }, this);
  }

  /** Copies `x` (and the per-row label / weight) into a new DMatrix. nthread ≤ 0: all cores. */
  static fromRows(lib: XGBoostLibrary, x: DenseRows, info: DMatrixInfo = {}, nthread = 0): DMatrix {
    const handle = lib.dmatrixFromMatrix(x.data, x.rows, x.cols, nthread);
    try {
      if (info.label) lib.dmatrixSetFloatInfo(handle, 'label', info.label);
      if (info.weight) lib.dmatrixSetFloatInfo(handle, 'weight', info.weight);
    } catch (err) {
      lib.dmatrixFree(handle);
      throw err;
    }
    return new DMatrix(lib, handle);
  }

  get handle(): NativeHandle {
    if (this.current === undefined) throw new ModelStateError('DMatrix used after dispose()');
    return this.current;
  }

  /** Frees the native matrix; idempotent. */
  dispose(): void {
    if (this.current === undefined) return;
    const handle = this.current;
    this.current = undefined;
    registry.unregister(this);
    this.lib.dmatrixFree(handle);
  }
}
