import { z } from 'zod';
import type { ArtifactStore } from './artifacts/ArtifactStore';
import { buildQualityReport } from './datasets/QualityReport';
import { publishDataset } from './datasets/publishDataset';
import type { DatasetRef } from './datasets/DatasetRef';
import { InvalidInputError } from './errors';
import { IntervalSchema, SymbolSchema, intervalMs, type CandleColumns, type Interval, type MarketBatch } from './market/schema';
import { BinanceClient, aggregateTradeFlow, type OpenInterestPeriod } from './sources/binance';
import { importBinanceKlineCsv } from './sources/csv';
import { generateSyntheticMarket, type SyntheticMarketOptions } from './sources/synthetic/SyntheticMarket';
import { MarketStore, type AppendReport } from './storage/MarketStore';

const DAY = 86_400_000;
const isoOrMs = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => Date.parse(s))]);

/** What to collect. Validated with zod at every boundary (CLI, workflow input, activity input). */
export const CollectRequestSchema = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('synthetic'),
    symbol: SymbolSchema,
    interval: IntervalSchema,
    /** First bar, epoch ms or ISO date. @default 2024-01-01 */
    start: isoOrMs.default(Date.UTC(2024, 0, 1)),
    /** Number of bars. @default one year of bars */
    bars: z.number().int().positive().optional(),
    seed: z.number().int().default(42),
    /** Learnable regime signal in [0, 1]; with `edge` 0 too, 0 is a martingale (see SyntheticMarketOptions.signal). @default 0.5 */
    signal: z.number().min(0).max(1).default(0.5),
    /**
     * Informed order flow that leads price, in [0, 1]: a hidden pressure shows in the taker buy
     * share at once and drifts the price 3 bars later (see SyntheticMarketOptions.edge). 0 leaves
     * the market exactly as it was before this knob; left out, the parsed request has no `edge`
     * either, so requests (and their hashes) from before the knob parse as they did. @default 0
     */
    edge: z.number().min(0).max(1).optional(),
    /** Volatility bursts and jumps; `false` with `signal: 0` is a pure Gaussian random walk. @default true */
    volatilityRegimes: z.boolean().optional(),
  }),
  z.object({
    source: z.literal('csv'),
    symbol: SymbolSchema,
    interval: IntervalSchema,
    /** Artifact keys of uploaded Binance kline CSV files (the CLI uploads local files first). */
    files: z.array(z.string()).min(1),
  }),
  z.object({
    source: z.literal('binance'),
    symbol: SymbolSchema,
    interval: IntervalSchema,
    start: isoOrMs,
    end: isoOrMs,
    spotBaseUrl: z.url().optional(),
    futuresBaseUrl: z.url().optional(),
    /** Also download funding rates and open interest (USDⓈ-M futures). @default true */
    derivatives: z.boolean().default(true),
    /** Also download aggregated trades and summarise them per bar (heavy). @default false */
    aggTrades: z.boolean().default(false),
  }),
]);
export type CollectRequest = z.input<typeof CollectRequestSchema>;
export type ParsedCollectRequest = z.output<typeof CollectRequestSchema>;

/** Parses a collect request; a bad field becomes InvalidInputError naming it. */
export function parseCollectRequest(input: unknown): ParsedCollectRequest {
  const parsed = CollectRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const value = issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown> | undefined)?.[k], input);
    throw new InvalidInputError(`collect request field '${issue.path.join('.') || '(root)'}' = ${JSON.stringify(value)}: ${issue.message}`);
  }
  return parsed.data;
}

export interface CollectDeps {
  store: ArtifactStore;
  /** Market store to write into (and resume from). @default a fresh in-memory store */
  market?: MarketStore;
  /** Progress callback (the activity heartbeats with it). */
  onProgress?: (stage: string, detail?: Record<string, unknown>) => void;
  /** Where CSV artifacts are downloaded to. */
  tmpDir: string;
}

