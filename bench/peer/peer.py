"""The Python peer of steps 3–5 of our training pipeline (see README.md next to this file).

    python bench/peer/peer.py --features features.parquet --plan plan.json --processes P --out result.json

Does all the model work of pruneRunFeatures, the coarse search, the regime ensembles' units, the
governor and the final search, in that order, with the lightgbm / xgboost Python packages (one
thread per fit), scikit-learn's StandardScaler and metrics, and joblib (loky, P processes) over the
independent jobs of a phase (search trials, units). plan.json (bench/peer/exportPlan.ts) carries
only bookkeeping: rows, folds, early-stopping holdouts, the coarse trials' parameter sets, config.
"""
import argparse
import json
import math
import sys
import time

import joblib
import lightgbm as lgb
import numpy as np
import pandas as pd
import pyarrow
import sklearn
import xgboost as xgb
from joblib import Parallel, delayed
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, log_loss
from sklearn.preprocessing import StandardScaler

CLASSES = [0, 1, 2]  # down, flat, up (labels -1/0/1 + 1)
BASE_TYPES = ["lightgbm", "random_forest", "xgboost"]
# loadTrainingData: columns that are never features.
NON_FEATURES = {
    "open_time", "close_time", "label", "t1", "label_ret", "regime",
    "open", "high", "low", "close", "volume", "quote_volume", "trades", "taker_buy_base_volume", "taker_buy_quote_volume",
}

# ---------------------------------------------------------------------------------------------
# Our option names -> native parameters (LightGBMOptions.ts lightgbmParams, XGBoostOptions.ts
# boosterParams), with the same defaults. Unknown option names are an error, not ignored.

LGB_DEFAULTS = {
    "boosting": "gbdt", "numIterations": 100, "learningRate": 0.1, "numLeaves": 31, "maxDepth": -1,
    "minDataInLeaf": 20, "featureFraction": 1.0, "baggingFraction": 1.0, "baggingFreq": 0,
    "lambdaL1": 0.0, "lambdaL2": 0.0, "earlyStoppingRounds": 50, "numThreads": 0, "seed": 42,
}
XGB_DEFAULTS = {
    "nEstimators": 500, "learningRate": 0.05, "maxDepth": 6, "minChildWeight": 1.0, "subsample": 1.0,
    "colsampleBytree": 1.0, "regAlpha": 0.0, "regLambda": 1.0, "treeMethod": "hist", "nthread": 0, "seed": 0,
    "earlyStoppingRounds": 50,
}
RF_DEFAULTS = {}  # filled from the plan (RANDOM_FOREST_DEFAULTS)


def _merge(defaults, options, what):
    unknown = set(options) - set(defaults)
    if unknown:
        raise ValueError(f"{what} options {sorted(unknown)} are not mapped by the peer")
    return {**defaults, **options}


def lgb_native(options, forest=False):
    """(params, rounds, patience) for LightGBM; the random forest is boosting 'rf' over RF_DEFAULTS."""
    o = _merge(LGB_DEFAULTS, {**(RF_DEFAULTS if forest else {}), **options, **({"boosting": "rf"} if forest else {})}, "LightGBM")
    params = {
        "objective": "multiclass", "num_class": 3, "metric": "multi_logloss", "boosting": o["boosting"],
        "learning_rate": o["learningRate"], "num_leaves": o["numLeaves"], "max_depth": o["maxDepth"],
        "min_data_in_leaf": o["minDataInLeaf"], "feature_fraction": o["featureFraction"],
        "bagging_fraction": o["baggingFraction"], "bagging_freq": o["baggingFreq"],
        "lambda_l1": o["lambdaL1"], "lambda_l2": o["lambdaL2"], "num_threads": o["numThreads"],
        "seed": o["seed"], "bagging_seed": o["seed"] + 1, "feature_fraction_seed": o["seed"] + 2,
        "data_random_seed": o["seed"] + 3, "deterministic": True, "force_row_wise": True, "verbosity": -1,
    }
    return params, int(o["numIterations"]), int(o["earlyStoppingRounds"])


