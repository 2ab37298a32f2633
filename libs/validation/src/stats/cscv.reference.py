"""Independent PBO by CSCV (Bailey et al. 2017, section 2): numpy + itertools + scipy.stats.rankdata.
stdin: {"values": [[...N] * T], "blocks": S}; stdout: {"pbo", "logits"}. Drops the T mod S first rows."""
import itertools, json, sys
import numpy as np
from scipy.stats import rankdata

d = json.load(sys.stdin)
M = np.asarray(d["values"], dtype=float)
S = d["blocks"]
T, N = M.shape
size = T // S
M = M[T - size * S:]
blocks = np.split(M, S)

def sharpe(rows):
    sd = rows.std(axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sd > 1e-300, rows.mean(axis=0) / sd, 0.0)

logits = []
for J in itertools.combinations(range(S), S // 2):
    Jbar = [b for b in range(S) if b not in J]
    r_is = sharpe(np.vstack([blocks[b] for b in J]))
    r_oos = sharpe(np.vstack([blocks[b] for b in Jbar]))
    best = int(np.argmax(r_is))  # first maximum: the lowest index on ties
    w = rankdata(r_oos, method="average")[best] / (N + 1)
    logits.append(float(np.log(w / (1 - w))))
print(json.dumps({"pbo": float(np.mean(np.asarray(logits) <= 0)), "logits": logits}))
