"""Reference for StandardScaler.spec.ts: scikit-learn's StandardScaler fitted on the train rows,
applied to the test rows. stdin: {cols, train: [...], test: [...]} (row-major, null = NaN);
stdout: mean, scale, var, n_samples_seen and the transformed test rows (null = NaN)."""
import json
import sys

import numpy as np
from sklearn.preprocessing import StandardScaler


def matrix(values, cols):
    return np.array([np.nan if v is None else v for v in values], dtype=np.float32).reshape(-1, cols)


def jsonable(a):
    return [None if np.isnan(v) else float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


inp = json.load(sys.stdin)
cols = inp["cols"]
scaler = StandardScaler().fit(matrix(inp["train"], cols))
out = scaler.transform(matrix(inp["test"], cols))
n_seen = np.broadcast_to(scaler.n_samples_seen_, (cols,))
json.dump({"mean": jsonable(scaler.mean_), "scale": jsonable(scaler.scale_), "var": jsonable(scaler.var_),
           "n_samples_seen": jsonable(n_seen), "test": jsonable(out), "dtype": str(out.dtype)}, sys.stdout)
