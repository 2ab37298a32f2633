"""Independent reference for timeSeriesSplit.ts: scikit-learn's TimeSeriesSplit, case by case.

stdin: {"cases": [{"n", "nSplits"?, "maxTrainSize"?, "testSize"?, "gap"?}, ...]}
stdout: {"sklearn": version, "results": [{"folds": [[train, test], ...]} | {"error": message}, ...]}
"""
import json, sys
import numpy as np
import sklearn
from sklearn.model_selection import TimeSeriesSplit

results = []
for c in json.load(sys.stdin)["cases"]:
    cv = TimeSeriesSplit(n_splits=c.get("nSplits", 5), max_train_size=c.get("maxTrainSize"), test_size=c.get("testSize"), gap=c.get("gap", 0))
    try:
        results.append({"folds": [[tr.tolist(), te.tolist()] for tr, te in cv.split(np.zeros((c["n"], 1)))]})
    except ValueError as e:
        results.append({"error": str(e)})
print(json.dumps({"sklearn": sklearn.__version__, "results": results}))
