"""Reference for metrics.spec.ts: the return metrics of performanceMetrics, written independently
with numpy / scipy (tools venv). stdin: {"cases": [{"returns": [...], "periodsPerYear": p}, ...]}
(null for NaN); stdout: a JSON list with one object of metrics per case. NaN returns are dropped
first, as performanceMetrics does."""
import json
import sys

import numpy as np
from scipy import stats


def metrics(returns, p):
    r = np.array([np.nan if v is None else v for v in returns], dtype=float)
    r = r[~np.isnan(r)]
    n = len(r)

    equity = np.concatenate([[1.0], np.cumprod(1 + r)])
    peak = np.maximum.accumulate(equity)
    underwater = equity < peak
    # Longest run of equity below its running peak, counted from the peak to the recovery (inclusive)
    # or to the last period.
    longest, run = 0, 0
    for k in range(1, n + 1):
        if underwater[k]:
            run += 1
        elif run > 0:
            longest = max(longest, run + 1)
            run = 0
    longest = max(longest, run)

    sr = r.mean() / r.std(ddof=1)
    skew = stats.skew(r)
    kurt = stats.kurtosis(r, fisher=False)
    se = np.sqrt((1 - skew * sr + (kurt - 1) / 4 * sr**2) / (n - 1))
    cagr = equity[-1] ** (p / n) - 1
    mdd = ((equity - peak) / peak).min()
    return {
        "periods": n,
        "totalReturn": equity[-1] - 1,
        "cagr": cagr,
        "annualVolatility": r.std(ddof=1) * np.sqrt(p),
        "sharpe": sr * np.sqrt(p),
        "sharpePerPeriod": sr,
        "sortino": r.mean() / np.sqrt(np.mean(np.minimum(r, 0) ** 2)) * np.sqrt(p),
        "maxDrawdown": mdd,
        "maxDrawdownDuration": longest,
        "calmar": cagr / abs(mdd),
        "sharpeStandardError": se * np.sqrt(p),
        "psr": stats.norm.cdf(sr / se),
    }


cases = json.load(sys.stdin)["cases"]
print(json.dumps([metrics(c["returns"], float(c["periodsPerYear"])) for c in cases]))
