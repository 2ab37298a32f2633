/**
 * Statistics of one return path of SIMPLE returns compounded bar by bar: equity E_t = ∏(1 + r_s)
 * from E_0 = 1, total return E_T − 1, max drawdown max_t (1 − E_t / max_{s ≤ t} E_s) as a
 * fraction in [0, 1] (the starting equity counts as a peak), and Sharpe mean/std (std ddof 1)
 * scaled by √periodsPerYear, 0 when the std is 0.
 */
export interface PathStatistics {
  totalReturn: number;
  maxDrawdown: number;
  sharpe: number;
}

/**
 * Statistics of the path values[order[0]], values[order[1]], … (all of `values` when `order` is
 * omitted). `shift` (any value near the mean, e.g. the sample mean) keeps the one-pass variance
 * free of cancellation.
 */
export function pathStatistics(values: Float64Array, order: Int32Array | undefined, sqrtPeriodsPerYear: number, shift: number): PathStatistics {
  const n = order ? order.length : values.length;
  let equity = 1;
  let peak = 1;
  let maxDrawdown = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const r = order ? values[order[i]!]! : values[i]!;
    equity *= 1 + r;
    if (equity > peak) peak = equity;
    else {
      const dd = 1 - equity / peak;
      if (dd > maxDrawdown) maxDrawdown = dd;
    }
    const d = r - shift;
    sum += d;
    sumSq += d * d;
  }
  const variance = n > 1 ? (sumSq - (sum * sum) / n) / (n - 1) : 0;
  const std = variance > 0 ? Math.sqrt(variance) : 0;
  const sharpe = std > 0 ? ((sum / n + shift) / std) * sqrtPeriodsPerYear : 0;
  return { totalReturn: equity - 1, maxDrawdown, sharpe };
}