def xgb_native(options):
    o = _merge(XGB_DEFAULTS, options, "XGBoost")
    params = {
        "objective": "multi:softprob", "num_class": 3, "eta": o["learningRate"], "max_depth": o["maxDepth"],
        "min_child_weight": o["minChildWeight"], "subsample": o["subsample"], "colsample_bytree": o["colsampleBytree"],
        "alpha": o["regAlpha"], "lambda": o["regLambda"], "tree_method": o["treeMethod"], "seed": o["seed"],
        "eval_metric": "mlogloss", "verbosity": 1, "validate_parameters": 1,
    }
    if o["nthread"] > 0:
        params["nthread"] = o["nthread"]
    return params, int(o["nEstimators"]), int(o["earlyStoppingRounds"])


def native(model_type, options):
    return xgb_native(options) if model_type == "xgboost" else lgb_native(options, forest=model_type == "random_forest")


def with_regularization(model_type, options, reg):
    """applyRegularization: the one regularization section overrides the tree models' L1/L2."""
    l1, l2 = reg["trees"]["l1"], reg["trees"]["l2"]
    if model_type == "xgboost":
        return {**options, "regAlpha": l1, "regLambda": l2}
    return {**options, "lambdaL1": l1, "lambdaL2": l2}


# ---------------------------------------------------------------------------------------------
# One fit. A fitted model predicts class probabilities with its kept rounds (best under early stopping).

class Fitted:
    def __init__(self, model_type, booster, best, grown=None):
        self.type, self.booster, self.best = model_type, booster, best
        self._grown = grown

    def predict(self, x):
        if self.type == "xgboost":
            return self.booster.predict(xgb.DMatrix(x, nthread=1), iteration_range=(0, self.best))
        return self.booster.predict(x, num_iteration=self.best, num_threads=1)

    @property
    def rounds(self):
        """Rounds grown (lgb.train keeps only the best ones in the returned booster, so early-stopped fits count their evaluations)."""
        if self._grown is not None:
            return self._grown
        return self.booster.num_boosted_rounds() if self.type == "xgboost" else self.booster.current_iteration()


def fit(model_type, options, x, y, valid=None):
    """Trains on (x, y); with `valid` = (x, y), early-stops on it (the model's own patience)."""
    params, rounds, patience = native(model_type, options)
    if model_type == "xgboost":
        dtrain = xgb.DMatrix(x, label=y, nthread=1)
        if valid is None:
            return Fitted(model_type, xgb.train(params, dtrain, num_boost_round=rounds), rounds)
        dvalid = xgb.DMatrix(valid[0], label=valid[1], nthread=1)
        booster = xgb.train(params, dtrain, num_boost_round=rounds, evals=[(dvalid, "valid")], early_stopping_rounds=patience, verbose_eval=False)
        return Fitted(model_type, booster, booster.best_iteration + 1)
    dtrain = lgb.Dataset(x, label=y)
    if valid is None:
        booster = lgb.train(params, dtrain, num_boost_round=rounds)
        return Fitted(model_type, booster, booster.current_iteration())
    dvalid = lgb.Dataset(valid[0], label=valid[1], reference=dtrain)
    history = {}
    callbacks = [lgb.record_evaluation(history)] + ([lgb.early_stopping(patience, verbose=False)] if patience > 0 else [])
    booster = lgb.train(params, dtrain, num_boost_round=rounds, valid_sets=[dvalid], callbacks=callbacks)
    grown = len(next(iter(history.values()))["multi_logloss"])
    return Fitted(model_type, booster, booster.best_iteration if patience > 0 else booster.current_iteration(), grown)


def fit_early_stopped(model_type, options, x, y, es):
    """fitWithEarlyStopping: on the holdout's fit rows, early-stopping on its (later) valid rows; without one, all rows."""
    if es is None:
        return fit(model_type, options, x, y)
    return fit(model_type, options, x[es["fit"]], y[es["fit"]], valid=(x[es["valid"]], y[es["valid"]]))


