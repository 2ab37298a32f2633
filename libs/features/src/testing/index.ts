/**
 * Test helpers for @ares/features: real market data from vega-datasets, independent Python
 * references (TA-Lib, pandas, numpy, PyWavelets) and a tolerance check.
 *
 * ```ts
 * const spx = loadSp500();
 * const ref = pythonReference(join(__dirname, 'reference.py'), { close: spx.close });
 * expectSeriesClose('rsi_14', rsi(spx.close, 14), ref.rsi_14!);
 * ```
 */
export { expectSeriesClose, pythonReference } from './reference';
export { loadSp500, sp500Path, type OhlcvBars, type Sp500 } from './sp500';
export { syntheticFeatureInput } from './syntheticInput';
