import type { AppendReport, Gap, SeriesSummary } from '../storage/MarketStore';

/** What a collection stored, and what it did not and why. */
export interface QualityReport {
  rows: number;
  start: number | null;
  end: number | null;
  /** ISO times of start and end, for people. */
  startIso: string | null;
  endIso: string | null;
  gaps: { count: number; missingBars: number; first: Gap[] };
  duplicates: number;
  rejected: { count: number; byReason: Record<string, number>; first: { openTime: number; reason: string }[] };
  /** Per-table append counts. */
  tables: Record<string, { received: number; inserted: number; duplicates: number; rejected: number }>;
}

const LIST_LIMIT = 100;

/** Builds the quality report from the stored series and the append reports of this collection. */
export function buildQualityReport(summary: SeriesSummary, appends: Record<string, AppendReport>, extraRejected: { openTime: number; reason: string }[] = []): QualityReport {
  const candles = appends.candles;
  const rejectedRows = [...extraRejected, ...(candles?.rejected ?? [])];
  const byReason: Record<string, number> = {};
  // Group by the reason's kind (the text before its first number, without any 'file line N: '
  // prefix) so the table stays short.
  for (const r of rejectedRows) {
    const kind = r.reason.replace(/^.*? line \d+: /, '').replace(/\s*-?\d.*$/, '').trim() || r.reason;
    byReason[kind] = (byReason[kind] ?? 0) + 1;
  }
  return {
    rows: summary.rows,
    start: summary.firstOpenTime,
    end: summary.lastOpenTime,
    startIso: summary.firstOpenTime === null ? null : new Date(summary.firstOpenTime).toISOString(),
    endIso: summary.lastOpenTime === null ? null : new Date(summary.lastOpenTime).toISOString(),
    gaps: { count: summary.gaps.length, missingBars: summary.missingBars, first: summary.gaps.slice(0, LIST_LIMIT) },
    duplicates: candles?.duplicates ?? 0,
    rejected: { count: rejectedRows.length, byReason, first: rejectedRows.slice(0, LIST_LIMIT) },
    tables: Object.fromEntries(Object.entries(appends).map(([t, a]) => [t, { received: a.received, inserted: a.inserted, duplicates: a.duplicates, rejected: a.rejected.length }])),
  };
}
