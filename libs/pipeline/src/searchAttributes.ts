import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes every pipeline run carries, so that `ares runs list` is a visibility
 * query. A Temporal server must have them registered (infra/dev.sh does; for a real cluster see
 * the README: `temporal operator search-attribute create`).
 */
export const SYMBOL = defineSearchAttributeKey('Symbol', SearchAttributeType.KEYWORD);
export const INTERVAL = defineSearchAttributeKey('Interval', SearchAttributeType.KEYWORD);
/** How the run was started: `manual` (ares train), `schedule` (fleet retraining), `test`. */
export const TRIGGER = defineSearchAttributeKey('Trigger', SearchAttributeType.KEYWORD);
/** sha256 of the dataset the run trained on; set once collectMarketData has finished. */
export const DATASET_HASH = defineSearchAttributeKey('DatasetHash', SearchAttributeType.KEYWORD);

/** `true` when step 9 promoted the run to champion, `false` when the gates refused it; unset before step 9. */
export const PROMOTED = defineSearchAttributeKey('Promoted', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [SYMBOL, INTERVAL, TRIGGER, DATASET_HASH, PROMOTED] as const;
