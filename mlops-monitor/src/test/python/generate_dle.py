"""Generates DLE test data and expected values for PerformanceEstimatorTest.

Run with Debian's python3-sklearn (1.2.1 here):  /usr/bin/python3 mlops-monitor/src/test/python/generate_dle.py

Direct loss estimation (NannyML's DLE) with a k-nearest-neighbours nanny model: for three regression
datasets a linear regression is trained on one part; on a labelled reference part the nanny model
learns the monitored model's absolute and squared errors from the features and the model's
prediction, standardised with the reference's mean and sample standard deviation; for each chunk of
the analysis part (sorted by a feature plus noise: a covariate shift that keeps the loss given the
features as it was) the estimated MAE is the mean of the nanny's predicted absolute errors and the
estimated RMSE the square root of the mean of its predicted squared errors, with standard errors
sd(reference absolute errors) / sqrt(n) and sd(reference squared errors) / sqrt(n) / (2 RMSE).
The nanny here is scikit-learn's KNeighborsRegressor(n_neighbors=10, algorithm="brute"); the Java
code is written separately. Writes mlops-monitor/src/test/resources/dle/NAME.csv and NAME.json.
"""
import csv
import json
import os

import numpy as np
from sklearn.datasets import load_diabetes, make_friedman1, make_regression
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "dle")
K = 10


def generate(name, x, y, train, reference, chunk):
    rng = np.random.RandomState(42)
    idx = rng.permutation(len(y))
    tr, ref, ana = idx[:train], idx[train:train + reference], idx[train + reference:]
    model = LinearRegression().fit(x[tr], y[tr])
    pred = model.predict(x)
    key = x[ana, 0] + rng.normal(0, 0.5 * x[ana, 0].std(), len(ana))
    ana = ana[np.argsort(key, kind="mergesort")]
    chunks = [ana[i:i + chunk] for i in range(0, len(ana) - chunk + 1, chunk)]
    inputs = np.column_stack([x, pred])
    mean = inputs[ref].mean(axis=0)
    sd = inputs[ref].std(axis=0, ddof=1)
    z = (inputs - mean) / sd
    abs_err = np.abs(y - pred)
    sq_err = (y - pred) ** 2
    nanny_abs = KNeighborsRegressor(n_neighbors=K, algorithm="brute").fit(z[ref], abs_err[ref])
    nanny_sq = KNeighborsRegressor(n_neighbors=K, algorithm="brute").fit(z[ref], sq_err[ref])
    sd_abs = float(abs_err[ref].std(ddof=1))
    sd_sq = float(sq_err[ref].std(ddof=1))
    expected = []
    rows = [("reference", -1, i) for i in ref]
    for c, members in enumerate(chunks):
        rows += [("analysis", c, i) for i in members]
        n = len(members)
        mae = float(nanny_abs.predict(z[members]).mean())
        mse = float(nanny_sq.predict(z[members]).mean())
        rmse = float(np.sqrt(mse))
        expected.append({"chunk": c, "rows": n,
                         "estimated": {"mae": mae, "rmse": rmse, "mae_error": sd_abs / np.sqrt(n),
                                       "rmse_error": sd_sq / np.sqrt(n) / (2 * rmse)},
                         "realised": {"mae": float(abs_err[members].mean()),
                                      "rmse": float(np.sqrt(sq_err[members].mean()))}})
    with open(os.path.join(OUT, name + ".csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["part", "chunk", "target", "prediction"] + ["x%d" % j for j in range(x.shape[1])])
        for part, c, i in rows:
            w.writerow([part, c, repr(float(y[i])), repr(float(pred[i]))] + [repr(float(v)) for v in x[i]])
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"dataset": name, "neighbours": K, "chunks": expected}, f, indent=1)


def main():
    os.makedirs(OUT, exist_ok=True)
    x, y = make_regression(n_samples=4000, n_features=5, noise=5.0, random_state=3)
    y = y + np.random.RandomState(4).normal(0, 1, len(y)) * 10 * np.abs(x[:, 0])  # the error grows with |x0|
    generate("heteroscedastic", x, y, train=1000, reference=1500, chunk=300)
    xf, yf = make_friedman1(n_samples=3500, n_features=5, noise=0.5, random_state=5)  # a linear model misfits it unevenly
    generate("friedman", xf, yf, train=1000, reference=1500, chunk=200)
    d = load_diabetes()
    generate("diabetes", d.data, d.target, train=150, reference=180, chunk=37)


main()
