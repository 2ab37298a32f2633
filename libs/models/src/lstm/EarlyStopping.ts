/**
 * Early stopping on the validation loss, as Keras' EarlyStopping (min_delta 0) with
 * restore_best_weights: the best epoch is the first reaching the minimum; training stops once
 * `patience` epochs have passed without a strictly lower loss. Patience 0 never stops, and the best
 * epoch is still the one kept.
 */
export class EarlyStopping {
  /** Validation loss after each epoch (index 0 = epoch 1). */
  readonly history: number[] = [];
  private bestLoss = Number.POSITIVE_INFINITY;
  private best = 0;

  constructor(private readonly patience: number) {}

  /** Records the loss of epoch `history.length + 1`; `improved` means it is the new best (snapshot the weights). */
  record(loss: number): { improved: boolean; stop: boolean } {
    this.history.push(loss);
    const epoch = this.history.length;
    const improved = loss < this.bestLoss;
    if (improved) {
      this.bestLoss = loss;
      this.best = epoch;
    }
    return { improved, stop: this.patience > 0 && epoch - this.best >= this.patience };
  }

  /** What a training checkpoint keeps (the history is the epochs' validation losses). */
  snapshot(): { history: number[]; bestLoss: number | null; best: number } {
    return { history: [...this.history], bestLoss: Number.isFinite(this.bestLoss) ? this.bestLoss : null, best: this.best };
  }

  /** Continues from `snapshot()`. */
  restore(s: { history: number[]; bestLoss: number | null; best: number }): void {
    this.history.splice(0, this.history.length, ...s.history);
    this.bestLoss = s.bestLoss ?? Number.POSITIVE_INFINITY;
    this.best = s.best;
  }

  /** The epoch whose weights are kept (1-based; 0 before any finite loss). */
  get bestEpoch(): number {
    return this.best;
  }
}
