"""Reference side of the LightGBM parity tests: the Python lightgbm package on raw float32 files.

    predict MODEL_TXT X_BIN ROWS COLS OUT_BIN        Booster(model_file=...).predict -> float64 rows x 3
    train PARAMS_JSON X_BIN Y_BIN ROWS COLS ROUNDS OUT_MODEL_TXT
                                                     lgb.train(params, Dataset(X, label=y)) -> model text
"""
import json
import sys

import lightgbm as lgb
import numpy as np


def matrix(path, rows, cols):
    return np.fromfile(path, dtype=np.float32).reshape(int(rows), int(cols))


def predict(model_txt, x_bin, rows, cols, out_bin):
    booster = lgb.Booster(model_file=model_txt)
    proba = booster.predict(matrix(x_bin, rows, cols))
    np.ascontiguousarray(proba, dtype=np.float64).tofile(out_bin)


def train(params_json, x_bin, y_bin, rows, cols, rounds, out_model):
    with open(params_json) as f:
        params = json.load(f)  # values stay the exact strings the C API got from us
    rounds = int(params.pop("num_iterations", rounds))  # lgb.train wants the round count as an int
    label = np.fromfile(y_bin, dtype=np.float32)
    booster = lgb.train(params, lgb.Dataset(matrix(x_bin, rows, cols), label=label), num_boost_round=rounds)
    booster.save_model(out_model)


if __name__ == "__main__":
    {"predict": predict, "train": train}[sys.argv[1]](*sys.argv[2:])
