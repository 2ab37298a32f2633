"""Independent references for indicators/momentum: TA-Lib 0.8 (the C library, via its Python wheel).

stdin: {"high", "low", "close", "volume": [...], "specs": [{"name", "params"}]} (params already
parsed, defaults filled); stdout: {column name: [value | null]} for every output of every spec.
"""
import json, sys
import numpy as np, talib

d = json.load(sys.stdin)
h, l, c, v = (np.array(d[k], dtype=float) for k in ("high", "low", "close", "volume"))


def macd(p):
    # Not talib.MACD: TA-Lib seeds the fast EMA with the SMA of the fast-period window ending where
    # the slow EMA starts, not of the first `fast` closes. Our convention (every EMA seeded with the
    # SMA of its first n values) is talib.EMA's, so the line is built from two talib.EMA calls and
    # the signal is talib.EMA of the line's defined part.
    fast, slow, signal = p["fast"], p["slow"], p["signal"]
    line = talib.EMA(c, fast) - talib.EMA(c, slow)
    start = int(np.argmax(~np.isnan(line)))
    sig = np.full_like(line, np.nan)
    sig[start:] = talib.EMA(line[start:], signal)
    s = f"{fast}_{slow}_{signal}"
    return {f"macd_{s}": line, f"macd_signal_{s}": sig, f"macd_hist_{s}": line - sig}


def stoch(p):
    n, sk, sd = p["period"], p["smoothK"], p["smoothD"]
    k, dd = talib.STOCH(h, l, c, fastk_period=n, slowk_period=sk, slowk_matype=0, slowd_period=sd, slowd_matype=0)
    s = f"{n}_{sk}_{sd}"
    return {f"stoch_k_{s}": k, f"stoch_d_{s}": dd}


FEATURES = {
    "rsi": lambda p: {f"rsi_{p['period']}": talib.RSI(c, p["period"])},
    "macd": macd,
    "willr": lambda p: {f"willr_{p['period']}": talib.WILLR(h, l, c, p["period"])},
    "cci": lambda p: {f"cci_{p['period']}": talib.CCI(h, l, c, p["period"])},
    "mfi": lambda p: {f"mfi_{p['period']}": talib.MFI(h, l, c, v, p["period"])},
    "roc": lambda p: {f"roc_{p['period']}": talib.ROC(c, p["period"])},
    "stoch": stoch,
}

out = {}
for spec in d["specs"]:
    out.update(FEATURES[spec["name"]](spec["params"]))
# TA-Lib's own MACD, to show that it differs from the EMA-difference convention early on.
out["talib_macd_12_26_9"] = talib.MACD(c, 12, 26, 9)[0]
# The fast stochastic %K (STOCHF), for stochasticFastK.
out["stochf_k_14"] = talib.STOCHF(h, l, c, fastk_period=14, fastd_period=1, fastd_matype=0)[0]
# STOCH reports slowk only where slowd exists; the slow %K with its own warm-up is the SMA of STOCHF's %K.
out["stoch_slowk_own_14_3"] = np.concatenate([np.full(13, np.nan), talib.SMA(out["stochf_k_14"][13:], 3)])
print(json.dumps({k: [None if np.isnan(x) else float(x) for x in a] for k, a in out.items()}))
