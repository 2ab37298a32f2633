"""Independent references for the derivatives features: pandas rolling mean, diff, shift and numpy log/sign.

Input: {"fundingRate", "openInterest", "close": [...], "windows": [n...]}.
Output: {"funding_rate", "funding_mean_<n>", "funding_mom_<n>", "oi_change_<n>", "oi_price_div_<n>", "oi_price_agree_<n>": [...]}.
"""
import json, sys
import numpy as np, pandas as pd

d = json.load(sys.stdin)
col = lambda k: pd.Series(np.array([np.nan if v is None else v for v in d[k]], dtype=float))
f, oi, c = col("fundingRate"), col("openInterest"), col("close")


def log_change(s, n):
    prev = s.shift(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(s / prev).where((s > 0) & (prev > 0))


out = {"funding_rate": f}
for n in d["windows"]:
    out[f"funding_mean_{n}"] = f.rolling(n).mean()
    out[f"funding_mom_{n}"] = f.diff(n)
    oi_ch, price_ch = log_change(oi, n), log_change(c, n)
    out[f"oi_change_{n}"] = oi_ch
    out[f"oi_price_div_{n}"] = oi_ch - price_ch
    out[f"oi_price_agree_{n}"] = np.sign(oi_ch) * np.sign(price_ch)
print(json.dumps({k: [None if np.isnan(x) else float(x) for x in s.values] for k, s in out.items()}))
