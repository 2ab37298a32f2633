"""Independent references for libs/validation/src/montecarlo (arch 8.0, numpy, scipy, statsmodels of the tools venv).

stdin: {
  "blockLength": [[x...], ...],                                  # arch.bootstrap.optimal_block_length per series
  "bootstrap": [{"x": [...], "block": b, "reps": B, "seed": s}], # arch StationaryBootstrap: bootstrap mean and Sharpe per replicate
  "quantiles": {"x": [...], "p": [...]},                         # numpy.quantile (linear) and the historical VaR / CVaR
  "dm": [{"a": [...], "b": [...], "lag": L}],                    # Diebold-Mariano by numpy + scipy, and statsmodels' HAC of a mean
  "t": [[t, dof], ...]                                           # scipy.stats.t.cdf
}
stdout: the same keys with the reference values, plus the package versions.
"""
import json, sys
import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
import arch
from arch.bootstrap import StationaryBootstrap, optimal_block_length

inp = json.load(sys.stdin)
out = {"arch": arch.__version__, "numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__}


def sharpe(x):
    return x.mean() / x.std(ddof=1)


if "blockLength" in inp:
    out["blockLength"] = [optimal_block_length(np.asarray(x, dtype=float)).iloc[0].to_dict() for x in inp["blockLength"]]

if "bootstrap" in inp:
    res = []
    for c in inp["bootstrap"]:
        x = np.asarray(c["x"], dtype=float)
        bs = StationaryBootstrap(c["block"], x, seed=c["seed"])
        stats_ = bs.apply(lambda v: np.array([v.mean(), sharpe(v)]), c["reps"])
        res.append({"mean": stats_[:, 0].tolist(), "sharpe": stats_[:, 1].tolist()})
    out["bootstrap"] = res

if "quantiles" in inp:
    x = np.asarray(inp["quantiles"]["x"], dtype=float)
    p = np.asarray(inp["quantiles"]["p"], dtype=float)
    var = {}
    for level in (0.95, 0.99):
        q = np.quantile(x, 1 - level)
        var[str(level)] = {"var": float(-q), "cvar": float(-x[x <= q].mean())}
    out["quantiles"] = {"q": np.quantile(x, p).tolist(), "tail": var}

if "dm" in inp:
    res = []
    for c in inp["dm"]:
        d = np.asarray(c["a"], dtype=float) - np.asarray(c["b"], dtype=float)
        n, lag = d.size, c["lag"]
        e = d - d.mean()
        gamma = [e[k:] @ e[: n - k] / n for k in range(lag + 1)]
        v = gamma[0] + 2 * sum((1 - k / (lag + 1)) * gamma[k] for k in range(1, lag + 1))
        dm = d.mean() / np.sqrt(v / n)
        h = lag + 1
        hln = dm * np.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
        # statsmodels: OLS of d on a constant with Bartlett HAC (no small-sample correction) gives se^2 = V/n
        fit = sm.OLS(d, np.ones(n)).fit(cov_type="HAC", cov_kwds={"maxlags": lag, "use_correction": False})
        res.append({
            "statistic": float(dm), "p": float(stats.norm.cdf(dm)), "variance": float(v),
            "hln": float(hln), "hln_p": float(stats.t.cdf(hln, n - 1)),
            "statsmodels_t": float(fit.tvalues[0]),
        })
    out["dm"] = res

if "t" in inp:
    out["t"] = [float(stats.t.cdf(t, dof)) for t, dof in inp["t"]]

print(json.dumps(out))
