/**
 * Tracks the lowest validation metric. A round improves only when strictly lower than the best
 * so far (as XGBoost's Python EarlyStopping callback does), so on ties the earlier round is kept.
 * NaN never improves.
 */
export class EarlyStopping {
  /** 0-based round with the lowest metric; -1 before any finite value. */
  bestIteration = -1;
  bestValue = Number.POSITIVE_INFINITY;
  /** The metric of every recorded round, in order. */
  readonly history: number[] = [];

  constructor(
    /** Rounds without improvement after which to stop. */
    readonly patience: number,
  ) {}

  /** Records round `iteration`'s metric; true when training should stop after it. */
  record(iteration: number, value: number): boolean {
    this.history.push(value);
    if (value < this.bestValue) {
      this.bestValue = value;
      this.bestIteration = iteration;
      return false;
    }
    return iteration - this.bestIteration >= this.patience;
  }
}
