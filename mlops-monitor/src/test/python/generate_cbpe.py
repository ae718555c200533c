"""Generates CBPE test data and expected values for PerformanceEstimatorTest.

Run with Debian's python3-sklearn (1.2.1 here):  /usr/bin/python3 mlops-monitor/src/test/python/generate_cbpe.py

For three scikit-learn datasets, a logistic regression is trained on one part, scores a labelled
reference part and an analysis part; the analysis part is sorted by its score plus noise and cut into
chunks, so that the chunks see a covariate shift (from mostly negatives to mostly positives) that keeps
P(label | score) as it was — the condition CBPE rests on. (Sorting by a feature the model under-uses
breaks that condition: the estimate then misses the realised accuracy by up to 0.11, as CBPE's
authors warn for concept drift.) Writes, per dataset, mlops-monitor/src/test/resources/cbpe/
NAME.csv (part, chunk, score, label) and NAME.json: per chunk the metrics CBPE estimates and the
realised ones, computed here independently of the Java code, from the method's published description
(NannyML, "Confidence-based Performance Estimation"):

- calibration: isotonic regression of the reference labels on the reference scores
  (sklearn.isotonic.IsotonicRegression, out_of_bounds="clip"), applied to the chunk's scores;
- predicted label: score >= 0.5;
- expected confusion matrix: TP = sum p [yhat=1], FP = sum (1-p) [yhat=1], FN = sum p [yhat=0],
  TN = sum (1-p) [yhat=0]; accuracy, precision, recall, F1 from it;
- ROC AUC: rows ranked by score, descending; at each distinct score the expected true and false
  positives so far (cumulative sums of p and 1-p); AUC by the trapezoidal rule over (FPR, TPR);
- sampling errors: accuracy sqrt(a (1-a) / n); ROC AUC by Hanley and McNeil (1982) with the expected
  positives and negatives.
"""
import csv
import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, make_classification
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "cbpe")


