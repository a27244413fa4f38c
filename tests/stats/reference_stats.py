"""Reference numbers for cairn's stats parity test.

Reads the cases that tests/stats/reference_parity_test.cpp writes (JSON) and
prints the same statistics computed by SciPy, scikit-learn and NumPy, as JSON.
Non-finite numbers are printed as the strings "inf", "-inf" and "nan".
Run with /usr/bin/python3 (Debian's scipy and sklearn).
"""
import json
import math
import sys
import warnings

import numpy as np
import scipy
import scipy.special
import scipy.stats
from scipy.spatial.distance import jensenshannon
import sklearn
from sklearn import metrics
from sklearn.calibration import calibration_curve
from sklearn.preprocessing import label_binarize

warnings.simplefilter("ignore")


def clean(value):
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, (np.floating, float)):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


# Binning documented in src/cairn/stats/drift_binning.h (Evidently's defaults).
def drift_shares(ref, cur):
    if len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        r = np.histogram(ref, edges)[0] / len(ref)
        c = np.histogram(cur, edges)[0] / len(cur)
        return r, c, edges
    keys = np.union1d(np.unique(ref), np.unique(cur))
    r = np.array([np.sum(ref == k) for k in keys]) / len(ref)
    c = np.array([np.sum(cur == k) for k in keys]) / len(cur)
    return r, c, None


def fill_zeros(shares):
    shares = shares.astype(float).copy()
    smallest = shares[shares != 0].min()
    shares[shares == 0] = smallest / 10**6 if smallest <= 0.0001 else 0.0001
    return shares


def psi(r, c):
    r, c = fill_zeros(r), fill_zeros(c)
    return float(np.sum((r - c) * np.log(r / c)))


def js_numpy(p, q):
    p = p / p.sum()
    q = q / q.sum()
    m = (p + q) / 2
    def kl(a, b):
        mask = a > 0
        return np.sum(a[mask] * np.log(a[mask] / b[mask]))
    return float(np.sqrt((kl(p, m) + kl(q, m)) / 2))


def numeric_case(case):
    a = np.array(case["a"], dtype=float)
    b = np.array(case["b"], dtype=float)
    ks = scipy.stats.ks_2samp(a, b)
    r, c, edges = drift_shares(a, b)
    wd = scipy.stats.wasserstein_distance(a, b)
    return {
        "ks_statistic": ks.statistic,
        "ks_pvalue": ks.pvalue,
        "wasserstein": wd,
        "wasserstein_normed": wd / max(np.std(a), 0.001),
        "psi": psi(r, c),
        "jensenshannon": js_numpy(r, c),
        "jensenshannon_scipy": float(jensenshannon(r, c)),
        "edges": [] if edges is None else edges,
        "reference_shares": r,
        "current_shares": c,
    }


def counts_case(case):
    r = np.array(case["reference"], dtype=float)
    c = np.array(case["current"], dtype=float)
    keep = (r > 0) | (c > 0)
    r, c = r[keep], c[keep]
    out = {}
    if len(r) > 1:
        chi = scipy.stats.chisquare(c, r * c.sum() / r.sum())
        out["chisquare_statistic"] = chi.statistic
        out["chisquare_pvalue"] = chi.pvalue
    rs, cs = r / r.sum(), c / c.sum()
    out["psi"] = psi(rs, cs)
    out["jensenshannon"] = js_numpy(rs, cs)
    if len(case["reference"]) == 2:
        # Evidently's two-proportion Z statistic: share of the second category.
        n1, n2 = r.sum(), c.sum()
        p1 = case["reference"][1] / n1
        p2 = case["current"][1] / n2
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
        out["z_statistic"] = z
        out["z_pvalue"] = 2 * (1 - scipy.stats.norm.cdf(np.abs(z)))
    return out


def binary_case(case):
    y = np.array(case["y"], dtype=int)
    s = np.array(case["score"], dtype=float)
    pred = np.array(case["pred"], dtype=int)
    prf = metrics.precision_recall_fscore_support(y, pred, zero_division=0)
    fpr, tpr, thr = metrics.roc_curve(y, s)
    precision, recall, pr_thr = metrics.precision_recall_curve(y, s)
    prob_true, prob_pred = calibration_curve(y, s, n_bins=10)
    out = {
        "accuracy": metrics.accuracy_score(y, pred),
        "balanced_accuracy": metrics.balanced_accuracy_score(y, pred),
        "precision": prf[0], "recall": prf[1], "f1": prf[2], "support": prf[3],
        "macro_precision": metrics.precision_score(y, pred, average="macro", zero_division=0),
        "macro_recall": metrics.recall_score(y, pred, average="macro", zero_division=0),
        "macro_f1": metrics.f1_score(y, pred, average="macro", zero_division=0),
        "weighted_f1": metrics.f1_score(y, pred, average="weighted", zero_division=0),
        "weighted_precision": metrics.precision_score(y, pred, average="weighted", zero_division=0),
        "roc_auc": metrics.roc_auc_score(y, s),
        "average_precision": metrics.average_precision_score(y, s),
        "log_loss": metrics.log_loss(y, s),
        "brier": metrics.brier_score_loss(y, s),
        "confusion": metrics.confusion_matrix(y, pred).ravel(),
        "roc_fpr": fpr, "roc_tpr": tpr, "roc_thresholds": thr,
        "pr_precision": precision, "pr_recall": recall, "pr_thresholds": pr_thr,
        "calibration_true": prob_true, "calibration_pred": prob_pred,
    }
    return out


