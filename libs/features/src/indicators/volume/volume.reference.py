"""Independent references for indicators/volume: TA-Lib 0.8.2 (C library) OBV; pandas 2.3 rolling
mean/std/sum; numpy sliding windows (two-pass) for the rolling VWAP and its weighted std.

stdin: {"high", "low", "close", "volume": [...], "cases": [{"feature": name, "params": {...}, "outputs": [column, ...]}]}
stdout: {column: [value | null]}, plus "obv": raw TA-Lib OBV
"""
import json, sys
import numpy as np, pandas as pd, talib
from numpy.lib.stride_tricks import sliding_window_view

d = json.load(sys.stdin)
h, l, c, v = (np.array(d[k], dtype=float) for k in ("high", "low", "close", "volume"))
cs, vs = pd.Series(c), pd.Series(v)


def zscore(s, n):
    return (s - s.rolling(n).mean()) / s.rolling(n).std()  # sample std, ddof=1


def obv_divergence(p):
    n = p["period"]
    o = pd.Series(talib.OBV(c, v))
    total, path = vs.rolling(n).sum(), cs.diff().abs().rolling(n).sum()
    # Convention: a window without volume (price movement) has flow (efficiency) 0.
    flow = (o.diff(n) / total).where(total != 0, 0)
    efficiency = (cs.diff(n) / path).where(path != 0, 0)
    return [flow, flow - efficiency, (np.sign(o.diff(n)) - np.sign(cs.diff(n))) / 2]


def vwap(p):
    n, k = p["period"], p["mult"]
    tp = sliding_window_view((h + l + c) / 3, n)
    w = sliding_window_view(v, n)
    mean = (tp * w).sum(axis=1) / w.sum(axis=1)
    std = np.sqrt((w * (tp - mean[:, None]) ** 2).sum(axis=1) / w.sum(axis=1))
    pad = lambda a: np.concatenate([np.full(n - 1, np.nan), a])
    mean, std = pad(mean), pad(std)
    lower, upper = mean - k * std, mean + k * std
    return [(c - mean) / c, (c - lower) / (upper - lower)]


FEATURES = {
    "obv_zscore": lambda p: [zscore(pd.Series(talib.OBV(c, v)), p["period"])],
    "obv_divergence": obv_divergence,
    "vwap": vwap,
    "volume_zscore": lambda p: [zscore(vs, p["period"])],
}

out = {"obv": [float(x) for x in talib.OBV(c, v)]}
for case in d["cases"]:
    for name, s in zip(case["outputs"], FEATURES[case["feature"]](case["params"]), strict=True):
        out[name] = [None if np.isnan(x) else float(x) for x in np.asarray(s, dtype=float)]
print(json.dumps(out))
