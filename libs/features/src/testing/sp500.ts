import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Path of the daily S&P 500 OHLCV file (2000-2020, 5104 rows) shipped in the npm package vega-datasets. */
export function sp500Path(): string {
  // vega-datasets exports no subpaths; the data folder sits beside the resolved entry point.
  return join(dirname(require.resolve('vega-datasets')), '..', 'data', 'sp500-2000.csv');
}

/** Bars as the six candle columns every test fixture has (open times in epoch ms). */
export interface OhlcvBars {
  openTime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Real market data for reference tests: columns of the S&P 500 daily bars. */
export interface Sp500 extends OhlcvBars {
  length: number;
}

export function loadSp500(): Sp500 {
  const rows = readFileSync(sp500Path(), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const num = (j: number) => Float64Array.from(rows, (r) => Number(r[j]));
  return {
    length: rows.length,
    openTime: Float64Array.from(rows, (r) => Date.parse(`${r[0]}T00:00:00Z`)),
    open: num(1), high: num(2), low: num(3), close: num(4), volume: num(6),
  };
}
