/**
 * Early stopping on a lower-is-better validation metric, as LightGBM's Python `early_stopping`
 * callback does it: the best round is the first one reaching the minimum, and training stops once
 * `patience` rounds have passed without a strictly lower value. Patience 0 never stops (and the
 * last round is the one kept).
 */
export class EarlyStopping {
  /** Validation metric after each round (index 0 = round 1). */
  readonly history: number[] = [];
  private bestValue = Number.POSITIVE_INFINITY;
  private bestRound = 0;

  constructor(private readonly patience: number) {}

  /** Records the metric after round `history.length + 1`; true when training should stop. */
  record(value: number): boolean {
    this.history.push(value);
    const round = this.history.length;
    if (value < this.bestValue) {
      this.bestValue = value;
      this.bestRound = round;
    }
    return this.patience > 0 && round - this.bestRound >= this.patience;
  }

  /** The round to keep: the best one under early stopping, else the last one recorded. */
  get keptRound(): number {
    return this.patience > 0 ? this.bestRound : this.history.length;
  }
}