/** Collects market data from the request's source, stores it in DuckDB and publishes a Parquet dataset. */
export async function collectMarketData(input: unknown, deps: CollectDeps): Promise<DatasetRef> {
  const req = parseCollectRequest(input);
  const progress = deps.onProgress ?? (() => {});
  const market = deps.market ?? (await MarketStore.create());
  try {
    progress('fetch', { source: req.source });
    const { batch, extraRejected, range } = await fetchBatch(req, deps, market);
    progress('store', { rows: batch.candles.length });
    const appends: Record<string, AppendReport> = {
      candles: await market.appendCandles(req.symbol, req.interval, batch.candles),
      tradeFlow: await market.appendTradeFlow(req.symbol, req.interval, batch.tradeFlow),
      funding: await market.appendFunding(req.symbol, batch.funding),
      openInterest: await market.appendOpenInterest(req.symbol, batch.openInterest),
    };
    const summary = await market.summarize(req.symbol, req.interval, range);
    const quality = buildQualityReport(summary, appends, extraRejected);
    progress('publish', { rows: quality.rows });
    return await publishDataset({ store: deps.store, market, symbol: req.symbol, interval: req.interval, source: describeSource(req), quality });
  } finally {
    if (!deps.market) market.close();
  }
}

/** The generator options of a synthetic collect request (so the same market can be generated again, e.g. for its oracle). */
export function syntheticMarketOptionsOf(req: Extract<ParsedCollectRequest, { source: 'synthetic' }>): SyntheticMarketOptions {
  const bars = req.bars ?? Math.round((365 * DAY) / intervalMs(req.interval));
  return { symbol: req.symbol, interval: req.interval, start: req.start, bars, seed: req.seed, signal: req.signal, ...(req.edge === undefined ? {} : { edge: req.edge }), ...(req.volatilityRegimes === undefined ? {} : { volatilityRegimes: req.volatilityRegimes }) };
}

async function fetchBatch(req: ParsedCollectRequest, deps: CollectDeps, market: MarketStore): Promise<{ batch: MarketBatch; extraRejected: { openTime: number; reason: string }[]; range: { from?: number; to?: number } }> {
  switch (req.source) {
    case 'synthetic': {
      const m = generateSyntheticMarket(syntheticMarketOptionsOf(req));
      return { batch: m, extraRejected: [], range: { from: m.candles.openTime[0], to: m.candles.openTime[m.candles.length - 1] } };
    }
    case 'csv': {
      const parts: CandleColumns[] = [];
      const extraRejected: { openTime: number; reason: string }[] = [];
      for (const key of req.files) {
        const path = `${deps.tmpDir}/${key.split('/').pop()}`;
        await deps.store.getFile(key, path);
        const result = await importBinanceKlineCsv(path, { interval: req.interval });
        parts.push(result.candles);
        for (const r of result.rejected) extraRejected.push({ openTime: Number.NaN, reason: `${key.split('/').pop()} line ${r.line}: ${r.reason}` });
      }
      const candles = concatCandles(parts);
      return { batch: fromCandles(req.symbol, req.interval, candles), extraRejected, range: {} };
    }
    case 'binance': {
      if (req.end <= req.start) throw new InvalidInputError(`collect request: end ${new Date(req.end).toISOString()} is not after start ${new Date(req.start).toISOString()}`);
      const client = new BinanceClient({ ...(req.spotBaseUrl ? { spotBaseUrl: req.spotBaseUrl } : {}), ...(req.futuresBaseUrl ? { futuresBaseUrl: req.futuresBaseUrl } : {}) });
      const after = await resumePoint(market, req.symbol, req.interval, req.start);
      const candles = await client.fetchKlines(req.symbol, req.interval, { startTime: req.start, endTime: req.end, ...(after !== null ? { after } : {}) });
      const batch = fromCandles(req.symbol, req.interval, candles);
      if (req.derivatives) {
        batch.funding = await client.fetchFundingRates(req.symbol, { startTime: req.start, endTime: req.end });
        batch.openInterest = await client.fetchOpenInterest(req.symbol, openInterestPeriod(req.interval), { startTime: req.start, endTime: req.end });
      }
      if (req.aggTrades) {
        const trades = [];
        for await (const page of client.aggTradePages(req.symbol, { startTime: req.start, endTime: req.end })) trades.push(...page);
        batch.tradeFlow = aggregateTradeFlow(trades, req.interval, candles.openTime.subarray(0, candles.length), 1);
      }
      return { batch, extraRejected: [], range: { from: req.start, to: req.end } };
    }
  }
}