def score(metric, y, proba):
    """scoreMetric, oriented so that greater is better."""
    pred = proba.argmax(axis=1)
    if metric == "macro_f1":
        return f1_score(y, pred, labels=CLASSES, average="macro", zero_division=0)
    if metric == "accuracy":
        return accuracy_score(y, pred)
    if metric == "balanced_accuracy":
        return balanced_accuracy_score(y, pred)
    if metric == "log_loss":
        return -log_loss(y, proba, labels=CLASSES)
    raise ValueError(f"metric '{metric}' is not mapped by the peer")


# ---------------------------------------------------------------------------------------------
# Jobs (run in the joblib workers).

def run_trial(x, y, folds, model_type, options, metric):
    """One search trial: purged k-fold over the training rows, scaler fitted on each training fold."""
    scores, rounds = [], 0
    for f in folds:
        scaler = StandardScaler().fit(x[f["train"]])
        x_train, x_test = scaler.transform(x[f["train"]]), scaler.transform(x[f["test"]])
        model = fit_early_stopped(model_type, options, x_train, y[f["train"]], f["es"])
        scores.append(float(score(metric, y[f["test"]], model.predict(x_test))))
        rounds += model.rounds
    return {"scores": scores, "mean": float(np.mean(scores)), "fits": len(folds), "rounds": {model_type: rounds}}


def train_unit(x, y, unit, bases, meta_options):
    """One unit: stacked ensemble on the unit's fit rows, predicting its predict rows."""
    rows = unit["fit"]
    rounds = {}
    fits = 0

    def fitted(model_type, options, xs, ys, es):
        nonlocal fits
        model = fit_early_stopped(model_type, options, xs, ys, es)
        fits += 1
        rounds[model_type] = rounds.get(model_type, 0) + model.rounds
        return model

    # (1) Out-of-fold base probabilities over the inner purged folds.
    oof = np.full((len(rows), 3 * len(bases)), np.nan)
    for f in unit["innerFolds"]:
        at = np.searchsorted(rows, f["test"])
        scaler = StandardScaler().fit(x[f["train"]])
        x_train, x_test = scaler.transform(x[f["train"]]), scaler.transform(x[f["test"]])
        for m, (model_type, options) in enumerate(bases):
            oof[at, 3 * m:3 * m + 3] = fitted(model_type, options, x_train, y[f["train"]], f["es"]).predict(x_test)
    # (2) Meta-learner on the covered rows (float32 meta-features, as ours).
    covered = np.flatnonzero(np.isfinite(oof).all(axis=1))
    if not np.array_equal(rows[covered], unit["meta"]["rows"]):
        raise RuntimeError(f"unit {unit['id']}: out-of-fold rows differ from the plan's meta rows")
    meta = fitted("lightgbm", meta_options, oof[covered].astype(np.float32), y[rows[covered]], unit["meta"]["es"])
    # (3) Final base models on all the unit's rows; then predict.
    scaler = StandardScaler().fit(x[rows])
    x_all = scaler.transform(x[rows])
    finals = [fitted(model_type, options, x_all, y[rows], unit["finalEs"]) for model_type, options in bases]
    x_predict = scaler.transform(x[unit["predict"]])
    stacked = np.hstack([model.predict(x_predict) for model in finals]).astype(np.float32)
    return {"id": unit["id"], "proba": meta.predict(stacked), "fits": fits, "rounds": rounds}


# ---------------------------------------------------------------------------------------------
# Steps.

def load(path, plan):
    """loadTrainingData: by open_time, labelled rows with finite features, features as float32."""
    df = pd.read_parquet(path).sort_values("open_time", kind="stable")
    df = df[df["label"].notna()]
    columns = [c for c in df.columns if c not in NON_FEATURES]
    values = df[columns].to_numpy(np.float64)
    keep = np.isfinite(values).all(axis=1)
    x = np.ascontiguousarray(values[keep], dtype=np.float32)
    y = df["label"].to_numpy()[keep].astype(np.int64) + 1
    regime = df["regime"].to_numpy()[keep].astype(str)
    times = df["open_time"].to_numpy()[keep]
    data = plan["data"]
    if columns != plan["columns"] or len(y) != data["rows"] or times[0] != data["firstTime"] or times[-1] != data["lastTime"] or np.bincount(y, minlength=3).tolist() != data["classCounts"]:
        raise RuntimeError(f"{path}: rows or columns differ from the plan's ({len(y)} rows, {len(columns)} columns; plan {data['rows']}, {len(plan['columns'])})")
    return x, y, regime, columns


