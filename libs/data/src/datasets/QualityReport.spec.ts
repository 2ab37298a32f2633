import type { AppendReport, SeriesSummary } from '../storage/MarketStore';
import { buildQualityReport } from './QualityReport';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

const summary: SeriesSummary = {
  rows: 10,
  firstOpenTime: T0,
  lastOpenTime: T0 + 11 * H,
  gaps: [{ from: T0 + 3 * H, to: T0 + 4 * H, bars: 2 }],
  missingBars: 2,
};

const ok = (received: number): AppendReport => ({ received, inserted: received, duplicates: 0, rejected: [] });

describe('buildQualityReport', () => {
  it('reports rows, ISO range, gaps, duplicates and per-table counts', () => {
    const candles: AppendReport = { received: 13, inserted: 10, duplicates: 1, rejected: [{ openTime: T0 + 5 * H, reason: 'high 100 < max(open, close) 102' }, { openTime: T0 + 6 * H, reason: 'high 90 < max(open, close) 95' }] };
    const report = buildQualityReport(summary, { candles, funding: ok(3) });
    expect(report).toEqual({
      rows: 10,
      start: T0,
      end: T0 + 11 * H,
      startIso: '2024-01-01T00:00:00.000Z',
      endIso: '2024-01-01T11:00:00.000Z',
      gaps: { count: 1, missingBars: 2, first: [{ from: T0 + 3 * H, to: T0 + 4 * H, bars: 2 }] },
      duplicates: 1,
      rejected: {
        count: 2,
        byReason: { high: 2 },
        first: [{ openTime: T0 + 5 * H, reason: 'high 100 < max(open, close) 102' }, { openTime: T0 + 6 * H, reason: 'high 90 < max(open, close) 95' }],
      },
      tables: {
        candles: { received: 13, inserted: 10, duplicates: 1, rejected: 2 },
        funding: { received: 3, inserted: 3, duplicates: 0, rejected: 0 },
      },
    });
  });

  it('lists extra (source) rejections before the store rejections, and caps the list at 100', () => {
    const rejected = Array.from({ length: 150 }, (_, i) => ({ openTime: T0 + i * H, reason: `low ${i} > min(open, close) ${i - 1}` }));
    const report = buildQualityReport(summary, { candles: { received: 160, inserted: 10, duplicates: 0, rejected } }, [{ openTime: Number.NaN, reason: 'x.csv line 2: high 1 < max(open, close) 2' }]);
    expect(report.rejected.count).toBe(151);
    expect(report.rejected.first).toHaveLength(100);
    expect(report.rejected.first[0]!.reason).toBe('x.csv line 2: high 1 < max(open, close) 2');
    expect(report.rejected.first[1]!.reason).toBe('low 0 > min(open, close) -1');
  });

  it('reports an empty series with null times', () => {
    const empty: SeriesSummary = { rows: 0, firstOpenTime: null, lastOpenTime: null, gaps: [], missingBars: 0 };
    expect(buildQualityReport(empty, {})).toMatchObject({ rows: 0, start: null, end: null, startIso: null, endIso: null, duplicates: 0, rejected: { count: 0, byReason: {}, first: [] } });
  });

  it('groups rejections by the text before the first number', () => {
    const rejected = [
      'high 100 < max(open, close) 102',
      'low 103 > min(open, close) 102',
      'negative volume or trade count',
      'non-finite value',
      `open_time ${T0 + 60_000} not aligned to the 3600000 ms interval`,
      'taker_buy_base_volume 11 > volume 10',
    ].map((reason, i) => ({ openTime: T0 + i * H, reason }));
    const report = buildQualityReport(summary, { candles: { received: 16, inserted: 10, duplicates: 0, rejected } });
    expect(report.rejected.byReason).toEqual({
      high: 1,
      low: 1,
      'negative volume or trade count': 1,
      'non-finite value': 1,
      open_time: 1,
      taker_buy_base_volume: 1,
    });
  });
});
