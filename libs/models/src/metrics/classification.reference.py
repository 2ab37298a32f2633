"""Reference for classification.spec.ts: every metric of evaluate() computed by scikit-learn 1.7.

stdin: {cases: [{y_true: [...], proba: [...] (rows x 3 row-major, null = NaN), bins}, ...]}
stdout: {cases: [metrics, ...]} (null where sklearn gives NaN or raises; see 'errors').
Rows with any NaN probability are dropped here first, as evaluate() does."""
import json
import sys
import warnings

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    log_loss,
    precision_recall_fscore_support,
    roc_auc_score,
)

warnings.simplefilter("ignore")  # UndefinedMetricWarning etc.: the values are what is compared
LABELS = [0, 1, 2]


def num(v):
    v = float(v)
    return None if np.isnan(v) else v


def nums(a):
    return [num(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def calibration(y_binary, prob, bins):
    prob_true, prob_pred = calibration_curve(y_binary, prob, n_bins=bins, strategy="uniform")
    # Counts per bin with the binning calibration_curve uses internally (it does not return them).
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], prob), minlength=bins)
    return {"prob_true": nums(prob_true), "prob_pred": nums(prob_pred), "counts": [int(c) for c in counts], "edges": nums(edges)}


def reference(inp):
    y_all = np.asarray(inp["y_true"], dtype=np.int64)
    p_all = np.array([np.nan if v is None else v for v in inp["proba"]], dtype=np.float64).reshape(-1, 3)
    keep = ~np.isnan(p_all).any(axis=1)
    y, p = y_all[keep], p_all[keep]
    pred = p.argmax(axis=1)
    bins = inp["bins"]
    out = {"rows": int(len(y)), "dropped": int((~keep).sum()), "errors": {}}
    out["accuracy"] = num(accuracy_score(y, pred))
    out["balanced_accuracy"] = num(balanced_accuracy_score(y, pred))
    prec, rec, f1, support = precision_recall_fscore_support(y, pred, labels=LABELS, zero_division=0)
    out.update(precision=nums(prec), recall=nums(rec), f1=nums(f1), support=[int(s) for s in support])
    out["macro_f1"] = num(f1_score(y, pred, labels=LABELS, average="macro", zero_division=0))
    out["confusion_matrix"] = confusion_matrix(y, pred, labels=LABELS).tolist()
    out["log_loss"] = num(log_loss(y, p, labels=LABELS))
    try:
        out["roc_auc_ovr_macro"] = num(roc_auc_score(y, p, multi_class="ovr", average="macro", labels=LABELS))
    except ValueError as e:
        out["roc_auc_ovr_macro"] = None
        out["errors"]["roc_auc_ovr_macro"] = str(e)
    out["roc_auc"] = [num(roc_auc_score(y == c, p[:, c])) if 0 < (y == c).sum() < len(y) else None for c in LABELS]
    out["average_precision"] = [num(average_precision_score(y == c, p[:, c])) for c in LABELS]
    out["average_precision_macro"] = num(average_precision_score(np.eye(3)[y], p, average="macro"))
    out["brier"] = num(brier_score_loss(y, p, labels=LABELS))
    out["brier_per_class"] = [num(brier_score_loss((y == c).astype(int), p[:, c], pos_label=1)) for c in LABELS]
    out["calibration"] = [calibration((y == c).astype(int), p[:, c], bins) for c in LABELS]
    out["calibration_predicted"] = calibration((pred == y).astype(int), p[np.arange(len(y)), pred], bins)
    return out


json.dump({"cases": [reference(case) for case in json.load(sys.stdin)["cases"]]}, sys.stdout)
