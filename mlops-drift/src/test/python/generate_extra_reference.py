"""Extra SciPy reference values for mlops-drift's tests (beyond ../shared/reference-values).

Run with Debian's SciPy 1.10.1:  /usr/bin/python3 generate_extra_reference.py
Writes ../resources/extra-reference/{kstwo_sf,ks_2samp,chi2,wasserstein,jensenshannon}.json
"""
import json
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

out = os.path.join(os.path.dirname(__file__), "..", "resources", "extra-reference")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261126)


def dump(name, obj):
    with open(os.path.join(out, name), "w") as f:
        json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": obj}, f, indent=1)


# kstwo.sf over the regions of its implementation
cases = []
for n in [1, 2, 3, 5, 10, 40, 100, 140, 141, 500, 1000, 2500, 5000, 20000, 200000]:
    for x in [0.0, 0.4 / n, 0.7 / n, 1.0 / n, 1.5 / n, 0.02, 0.05, 0.1, 0.2, 0.3, 0.49, 0.5, 0.7, 0.95, 1 - 1.0 / n, 1.0,
              np.sqrt(0.5 / n), np.sqrt(1.0 / n), np.sqrt(2.0 / n), np.sqrt(3.0 / n), np.sqrt(5.0 / n), np.sqrt(10.0 / n),
              np.sqrt(30.0 / n), (1.2 / n) ** (2 / 3)]:
        if 0 <= x <= 1:
            cases.append({"n": n, "x": float(x), "sf": float(stats.kstwo.sf(x, n))})
dump("kstwo_sf.json", cases)

# ks_2samp on random sizes, continuous and tied data
cases = []
for i in range(60):
    n1 = int(rng.integers(1, 400)) if i % 3 else int(rng.integers(1, 40))
    n2 = int(rng.integers(1, 400)) if i % 4 else n1
    shift = float(rng.choice([0.0, 0.1, 0.3, 1.0]))
    if i % 5 == 0:
        a = rng.integers(0, 5, n1).astype(float)
        b = (rng.integers(0, 5, n2) + (1 if shift > 0.5 else 0)).astype(float)
    else:
        a = np.round(rng.normal(0, 1, n1), 6)
        b = np.round(rng.normal(shift, 1, n2), 6)
    auto = stats.ks_2samp(a, b, method="auto")
    asymp = stats.ks_2samp(a, b, method="asymp")
    cases.append({"a": a.tolist(), "b": b.tolist(), "auto": [float(auto.statistic), float(auto.pvalue)],
                  "asymp": [float(asymp.statistic), float(asymp.pvalue)]})
dump("ks_2samp.json", cases)

# chi2_contingency on random 2xK tables
cases = []
for i in range(40):
    k = int(rng.integers(2, 7))
    table = rng.integers(1, 300, size=(2, k))
    if i % 7 == 0:
        table = rng.integers(1, 8, size=(2, k))
    for corr in (True, False):
        r = stats.chi2_contingency(table, correction=corr)
        cases.append({"table": table.tolist(), "correction": corr, "statistic": float(r[0]), "pvalue": float(r[1]),
                      "dof": int(r[2])})
dump("chi2.json", cases)

# wasserstein_distance and jensenshannon
cases = []
for i in range(30):
    a = rng.normal(0, 1, int(rng.integers(1, 800)))
    b = rng.normal(float(rng.normal()), float(rng.uniform(0.5, 2)), int(rng.integers(1, 800)))
    if i % 6 == 0:
        a = np.round(a, 1)
        b = np.round(b, 1)
    cases.append({"u": a.tolist(), "v": b.tolist(), "distance": float(stats.wasserstein_distance(a, b))})
dump("wasserstein.json", cases)

cases = []
for i in range(30):
    k = int(rng.integers(2, 12))
    p = rng.random(k)
    q = rng.random(k)
    if i % 4 == 0:
        p[0] = 0
    if i % 5 == 0:
        q[-1] = 0
    cases.append({"p": p.tolist(), "q": q.tolist(), "e": float(distance.jensenshannon(p, q)),
                  "base2": float(distance.jensenshannon(p, q, base=2))})
dump("jensenshannon.json", cases)
print("written to", os.path.abspath(out))
