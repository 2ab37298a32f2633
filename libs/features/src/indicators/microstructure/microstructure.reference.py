"""Independent references for the microstructure features: pandas rolling sums, means and std.

Input: {"volume", "takerBuyBaseVolume", "largeTradeVolume", "trades": [...], "windows": [n...]}.
Output: {"taker_buy_ratio_<n>", "large_trade_share_<n>", "trade_intensity_<n>", "trade_intensity_z_<n>": [...]}.
"""
import json, sys
import numpy as np, pandas as pd

d = json.load(sys.stdin)
col = lambda k: pd.Series(np.array([np.nan if v is None else v for v in d[k]], dtype=float))
v, tb, lt, tr = col("volume"), col("takerBuyBaseVolume"), col("largeTradeVolume"), col("trades")


def share(num, den, n):
    s = den.rolling(n).sum()
    return (num.rolling(n).sum() / s).where(s != 0)


out = {}
for n in d["windows"]:
    out[f"taker_buy_ratio_{n}"] = share(tb, v, n)
    out[f"large_trade_share_{n}"] = share(lt, v, n)
    if n >= 2:
        mean = tr.rolling(n).mean()
        std = tr.rolling(n).std(ddof=1)
        out[f"trade_intensity_{n}"] = (tr / mean).where(mean != 0)
        out[f"trade_intensity_z_{n}"] = ((tr - mean) / std).where(std > 0)
print(json.dumps({k: [None if np.isnan(x) else float(x) for x in s.values] for k, s in out.items()}))