def prune(x, y, columns, plan):
    """pruneFeatures on the training rows: fold-averaged normalised gain, cumulative share, |corr| duplicates."""
    p = plan["prune"]
    if p["model"] == "xgboost":
        raise ValueError("pruning with xgboost is not mapped by the peer")
    importance = np.zeros(len(columns))
    used = 0
    for f in p["folds"]:
        gain = fit(p["model"], p["modelOptions"], x[f["train"]], y[f["train"]]).booster.feature_importance("gain")
        gain = np.where(np.isfinite(gain), gain, 0.0)
        if gain.sum() > 0:
            importance += gain / gain.sum()
            used += 1
    if used:
        importance /= used
    order = sorted(range(len(columns)), key=lambda c: (-importance[c], c))
    positive = [c for c in order if importance[c] > 0]
    if p["keepTop"] is not None:
        selected = positive[:p["keepTop"]]
    else:
        total, cum, selected = importance[positive].sum(), 0.0, []
        for c in positive:
            if cum >= p["minImportanceShare"] * total * (1 - 1e-12):
                break
            selected.append(c)
            cum += importance[c]
    train = x[plan["split"]["train"]].astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.corrcoef(train[:, selected], rowvar=False) if len(selected) > 1 else np.ones((1, 1))
    kept = []  # positions in `selected`
    for i in range(len(selected)):
        if not any(abs(corr[i, k]) > p["correlationThreshold"] for k in kept):
            kept.append(i)
    return [selected[i] for i in kept], len(p["folds"])


def search(parallel, x, y, plan, trials, metric, base_options):
    folds = plan["search"]["folds"]
    jobs = [(t, k, params) for t in BASE_TYPES for k, params in enumerate(trials[t])]
    results = parallel(delayed(run_trial)(x, y, folds, t, base_options(t, params), metric) for t, _, params in jobs)
    by_type = {t: [] for t in BASE_TYPES}
    for (t, k, params), r in zip(jobs, results):
        by_type[t].append({"trial": k, "params": params, **r})
    return by_type


def best_of(trials):
    """recordSearch: the first trial with the greatest mean."""
    top = trials[0]
    for t in trials[1:]:
        if t["mean"] > top["mean"]:
            top = t
    return top


def narrow_ranges(trials, space, top_fraction, margin, direction):
    """narrowRanges: [min, max] of the top trials, widened by margin x the original width (log space for log ranges), clipped."""
    scored = [(t["mean"], i, t) for i, t in enumerate(trials) if math.isfinite(t["mean"])]
    scored.sort(key=lambda s: ((-s[0]) if direction == "maximize" else s[0], s[1]))
    top = [t for _, _, t in scored[:max(1, math.ceil(top_fraction * len(scored)))]]
    out = {}
    for name, r in space.items():
        if r["type"] == "choice":
            seen = {t["params"].get(name) for t in top}
            values = [v for v in r["values"] if v in seen]
            out[name] = {"type": "choice", "values": values or list(r["values"])}
            continue
        log = r["type"] == "float" and r.get("log", False)
        vals = [t["params"][name] for t in top if isinstance(t["params"].get(name), (int, float)) and math.isfinite(t["params"][name])]
        if log:
            vals = [v for v in vals if v > 0]
        if not vals:
            out[name] = dict(r)
            continue
        fwd = math.log if log else (lambda v: v)
        lo0, hi0 = fwd(r["low"]), fwd(r["high"])
        w = margin * (hi0 - lo0)
        lo, hi = max(lo0, min(map(fwd, vals)) - w), min(hi0, max(map(fwd, vals)) + w)
        if r["type"] == "int":
            out[name] = {"type": "int", "low": max(r["low"], math.floor(lo)), "high": min(r["high"], math.ceil(hi))}
        else:
            inv = math.exp if log else (lambda v: v)
            out[name] = {"type": "float", "low": r["low"] if lo == lo0 else inv(lo), "high": r["high"] if hi == hi0 else inv(hi), "log": log}
    return out