def multiclass_case(case):
    k = case["classes"]
    y = np.array(case["y"], dtype=int)
    proba = np.array(case["proba"], dtype=float).reshape(-1, k)
    pred = np.array(case["pred"], dtype=int)
    labels = list(range(k))
    onehot = label_binarize(y, classes=labels)
    return {
        "accuracy": metrics.accuracy_score(y, pred),
        "balanced_accuracy": metrics.balanced_accuracy_score(y, pred),
        "macro_precision": metrics.precision_score(y, pred, average="macro", zero_division=0),
        "macro_recall": metrics.recall_score(y, pred, average="macro", zero_division=0),
        "macro_f1": metrics.f1_score(y, pred, average="macro", zero_division=0),
        "weighted_f1": metrics.f1_score(y, pred, average="weighted", zero_division=0),
        "f1": metrics.f1_score(y, pred, average=None, zero_division=0),
        "roc_auc_ovr": metrics.roc_auc_score(y, proba, multi_class="ovr", average="macro"),
        "average_precision_ovr": metrics.average_precision_score(onehot, proba, average="macro"),
        "log_loss": metrics.log_loss(y, proba, labels=labels),
        # Multiclass Brier as documented in classification_metrics.h.
        "brier": float(np.mean(np.sum((proba - onehot) ** 2, axis=1))),
        "confusion": metrics.confusion_matrix(y, pred).ravel(),
    }


def regression_case(case):
    y = np.array(case["y"], dtype=float)
    p = np.array(case["pred"], dtype=float)
    return {
        "rmse": math.sqrt(metrics.mean_squared_error(y, p)),
        "mae": metrics.mean_absolute_error(y, p),
        "r2": metrics.r2_score(y, p),
        "mape": metrics.mean_absolute_percentage_error(y, p),
        "median_absolute_error": metrics.median_absolute_error(y, p),
        "max_error": metrics.max_error(y, p),
    }


def mcnemar_case(case):
    b, c = case["b"], case["c"]
    n = b + c
    exact = scipy.stats.binomtest(min(b, c), n, 0.5).pvalue
    stat = (abs(b - c) - 1) ** 2 / n
    return {"exact_pvalue": exact, "chi2_statistic": stat, "chi2_pvalue": scipy.stats.chi2.sf(stat, 1)}


def midranks(x):
    order = np.argsort(x, kind="mergesort")
    sorted_x = x[order]
    ranks = np.empty(len(x))
    i = 0
    while i < len(x):
        j = i
        while j < len(x) and sorted_x[j] == sorted_x[i]:
            j += 1
        ranks[order[i:j]] = 0.5 * (i + j - 1) + 1
        i = j
    return ranks


def delong_case(case):
    y = np.array(case["y"], dtype=int)
    scores = np.vstack([np.array(case["a"], dtype=float), np.array(case["b"], dtype=float)])
    pos, neg = scores[:, y == 1], scores[:, y == 0]
    m, n = pos.shape[1], neg.shape[1]
    tx = np.array([midranks(r) for r in pos])
    ty = np.array([midranks(r) for r in neg])
    tz = np.array([midranks(r) for r in np.hstack([pos, neg])])
    aucs = tz[:, :m].sum(axis=1) / m / n - (m + 1.0) / 2.0 / n
    v01 = (tz[:, :m] - tx) / n
    v10 = 1.0 - (tz[:, m:] - ty) / m
    cov = np.cov(v01) / m + np.cov(v10) / n
    diff = aucs[1] - aucs[0]
    z = diff / np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    return {
        "auc_a": aucs[0], "auc_b": aucs[1], "var_a": cov[0, 0], "var_b": cov[1, 1], "cov": cov[0, 1],
        "z": z, "pvalue": 2 * scipy.stats.norm.sf(abs(z)),
        "sklearn_auc_a": metrics.roc_auc_score(y, scores[0]),
    }


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    out = {
        "versions": {"scipy": scipy.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__},
        "numeric": [numeric_case(c) for c in cases["numeric"]],
        "counts": [counts_case(c) for c in cases["counts"]],
        "kstwo": [scipy.stats.kstwo.sf(x, n) for n, x in cases["kstwo"]],
        "smirnov": [scipy.special.smirnov(n, x) for n, x in cases["smirnov"]],
        "chi2": [scipy.stats.chi2.sf(x, k) for x, k in cases["chi2"]],
        "normal_sf": [scipy.stats.norm.sf(z) for z in cases["normal"]],
        "binomial_cdf": [scipy.stats.binom.cdf(k, n, p) for k, n, p in cases["binomial"]],
        "binary": [binary_case(c) for c in cases["binary"]],
        "multiclass": [multiclass_case(c) for c in cases["multiclass"]],
        "regression": [regression_case(c) for c in cases["regression"]],
        "mcnemar": [mcnemar_case(c) for c in cases["mcnemar"]],
        "delong": [delong_case(c) for c in cases["delong"]],
    }
    json.dump(clean(out), sys.stdout)


if __name__ == "__main__":
    main()
