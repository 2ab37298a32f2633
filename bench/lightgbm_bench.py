"""Python side of bench/lightgbm.bench.ts: the same training through the lightgbm package.

    python lightgbm_bench.py DIR ROWS COLS

DIR holds x.bin (float32, row-major), y.bin (float32 class indices) and params.json (the exact
parameter map LightGBMModel passes to the C API). Times lgb.Dataset + lgb.train (dataset
construction is lazy, so it happens inside train, as in our fit), writes the model text to
DIR/python_model.txt and prints {"trainSeconds": ...} as JSON. Import time is not counted.
"""
import json
import sys
import time

import lightgbm as lgb
import numpy as np


def main(directory, rows, cols):
    x = np.fromfile(f"{directory}/x.bin", dtype=np.float32).reshape(int(rows), int(cols))
    y = np.fromfile(f"{directory}/y.bin", dtype=np.float32)
    with open(f"{directory}/params.json") as f:
        params = json.load(f)
    rounds = int(params.pop("num_iterations"))
    t0 = time.perf_counter()
    booster = lgb.train(params, lgb.Dataset(x, label=y), num_boost_round=rounds)
    t1 = time.perf_counter()
    booster.save_model(f"{directory}/python_model.txt")
    print(json.dumps({"trainSeconds": t1 - t0, "lightgbm": lgb.__version__, "trees": booster.num_trees()}))


if __name__ == "__main__":
    main(*sys.argv[1:])