/**
 * Resume point: the last stored bar, but only when the store already holds every bar from the
 * first bar at or after `start` up to it without gaps; otherwise null (download from `start`;
 * bars already stored are dropped as duplicates).
 */
async function resumePoint(market: MarketStore, symbol: string, interval: Interval, start: number): Promise<number | null> {
  const last = await market.lastOpenTime(symbol, interval);
  if (last === null || last < start) return null;
  const s = await market.summarize(symbol, interval, { from: start, to: last });
  const coversStart = s.firstOpenTime !== null && s.firstOpenTime - start < intervalMs(interval);
  return coversStart && s.gaps.length === 0 ? last : null;
}

/** Trade flow from the klines alone: taker buys vs the rest (trade counts split pro rata). */
function fromCandles(symbol: string, interval: Interval, candles: CandleColumns): MarketBatch {
  const n = candles.length;
  const flow = {
    length: n,
    openTime: candles.openTime.slice(0, n),
    buyVolume: candles.takerBuyBaseVolume.slice(0, n),
    sellVolume: candles.volume.map((v, i) => v - candles.takerBuyBaseVolume[i]!).slice(0, n),
    buyTrades: candles.trades.map((t, i) => Math.round((t * candles.takerBuyBaseVolume[i]!) / (candles.volume[i]! || 1))).slice(0, n),
    sellTrades: new Float64Array(n),
    largeTradeVolume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) flow.sellTrades[i] = Math.max(0, candles.trades[i]! - flow.buyTrades[i]!);
  return { symbol, interval, candles, tradeFlow: flow, funding: [], openInterest: [] };
}

function concatCandles(parts: CandleColumns[]): CandleColumns {
  if (parts.length === 1) return parts[0]!;
  const length = parts.reduce((s, p) => s + p.length, 0);
  const out: Record<string, Float64Array | number> = { length };
  for (const field of Object.keys(parts[0]!).filter((k) => k !== 'length') as (keyof CandleColumns)[]) {
    const col = new Float64Array(length);
    let o = 0;
    for (const p of parts) {
      col.set((p[field] as Float64Array).subarray(0, p.length), o);
      o += p.length;
    }
    out[field] = col;
  }
  return out as unknown as CandleColumns;
}

/** Binance's openInterestHist periods: the interval when allowed, else the nearest coarser one. */
function openInterestPeriod(interval: Interval): OpenInterestPeriod {
  const allowed: readonly string[] = ['5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d'] satisfies OpenInterestPeriod[];
  if (allowed.includes(interval)) return interval as OpenInterestPeriod;
  return intervalMs(interval) < 5 * 60_000 ? '5m' : '1d';
}

function describeSource(req: ParsedCollectRequest): string {
  switch (req.source) {
    // edge appears only when non-zero, so that datasets collected before the knob keep their description.
    case 'synthetic': return `synthetic(seed=${req.seed}, signal=${req.signal}${req.edge ? `, edge=${req.edge}` : ''}, start=${new Date(req.start).toISOString()}, bars=${req.bars ?? 'one year'})`;
    case 'csv': return `csv(${req.files.join(', ')})`;
    case 'binance': return `binance(${req.spotBaseUrl ?? 'https://api.binance.com'}, ${new Date(req.start).toISOString()}..${new Date(req.end).toISOString()})`;
  }
}