def sample_trials(space, n, rng):
    """randomSearchPlan's draw (one uniform per parameter, names sorted), from a numpy generator."""
    trials = []
    for _ in range(n):
        params = {}
        for name in sorted(space):
            r, u = space[name], rng.random()
            if r["type"] == "int":
                params[name] = int(r["low"] + math.floor(u * (r["high"] - r["low"] + 1)))
            elif r["type"] == "float":
                params[name] = math.exp(math.log(r["low"]) + u * (math.log(r["high"]) - math.log(r["low"]))) if r.get("log") else r["low"] + u * (r["high"] - r["low"])
            else:
                params[name] = r["values"][math.floor(u * len(r["values"]))]
        trials.append(params)
    return trials


def governor_features(regime, proba_by_regime, regime_names):
    """governorFeatures: regime one-hot, then per regime's source ensemble its argmax one-hot and confidence."""
    n = len(regime)
    parts = [(regime[:, None] == np.array(regime_names)[None, :]).astype(np.float32)]
    finite = np.ones(n, dtype=bool)
    for name in regime_names:
        p = proba_by_regime[name]
        finite &= np.isfinite(p).all(axis=1)
        best = np.argmax(np.nan_to_num(p, nan=-np.inf), axis=1)
        onehot = np.zeros((n, 3), dtype=np.float32)
        onehot[np.arange(n), best] = 1
        parts += [onehot, p[np.arange(n), best].astype(np.float32)[:, None]]
    return np.hstack(parts), finite


def train_governor(y, regime, plan, unit_proba):
    """assembleGovernorData + GovernorModel.train + scoreGovernorTest's governor scores."""
    stage, split, names = plan["regimeStage"], plan["split"], plan["regimeNames"]
    full = {e: np.full((len(y), 3), np.nan) for e in stage["ensembles"]}
    for u in stage["units"]:
        full[u["ensemble"]][u["predict"]] = unit_proba[u["id"]]

    def slice_of(rows):
        rows = np.asarray(rows)
        feats, finite = governor_features(regime[rows], {r: full[stage["sources"][r]][rows] for r in names}, names)
        return feats[finite], y[rows[finite]]

    (x_train, y_train), (x_valid, y_valid), (x_test, y_test) = (slice_of(split[s]) for s in ("train", "valid", "test"))
    if len(y_valid) != len(split["valid"]) or len(y_test) != len(split["test"]):
        raise RuntimeError("validation or test rows lack a final ensemble prediction")
    scaler = StandardScaler().fit(x_train)
    model = fit("lightgbm", plan["models"]["governor"], scaler.transform(x_train), y_train, valid=(scaler.transform(x_valid), y_valid))
    proba = model.predict(scaler.transform(x_test))
    pred = proba.argmax(axis=1)
    test = {
        "rows": int(len(y_test)),
        "balancedAccuracy": float(balanced_accuracy_score(y_test, pred)),
        "logLoss": float(log_loss(y_test, proba, labels=CLASSES)),
        "accuracy": float(accuracy_score(y_test, pred)),
        "macroF1": float(f1_score(y_test, pred, labels=CLASSES, average="macro", zero_division=0)),
    }
    return test, {"bestIteration": model.best, "iterations": model.rounds, "trainRows": int(len(y_train)), "validRows": int(len(y_valid))}


