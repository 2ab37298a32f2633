"""Independent references for core/rolling.ts: TA-Lib (C library) and pandas."""
import json, sys
import numpy as np, pandas as pd, talib

d = json.load(sys.stdin)
h, l, c = (np.array(d[k], dtype=float) for k in ("high", "low", "close"))
out = {
    "sma_20": talib.SMA(c, 20),
    "ema_20": talib.EMA(c, 20),
    "atr_14": talib.ATR(h, l, c, 14),
    "trange": talib.TRANGE(h, l, c),
    "max_20": talib.MAX(h, 20),
    "min_20": talib.MIN(l, 20),
    "stddev_20": talib.STDDEV(c, 20, 1),
    "std_sample_20": pd.Series(c).rolling(20).std(ddof=1).values,
    # Wilder smoothing = EMA with alpha 1/n seeded by the SMA of the first n values; pandas' ewm
    # with adjust=False applied after replacing the first n values by their mean gives the same.
    "smma_14": None,
}
s = pd.Series(c)
seed = s.iloc[:14].mean()
x = pd.concat([pd.Series([seed]), s.iloc[14:]], ignore_index=True)
smma = x.ewm(alpha=1 / 14, adjust=False).mean().values
out["smma_14"] = np.concatenate([np.full(13, np.nan), smma])
print(json.dumps({k: [None if np.isnan(v) else float(v) for v in a] for k, a in out.items()}))
