"""Independent references for indicators/trend.

- EMA / SMA ratios, ADX, +DI, -DI, Parabolic SAR: TA-Lib 0.8 (the C library, via its Python wheel).
- Ichimoku: pandas rolling max/min and shift.
- SuperTrend: a line-by-line transliteration of the `pine_supertrend` function that TradingView
  publishes in its Pine Script reference for ta.supertrend
  (https://www.tradingview.com/pine-script-reference/v5/#fun_ta.supertrend), with talib.ATR as the ATR.

stdin: {"high", "low", "close": [...], "specs": [{"name", "params"}]} (params already parsed,
defaults filled); stdout: {column name: [value | null]} for every output of every spec, plus the
raw lines of the default SAR, Ichimoku and SuperTrend.
"""
import json, sys
import numpy as np, pandas as pd, talib

d = json.load(sys.stdin)
h, l, c = (np.array(d[k], dtype=float) for k in ("high", "low", "close"))


def tag(x):
    return str(x).replace(".", "p")


def sar(acc, mx):
    s = talib.SAR(h, l, acceleration=acc, maximum=mx)
    # The side from the SAR's position: below the bar while long, above it while short.
    side = np.where(np.isnan(s), np.nan, np.where(s < (h + l) / 2, 1.0, -1.0))
    return s, side


def ichimoku(tenkan, kijun, senkou_b, shift):
    H, L = pd.Series(h), pd.Series(l)
    mid = lambda n: (H.rolling(n).max() + L.rolling(n).min()) / 2
    t, k = mid(tenkan), mid(kijun)
    return t.values, k.values, ((t + k) / 2).shift(shift).values, mid(senkou_b).shift(shift).values


def pine_supertrend(factor, atr_period):
    atr = talib.ATR(h, l, c, atr_period)
    src = (h + l) / 2
    n = len(c)
    lower_band, upper_band, super_trend, direction = (np.full(n, np.nan) for _ in range(4))
    nz = lambda x: 0.0 if np.isnan(x) else x
    for i in range(1, n):
        if np.isnan(atr[i]):
            continue
        upper = src[i] + factor * atr[i]
        lower = src[i] - factor * atr[i]
        prev_lower, prev_upper = nz(lower_band[i - 1]), nz(upper_band[i - 1])
        lower = lower if (lower > prev_lower or c[i - 1] < prev_lower) else prev_lower
        upper = upper if (upper < prev_upper or c[i - 1] > prev_upper) else prev_upper
        if np.isnan(atr[i - 1]):
            dr = 1
        elif super_trend[i - 1] == prev_upper:
            dr = -1 if c[i] > upper else 1
        else:
            dr = 1 if c[i] < lower else -1
        super_trend[i] = lower if dr == -1 else upper
        lower_band[i], upper_band[i] = lower, upper
        direction[i] = -dr  # Pine: -1 = up; ours: +1 = up
    return super_trend, direction


def dist(level):
    return (c - level) / c


def f_ema_ratio(p):
    return {f"ema_ratio_{p['period']}": c / talib.EMA(c, p["period"]) - 1}


def f_sma_ratio(p):
    return {f"sma_ratio_{p['period']}": c / talib.SMA(c, p["period"]) - 1}


def f_adx(p):
    n = p["period"]
    return {f"adx_{n}": talib.ADX(h, l, c, n), f"plus_di_{n}": talib.PLUS_DI(h, l, c, n), f"minus_di_{n}": talib.MINUS_DI(h, l, c, n)}


def f_sar(p):
    s, side = sar(p["acceleration"], p["maximum"])
    t = f"{tag(p['acceleration'])}_{tag(p['maximum'])}"
    return {f"sar_dist_{t}": dist(s), f"sar_side_{t}": side}


def f_ichimoku(p):
    t, k, a, b = ichimoku(p["tenkan"], p["kijun"], p["senkouB"], p["displacement"])
    return {
        f"ichimoku_tenkan_dist_{p['tenkan']}": dist(t),
        f"ichimoku_kijun_dist_{p['kijun']}": dist(k),
        f"ichimoku_senkou_a_dist_{p['tenkan']}_{p['kijun']}_{p['displacement']}": dist(a),
        f"ichimoku_senkou_b_dist_{p['senkouB']}_{p['displacement']}": dist(b),
    }


def f_supertrend(p):
    st, dr = pine_supertrend(p["multiplier"], p["period"])
    s = f"{p['period']}_{tag(p['multiplier'])}"
    return {f"supertrend_dist_{s}": dist(st), f"supertrend_dir_{s}": dr}


FEATURES = {"ema_ratio": f_ema_ratio, "sma_ratio": f_sma_ratio, "adx": f_adx, "sar": f_sar, "ichimoku": f_ichimoku, "supertrend": f_supertrend}

out = {}
for spec in d["specs"]:
    out.update(FEATURES[spec["name"]](spec["params"]))
# Raw lines for the plain functions, default parameters.
out["sar"], out["sar_side"] = sar(0.02, 0.2)
out["tenkan"], out["kijun"], out["senkou_a"], out["senkou_b"] = ichimoku(9, 26, 52, 26)
out["supertrend"], out["supertrend_dir"] = pine_supertrend(3, 10)
print(json.dumps({k: [None if np.isnan(x) else float(x) for x in a] for k, a in out.items()}))
