import type { ReduceLrOnPlateauOptions } from './LstmOptions';

/**
 * Keras' ReduceLROnPlateau (mode 'min', cooldown 0), which tfjs-layers lacks: an epoch improves
 * when its loss is below best − minDelta; after `patience` epochs without improvement the rate is
 * multiplied by `factor` (floored at minLr) and the wait restarts. At minLr it stays put.
 */
export class ReduceLrOnPlateau {
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;
  private rate: number;

  constructor(
    private readonly options: Required<ReduceLrOnPlateauOptions>,
    initialRate: number,
  ) {
    this.rate = initialRate;
  }

  get learningRate(): number {
    return this.rate;
  }

  /** What a training checkpoint keeps. */
  snapshot(): { best: number | null; wait: number; rate: number } {
    return { best: Number.isFinite(this.best) ? this.best : null, wait: this.wait, rate: this.rate };
  }

  /** Continues from `snapshot()`. */
  restore(s: { best: number | null; wait: number; rate: number }): void {
    this.best = s.best ?? Number.POSITIVE_INFINITY;
    this.wait = s.wait;
    this.rate = s.rate;
  }

  /** Records an epoch's loss; returns the new learning rate when it changes, else undefined. */
  record(loss: number): number | undefined {
    if (loss < this.best - this.options.minDelta) {
      this.best = loss;
      this.wait = 0;
      return undefined;
    }
    this.wait += 1;
    if (this.wait < this.options.patience) return undefined;
    this.wait = 0;
    const next = Math.max(this.rate * this.options.factor, this.options.minLr);
    if (next >= this.rate) return undefined;
    this.rate = next;
    return next;
  }
}