def check_native(plan):
    """Our translation of option names must give the native parameters our bindings pass (plan.reference)."""
    def same(ours, reference):
        ref = dict(reference["params"])  # XGBoost's are [name, value] pairs
        ref.pop("num_iterations", None)  # LightGBM's rounds: passed as num_boost_round here
        mine = {k: ("true" if v is True else v) for k, v in ours[0].items()}
        ok = set(mine) == set(ref) and all(str(mine[k]) == ref[k] or (isinstance(mine[k], (int, float)) and float(mine[k]) == float(ref[k])) for k in mine)
        return ok and ours[1] == reference["rounds"] and ours[2] == reference["earlyStoppingRounds"]

    c, ref, models = plan["config"], plan["reference"], plan["models"]
    checks = [(native(plan["prune"]["model"], plan["prune"]["modelOptions"]), ref["prune"], "prune"),
              (native("lightgbm", models["meta"]), ref["meta"], "meta"), (native("lightgbm", models["governor"]), ref["governor"], "governor")]
    for t in BASE_TYPES:
        for k, params in enumerate(plan["search"]["coarseTrials"][t]):
            checks.append((native(t, search_options(plan, t, params)), ref["coarse"][t][k], f"coarse {t} trial {k}"))
    for ours, reference, what in checks:
        if not same(ours, reference):
            raise RuntimeError(f"native parameters of {what} differ from ours: peer {ours}, ours {reference}")
    if c["earlyStoppingShare"] > 0 and any(f["es"] is None for f in plan["search"]["folds"]):
        print("peer: note: a search fold is too small for an early-stopping holdout (fixed rounds there, as ours)", file=sys.stderr)


def search_options(plan, model_type, params):
    """runSearchTrial: base defaults, fixed config options, the trial's params; regularization; the run's seed."""
    c, m = plan["config"], plan["models"]
    o = with_regularization(model_type, {**m["baseDefaults"][model_type], **c["baseModels"].get(model_type, {}), **params}, m["regularization"])
    return {**o, "seed": c["seed"]}


