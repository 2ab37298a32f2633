"""Independent reference for the cross-asset features: pandas rolling corr, cov and var of log returns.

Input: {"close", "refClose": [...], "windows": [n...]}. Output: {"corr_ref_<n>", "beta_ref_<n>": [...]}.
A leg whose window holds one value only (rolling max == min) has no variance: corr and beta are
undefined there (pandas would divide by its zero variance).
"""
import json, sys
import numpy as np, pandas as pd

d = json.load(sys.stdin)
col = lambda k: pd.Series(np.array([np.nan if v is None else v for v in d[k]], dtype=float))
r = np.log(col("close") / col("close").shift(1))
rr = np.log(col("refClose") / col("refClose").shift(1))

out = {}
for n in d["windows"]:
    flat = lambda s: s.rolling(n).max() == s.rolling(n).min()
    out[f"corr_ref_{n}"] = r.rolling(n).corr(rr).where(~flat(r) & ~flat(rr))
    out[f"beta_ref_{n}"] = (r.rolling(n).cov(rr) / rr.rolling(n).var()).where(~flat(rr))
print(json.dumps({k: [None if np.isnan(x) else float(x) for x in s.values] for k, s in out.items()}))
