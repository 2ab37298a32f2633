"""Independent references for the frequency features: numpy.fft.rfft and PyWavelets' wavedec, one window at a time.

Input: {"series": {name: close[]}, "fft": [window...], "wavelet": [[window, wavelet, levels]...]}.
Output: {"<series>/fft_<band>_<W>": [...], "<series>/<wavelet>_<d1..dL|aL>_<W>_L<levels>": [...]} (null for NaN).
"""
import json, sys, warnings
import numpy as np, pywt

# Small windows at deep levels wrap the filter more than once; that is the case under test, not a mistake.
warnings.filterwarnings("ignore", message="Level value of .* is too high")

d = json.load(sys.stdin)


def log_returns(close):
    c = np.array([np.nan if v is None else v for v in close], dtype=float)
    r = np.full(len(c), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        r[1:] = np.log(c[1:] / c[:-1])
    return r


def windows(r, w):
    """Yields (t, demeaned window) for each t whose window is finite and not flat."""
    for t in range(w - 1, len(r)):
        x = r[t - w + 1 : t + 1]
        if not np.all(np.isfinite(x)) or np.ptp(x) == 0:
            continue
        yield t, x - x.mean()


def fft_bands(r, w):
    low, mid, high = (np.full(len(r), np.nan) for _ in range(3))
    for t, x in windows(r, w):
        p = np.abs(np.fft.rfft(x)) ** 2  # bins 0..w/2
        p[1 : w // 2] *= 2               # one-sided: mirror bins; DC and Nyquist once
        total = p[1:].sum()
        low[t] = p[1 : w // 8 + 1].sum() / total
        mid[t] = p[w // 8 + 1 : w // 4 + 1].sum() / total
        high[t] = p[w // 4 + 1 :].sum() / total
    return {"low": low, "mid": mid, "high": high}


def wavelet_energy(r, w, wavelet, levels):
    out = {f"d{j}": np.full(len(r), np.nan) for j in range(1, levels + 1)}
    out[f"a{levels}"] = np.full(len(r), np.nan)
    for t, x in windows(r, w):
        coeffs = pywt.wavedec(x, wavelet, mode="periodization", level=levels)  # [aL, dL, ..., d1]
        energy = [float(np.sum(c ** 2)) for c in coeffs]
        total = sum(energy)
        out[f"a{levels}"][t] = energy[0] / total
        for j in range(1, levels + 1):
            out[f"d{j}"][t] = energy[levels + 1 - j] / total
    return out


result = {}
for name, close in d["series"].items():
    r = log_returns(close)
    for w in d["fft"]:
        for band, v in fft_bands(r, w).items():
            result[f"{name}/fft_{band}_{w}"] = v
    for w, wavelet, levels in d["wavelet"]:
        for key, v in wavelet_energy(r, w, wavelet, levels).items():
            result[f"{name}/{wavelet}_{key}_{w}_L{levels}"] = v
print(json.dumps({k: [None if np.isnan(v) else float(v) for v in a] for k, a in result.items()}))
