import { InvalidInputError } from '@ares/data';

/**
 * Thrown by `RegimeEnsemble.train` when a regime has too few rows to train a stacked ensemble on
 * (fewer training rows than `minRows`, or fewer out-of-fold rows than `MIN_META_ROWS` for the
 * meta-learner). Non-retryable: more attempts will not produce more rows.
 *
 * Contract with the caller (the trainRegimeEnsemble activity): catch this error, train the pooled
 * (all-regime) model for this regime instead, and flag the regime as `fallback: 'pooled'` in its
 * bundle / run report with `rows` and `required` from this error — never drop the regime silently.
 */
export class InsufficientRegimeRowsError extends InvalidInputError {
  constructor(
    /** The regime that is too small. */
    readonly regime: string,
    /** Rows available at the failing stage. */
    readonly rows: number,
    /** Rows required at that stage. */
    readonly required: number,
    /** 'train': training rows given; 'meta': out-of-fold rows covered by the folds. */
    readonly stage: 'train' | 'meta' = 'train',
  ) {
    super(
      stage === 'train'
        ? `regime '${regime}' has ${rows} training rows; a regime ensemble needs at least ${required} (fall back to the pooled model)`
        : `regime '${regime}' has ${rows} out-of-fold rows for the meta-learner; it needs at least ${required} (fall back to the pooled model)`,
    );
  }
}