def auc_expected(scores, p):
    order = np.argsort(-scores, kind="mergesort")
    s, q = scores[order], p[order]
    distinct = np.where(np.diff(s))[0]
    ends = np.r_[distinct, len(s) - 1]
    tps = np.cumsum(q)[ends]
    fps = np.cumsum(1 - q)[ends]
    if tps[-1] <= 0 or fps[-1] <= 0:
        return None  # no (expected) positives or negatives: undefined
    tpr = np.r_[0.0, tps / tps[-1]]
    fpr = np.r_[0.0, fps / fps[-1]]
    return float(np.sum((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2))


def auc_realised(scores, labels):
    return auc_expected(scores, labels.astype(float))


def hanley_mcneil(a, n1, n0):
    q1 = a / (2 - a)
    q2 = 2 * a * a / (1 + a)
    return float(np.sqrt((a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / (n1 * n0)))


def confusion(p, yhat):
    tp = float(np.sum(p * yhat))
    fp = float(np.sum((1 - p) * yhat))
    fn = float(np.sum(p * (1 - yhat)))
    tn = float(np.sum((1 - p) * (1 - yhat)))
    return tp, fp, fn, tn


def metrics(tp, fp, fn, tn):
    n = tp + fp + fn + tn
    def ratio(a, b):
        return a / b if b > 0 else None  # undefined (no predicted or no actual positives): null
    return {"accuracy": (tp + tn) / n, "precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn),
            "f1": ratio(2 * tp, 2 * tp + fp + fn)}


def generate(name, x, y, train, reference, chunk):
    rng = np.random.RandomState(42)
    idx = rng.permutation(len(y))
    tr, ref, ana = idx[:train], idx[train:train + reference], idx[train + reference:]
    scaler = StandardScaler().fit(x[tr])
    model = LogisticRegression(max_iter=5000, C=0.5).fit(scaler.transform(x[tr]), y[tr])
    score = model.predict_proba(scaler.transform(x))[:, 1]
    key = score[ana] + rng.normal(0, 0.5, len(ana))
    ana = ana[np.argsort(key, kind="mergesort")]  # covariate shift across the chunks
    chunks = [ana[i:i + chunk] for i in range(0, len(ana) - chunk + 1, chunk)]
    calibrator = IsotonicRegression(out_of_bounds="clip", increasing=True).fit(score[ref], y[ref])
    rows = [("reference", -1, score[i], int(y[i])) for i in ref]
    expected = []
    for c, members in enumerate(chunks):
        rows += [("analysis", c, score[i], int(y[i])) for i in members]
        s, lab = score[members], y[members].astype(float)
        p = calibrator.predict(s)
        yhat = (s >= 0.5).astype(float)
        est = metrics(*confusion(p, yhat))
        est["roc_auc"] = auc_expected(s, p)
        n = len(members)
        n1 = float(np.sum(p))
        est["accuracy_error"] = float(np.sqrt(est["accuracy"] * (1 - est["accuracy"]) / n))
        est["roc_auc_error"] = hanley_mcneil(est["roc_auc"], n1, n - n1)
        real = metrics(*confusion(lab, yhat))
        real["roc_auc"] = auc_realised(s, lab)
        expected.append({"chunk": c, "rows": n, "estimated": est, "realised": real})
    with open(os.path.join(OUT, name + ".csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["part", "chunk", "score", "label"])
        for part, c, s, lab in rows:
            w.writerow([part, c, repr(float(s)), lab])
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"dataset": name, "threshold": 0.5, "chunks": expected}, f, indent=1)


def generate_multiclass(name, x, y, train, reference, chunk):
    """Multiclass CBPE: each class's probability calibrated one-vs-rest by isotonic regression, the
    calibrated probabilities of a row divided by their sum; the predicted class the largest score's
    (the first on a tie); expected accuracy the mean calibrated probability of the predicted class;
    per class the expected TP, FP and FN one-vs-rest, and macro precision, recall and F1 (the mean over
    the classes where each is defined); macro ROC AUC the mean of the classes' expected AUCs."""
    rng = np.random.RandomState(42)
    idx = rng.permutation(len(y))
    tr, ref, ana = idx[:train], idx[train:train + reference], idx[train + reference:]
    scaler = StandardScaler().fit(x[tr])
    model = LogisticRegression(max_iter=5000, C=0.5).fit(scaler.transform(x[tr]), y[tr])
    scores = model.predict_proba(scaler.transform(x))
    k = scores.shape[1]
    key = scores[ana, 0] + rng.normal(0, 0.5, len(ana))
    ana = ana[np.argsort(key, kind="mergesort")]
    chunks = [ana[i:i + chunk] for i in range(0, len(ana) - chunk + 1, chunk)]
    calibrators = [IsotonicRegression(out_of_bounds="clip", increasing=True).fit(scores[ref, c], (y[ref] == c).astype(float))
                   for c in range(k)]
    rows = [("reference", -1, scores[i], int(y[i])) for i in ref]
    expected = []
    for ci, members in enumerate(chunks):
        rows += [("analysis", ci, scores[i], int(y[i])) for i in members]
        s = scores[members]
        p = np.column_stack([calibrators[c].predict(s[:, c]) for c in range(k)])
        sums = p.sum(axis=1, keepdims=True)
        p = np.where(sums > 0, p / np.where(sums > 0, sums, 1), 1.0 / k)
        yhat = np.argmax(s, axis=1)
        n = len(members)
        accuracy = float(np.mean(p[np.arange(n), yhat]))
        precisions, recalls, f1s, aucs = [], [], [], []
        for c in range(k):
            pred = (yhat == c).astype(float)
            tp, fp, fn, tn = confusion(p[:, c], pred)
            m = metrics(tp, fp, fn, tn)
            for lst, key_ in ((precisions, "precision"), (recalls, "recall"), (f1s, "f1")):
                if m[key_] is not None:
                    lst.append(m[key_])
            auc = auc_expected(s[:, c], p[:, c])
            if auc is not None:
                aucs.append(auc)
        est = {"accuracy": accuracy, "precision": float(np.mean(precisions)), "recall": float(np.mean(recalls)),
               "f1": float(np.mean(f1s)), "roc_auc": float(np.mean(aucs)),
               "accuracy_error": float(np.sqrt(accuracy * (1 - accuracy) / n))}
        real_acc = float(np.mean(yhat == y[members]))
        expected.append({"chunk": ci, "rows": n, "estimated": est, "realised": {"accuracy": real_acc}})
    with open(os.path.join(OUT, name + ".csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["part", "chunk", "label"] + ["score_%d" % c for c in range(k)])
        for part, c, sc, lab in rows:
            w.writerow([part, c, lab] + [repr(float(v)) for v in sc])
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"dataset": name, "classes": k, "chunks": expected}, f, indent=1)


def main():
    os.makedirs(OUT, exist_ok=True)
    x, y = make_classification(n_samples=12000, n_features=12, n_informative=6, n_redundant=2, flip_y=0.05,
                               class_sep=0.8, random_state=7)
    generate("synthetic", x, y, train=4000, reference=3000, chunk=1000)
    bc = load_breast_cancer()
    generate("breast_cancer", bc.data, bc.target, train=200, reference=180, chunk=63)
    digits = load_digits()
    generate("digits", digits.data, (digits.target >= 5).astype(int), train=600, reference=500, chunk=116)
    x3, y3 = make_classification(n_samples=9000, n_features=10, n_informative=6, n_classes=3, n_clusters_per_class=1,
                                 class_sep=0.9, flip_y=0.03, random_state=11)
    generate_multiclass("synthetic_3", x3, y3, train=3000, reference=2000, chunk=800)
    generate_multiclass("digits_10", digits.data, digits.target, train=600, reference=500, chunk=116)


main()
