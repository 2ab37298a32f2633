import { basename } from 'node:path';
import { joinKey, parseCollectRequest, sha256File, type ArtifactStore, type ParsedCollectRequest } from '@ares/data';
import { CliError, UsageError } from '../format';

export interface SourceOptions {
  symbol: string;
  interval: string;
  source: string;
  csv?: string[];
  start?: string;
  end?: string;
  bars?: string;
  seed?: string;
  signal?: string;
  edge?: string;
  binanceUrl?: string;
  binanceFuturesUrl?: string;
}

/**
 * Builds and validates a collect request from CLI options. CSV files are uploaded to the artifact
 * store first (content-addressed under imports/), so any worker on any machine can read them.
 */
export async function buildCollectRequest(o: SourceOptions, store: ArtifactStore): Promise<ParsedCollectRequest> {
  const num = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${v}'`);
    return n;
  };
  const time = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v);
  let raw: Record<string, unknown>;
  switch (o.source) {
    case 'synthetic':
      raw = { source: 'synthetic', symbol: o.symbol, interval: o.interval, start: time(o.start), bars: num(o.bars, 'bars'), seed: num(o.seed, 'seed'), signal: num(o.signal, 'signal'), edge: num(o.edge, 'edge') };
      break;
    case 'csv': {
      if (!o.csv?.length) throw new UsageError('--source csv needs --csv <file> [file …]');
      const files = [];
      for (const path of o.csv) {
        const { sha256 } = await sha256File(path).catch((err: Error) => {
          throw new CliError(`cannot read CSV file ${path}: ${err.message}`);
        });
        const name = basename(path).replace(/[^A-Za-z0-9._=+-]/g, '_').replace(/^[^A-Za-z0-9]+/, '') || 'file.csv';
        files.push((await store.putFile(joinKey('imports', sha256.slice(0, 16), name), path)).key);
      }
      raw = { source: 'csv', symbol: o.symbol, interval: o.interval, files };
      break;
    }
    case 'binance':
      raw = { source: 'binance', symbol: o.symbol, interval: o.interval, start: time(o.start), end: time(o.end) ?? Date.now(), spotBaseUrl: o.binanceUrl, futuresBaseUrl: o.binanceFuturesUrl };
      break;
    default:
      throw new CliError(`--source must be synthetic, csv or binance; got '${o.source}'`);
  }
  const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  try {
    return parseCollectRequest(clean);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}
