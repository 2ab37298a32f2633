import { deflatedSharpeRatio, expectedMaxStandardNormal, moments, probabilisticSharpeRatio, sharpeStandardError } from './sharpe';

// Oracles: Bailey & López de Prado, "The Deflated Sharpe Ratio" (2014), worked example of section
// 5 and eq. 6; "The Sharpe Ratio Efficient Frontier" (2012), the hedge-fund example of table 2
// (SR 1.585 annual on 24 monthly returns, skew −2.448, kurtosis 10.164). Values to 1e-12 were
// computed with scipy.stats.norm (cdf/ppf) from the papers' closed forms.
test('expected maximum of N = 100 standard normals (DSR paper, eq. 6)', () => {
  expect(expectedMaxStandardNormal(100)).toBeCloseTo(2.5306028932016846, 12);
  expect(expectedMaxStandardNormal(1)).toBe(0);
  expect(() => expectedMaxStandardNormal(0)).toThrow(/trials must be an integer >= 1, got 0/);
});

test('DSR worked example: annual SR 2.5 over 5 years of days, N = 100, V = 0.5/250, skew −3, kurtosis 10', () => {
  const { dsr, benchmark } = deflatedSharpeRatio({ sharpe: 2.5 / Math.sqrt(250), periods: 1250, skew: -3, kurtosis: 10 }, 100, 0.5 / 250);
  expect(benchmark).toBeCloseTo(0.1132, 4);
  expect(dsr).toBeCloseTo(0.90039683444939034, 10);
});

test('PSR: the non-normal hedge-fund example, and a normal case', () => {
  expect(probabilisticSharpeRatio({ sharpe: 1.585 / Math.sqrt(12), periods: 24, skew: -2.448, kurtosis: 10.164 })).toBeCloseTo(0.91323430688486018, 10);
  expect(probabilisticSharpeRatio({ sharpe: 1.14, periods: 250 }, 1)).toBeCloseTo(0.95727, 4);
});

test('Sharpe standard error: sqrt((1 + SR²/2)/(T − 1)) for normal returns (Lo 2002)', () => {
  expect(sharpeStandardError({ sharpe: 0.1, periods: 101 })).toBeCloseTo(Math.sqrt((1 + 0.005) / 100), 14);
  expect(() => sharpeStandardError({ sharpe: 0.1, periods: 1 })).toThrow(/periods must be >= 2, got 1/);
});

test('moments: population skew and raw kurtosis, as scipy.stats (bias=True)', () => {
  const m = moments([1, 2, 3, 10]);
  expect(m.mean).toBe(4);
  // scipy 1.16 (tools venv): stats.skew([1,2,3,10]) = 1.0182337649086284; stats.kurtosis([1,2,3,10], fisher=False) = 2.2304
  expect(m.skew).toBeCloseTo(1.0182337649086284, 12);
  expect(m.kurtosis).toBeCloseTo(2.2304, 12);
  expect(m.std).toBeCloseTo(Math.sqrt(50 / 3), 12); // ddof 1
});
