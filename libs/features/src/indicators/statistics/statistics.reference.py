"""Independent references for indicators/statistics: pandas 2.3 rolling estimators (numpy two-pass
moments for skew/kurt windows below 20, where pandas' own rounding exceeds 1e-9).

stdin: {"close": [...], "cases": [{"feature": name, "params": {...}, "outputs": [column, ...]}]}
stdout: {column: [value | null]}
"""
import json, sys
import numpy as np, pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

d = json.load(sys.stdin)
c = pd.Series(np.array(d["close"], dtype=float))
# Log returns as ln(c[t] / c[t-k]): log(c[t]) - log(c[t-k]) subtracts two numbers near 7 and loses
# ~1e-13 of a daily return, which excess kurtosis near 0 amplifies to ~1e-9.
logret = lambda k: np.log(c / c.shift(k))
lr = logret(1)


def central_moments(n):
    """Two-pass central moments of each n-window of the log returns (NaN-padded to full length)."""
    w = sliding_window_view(lr.values[1:], n)
    dev = w - w.mean(axis=1, keepdims=True)
    pad = lambda a: np.concatenate([np.full(n, np.nan), a])
    return pad((dev**2).mean(1)), pad((dev**3).mean(1)), pad((dev**4).mean(1))


def skew(p):
    n = p["period"]
    if n >= 20:
        return lr.rolling(n).skew()
    # pandas' running power sums lose up to 2.6e-8 (n=3) on these data; below n=20 the reference is
    # a two-pass computation of the same estimator, G1 = sqrt(n(n-1))/(n-2) m3/m2^1.5.
    m2, m3, _ = central_moments(n)
    return np.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5


def kurt(p):
    n = p["period"]
    if n >= 20:
        return lr.rolling(n).kurt()
    # As for skew (pandas loses up to 2.5e-7 at n=4): G2 = ((n²-1) m4/m2² - 3(n-1)²) / ((n-2)(n-3)).
    m2, _, m4 = central_moments(n)
    return ((n * n - 1) * m4 / m2**2 - 3 * (n - 1) ** 2) / ((n - 2) * (n - 3))


def autocorr(p):
    # pandas' own definition: Series.autocorr(lag) = corr(s, s.shift(lag)) within each window.
    return lr.rolling(p["period"]).apply(lambda w: pd.Series(w).autocorr(p["lag"]), raw=True)


FEATURES = {
    "return": lambda p: [c.pct_change(p["period"])],
    "log_return": lambda p: [logret(p["period"])],
    "volatility": lambda p: [lr.rolling(p["period"]).std()],  # ddof=1
    "skewness": lambda p: [skew(p)],
    "kurtosis": lambda p: [kurt(p)],
    "return_quantiles": lambda p: [lr.rolling(p["period"]).quantile(q, interpolation="linear") for q in (p["lower"], p["upper"])],
    "close_rank": lambda p: [c.rolling(p["period"]).rank(pct=True)],  # method='average'
    "autocorrelation": lambda p: [autocorr(p)],
}

out = {}
for case in d["cases"]:
    for name, s in zip(case["outputs"], FEATURES[case["feature"]](case["params"]), strict=True):
        out[name] = [None if np.isnan(v) else float(v) for v in np.asarray(s, dtype=float)]
print(json.dumps(out))