def unit_bases(plan, coarse_best, ensemble):
    """baseModelsOf: base defaults, coarse best params, fixed config options, per-regime options; regularization; seed unless given."""
    c, m = plan["config"], plan["models"]
    per_regime = (c["regimes"].get(ensemble) or {}).get("params") or {}
    bases = []
    for t in BASE_TYPES:
        o = with_regularization(t, {**m["baseDefaults"][t], **coarse_best[t]["params"], **c["baseModels"].get(t, {}), **per_regime.get(t, {})}, m["regularization"])
        bases.append((t, o if "seed" in o else {**o, "seed": c["seed"]}))
    return bases


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--features", required=True)
    ap.add_argument("--plan", required=True)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    with open(a.plan) as f:
        plan = json.load(f)
    RF_DEFAULTS.update(plan["models"]["randomForestDefaults"])
    check_native(plan)
    for fold in plan["prune"]["folds"] + plan["search"]["folds"]:
        for k in ("train", "test"):
            fold[k] = np.asarray(fold[k], dtype=np.int64)
    holdouts = [f["es"] for f in plan["search"]["folds"]]
    for u in plan["regimeStage"]["units"]:
        for k in ("fit", "predict"):
            u[k] = np.asarray(u[k], dtype=np.int64)
        u["meta"]["rows"] = np.asarray(u["meta"]["rows"], dtype=np.int64)
        for f in u["innerFolds"]:
            f["train"], f["test"] = np.asarray(f["train"], dtype=np.int64), np.asarray(f["test"], dtype=np.int64)
        holdouts += [f["es"] for f in u["innerFolds"]] + [u["meta"]["es"], u["finalEs"]]
    for es in holdouts:
        if es is not None:
            es["fit"], es["valid"] = np.asarray(es["fit"], dtype=np.int64), np.asarray(es["valid"], dtype=np.int64)

    c = plan["config"]
    phases, fits, rounds = {}, 0, {}

    def progress(phase, started, text):
        phases[phase] = time.perf_counter() - started
        print(f"peer: {phase} {phases[phase]:.1f} s: {text}", file=sys.stderr, flush=True)

    def tally(results):
        """Adds the fits and rounds of finished jobs (trials or units) to the totals."""
        nonlocal fits
        for r in results:
            fits += r["fits"]
            for t, n in r["rounds"].items():
                rounds[t] = rounds.get(t, 0) + n

    t_start = time.perf_counter()
    x_all, y, regime, columns = load(a.features, plan)
    load_seconds = time.perf_counter() - t_start
    with Parallel(n_jobs=a.processes, backend="loky") as parallel:
        t0 = time.perf_counter()
        kept_idx, n = prune(x_all, y, columns, plan)
        fits += n
        kept = [columns[i] for i in kept_idx]
        x = np.ascontiguousarray(x_all[:, kept_idx])
        progress("prune", t0, f"{len(kept)} of {len(columns)} features kept ({n} fits)")

        t0 = time.perf_counter()
        coarse = search(parallel, x, y, plan, plan["search"]["coarseTrials"], c["metric"], lambda t, p: search_options(plan, t, p))
        coarse_best = {t: best_of(coarse[t]) for t in BASE_TYPES}
        tally(r for trials in coarse.values() for r in trials)
        progress("coarseSearch", t0, ", ".join(f"{t} {coarse_best[t]['mean']:.4f}" for t in BASE_TYPES))

        t0 = time.perf_counter()
        stage = plan["regimeStage"]
        meta_options = plan["models"]["meta"]
        columns_of = lambda e: (c["regimes"].get(e) or {}).get("features") or kept  # noqa: E731
        jobs = []
        for u in stage["units"]:
            cols = columns_of(u["ensemble"])
            ux = x if cols == kept else np.ascontiguousarray(x_all[:, [columns.index(k) for k in cols]])
            jobs.append(delayed(train_unit)(ux, y, u, unit_bases(plan, coarse_best, u["ensemble"]), meta_options))
        units = parallel(jobs)
        unit_proba = {r["id"]: r["proba"] for r in units}
        tally(units)
        progress("regimeEnsembles", t0, f"{len(stage['ensembles'])} ensembles, {len(units)} units")

        t0 = time.perf_counter()
        test, governor_fit = train_governor(y, regime, plan, unit_proba)
        fits += 1
        progress("governor", t0, f"test balanced accuracy {test['balancedAccuracy']:.4f}, log loss {test['logLoss']:.4f} on {test['rows']} rows (best iteration {governor_fit['bestIteration']})")

        t0 = time.perf_counter()
        narrow = plan["search"]["narrow"]
        ranges = {t: narrow_ranges(coarse[t], plan["search"]["spaces"][t], narrow["topFraction"], narrow["margin"], narrow["direction"]) for t in BASE_TYPES}
        final_trials = {t: sample_trials(ranges[t], c["finalTrials"], np.random.default_rng(plan["search"]["finalSeed"])) for t in BASE_TYPES}
        final = search(parallel, x, y, plan, final_trials, c["metric"], lambda t, p: search_options(plan, t, p))
        final_best = {t: best_of(final[t]) for t in BASE_TYPES}
        tally(r for trials in final.values() for r in trials)
        progress("finalSearch", t0, ", ".join(f"{t} {final_best[t]['mean']:.4f}" for t in BASE_TYPES))
    total = time.perf_counter() - t_start

    result = {
        "seconds": total,
        "loadSeconds": load_seconds,
        "phases": phases,
        "fits": fits,
        "roundsGrown": rounds,
        "test": test,
        "governorFit": governor_fit,
        "kept": kept,
        "coarseTrials": {t: [{"params": r["params"], "scores": r["scores"], "mean": r["mean"]} for r in trials] for t, trials in coarse.items()},
        "coarseBest": {t: {"params": b["params"], "mean": b["mean"]} for t, b in coarse_best.items()},
        "finalRanges": ranges,
        "finalTrials": {t: [{"params": r["params"], "scores": r["scores"], "mean": r["mean"]} for r in trials] for t, trials in final.items()},
        "finalBest": {t: {"params": b["params"], "mean": b["mean"]} for t, b in final_best.items()},
        "processes": a.processes,
        "versions": {"lightgbm": lgb.__version__, "xgboost": xgb.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__,
                     "pandas": pd.__version__, "pyarrow": pyarrow.__version__, "joblib": joblib.__version__, "python": sys.version.split()[0]},
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print(f"peer: total {total:.1f} s, {fits} fits, {a.processes} process(es) -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
