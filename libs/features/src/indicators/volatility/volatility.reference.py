"""Independent references for indicators/volatility: TA-Lib 0.8.2 (C library) ATR, NATR, BBANDS,
EMA; pandas 2.3 rolling max/min for Donchian.

stdin: {"high", "low", "close": [...], "cases": [{"feature": name, "params": {...}, "outputs": [column, ...]}]}
stdout: {column: [value | null]}
"""
import json, sys
import numpy as np, pandas as pd, talib

d = json.load(sys.stdin)
h, l, c = (np.array(d[k], dtype=float) for k in ("high", "low", "close"))
cs = pd.Series(c)


def pos(lower, upper):
    return (c - lower) / (upper - lower)


def atr_bands(p):
    # Bands for bar t from bar t-1: close[t-1] ± k·ATR[t-1].
    a = pd.Series(talib.ATR(h, l, c, p["period"])).shift(1).values
    prev = cs.shift(1).values
    lower, upper = prev - p["mult"] * a, prev + p["mult"] * a
    return [pos(lower, upper), (c - upper) / c, (c - lower) / c]


def bollinger(p):
    upper, middle, lower = talib.BBANDS(c, p["period"], p["mult"], p["mult"], matype=talib.MA_Type.SMA)
    return [pos(lower, upper), (upper - lower) / middle]


def donchian(p):
    upper = pd.Series(h).rolling(p["period"]).max().values
    lower = pd.Series(l).rolling(p["period"]).min().values
    mid = (upper + lower) / 2
    return [pos(lower, upper), (upper - lower) / mid, (c - mid) / c]


def keltner(p):
    mid = talib.EMA(c, p["emaPeriod"])
    a = talib.ATR(h, l, c, p["atrPeriod"])
    lower, upper = mid - p["mult"] * a, mid + p["mult"] * a
    return [pos(lower, upper), (upper - lower) / mid]


FEATURES = {
    "atr": lambda p: [talib.ATR(h, l, c, p["period"])],
    "natr": lambda p: [talib.NATR(h, l, c, p["period"]) / 100],
    "atr_bands": atr_bands,
    "bollinger": bollinger,
    "donchian": donchian,
    "keltner": keltner,
}

out = {}
for case in d["cases"]:
    for name, s in zip(case["outputs"], FEATURES[case["feature"]](case["params"]), strict=True):
        out[name] = [None if np.isnan(v) else float(v) for v in np.asarray(s, dtype=float)]
print(json.dumps(out))
