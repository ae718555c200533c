"""Hard cases for the distances, with SciPy's value and the exact value beside it.

Run with Debian's SciPy 1.10.1, scikit-learn 1.2.1 and mpmath 1.2.1:
    /usr/bin/python3 generate_precision_reference.py
Writes ../resources/extra-reference/{jensenshannon_hard,hellinger_hard,wasserstein_digits}.json

Where SciPy's own arithmetic cancels (nearly equal distributions, CDF differences of nearly equal
fractions), its value is not the truth; each case therefore carries the exact value too:
- Jensen-Shannon and Hellinger with mpmath at 60 significant digits on the exact input doubles;
- Wasserstein with Python's fractions (exact rationals) on the exact input doubles.
"""
import json
import math
import os
from fractions import Fraction

import mpmath
import numpy as np
import scipy
import sklearn
from scipy import stats
from scipy.spatial import distance
from sklearn.datasets import load_digits, load_breast_cancer

mpmath.mp.dps = 60
out = os.path.join(os.path.dirname(__file__), "..", "resources", "extra-reference")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261207)


def dump(name, obj):
    with open(os.path.join(out, name), "w") as f:
        json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "sklearn": sklearn.__version__,
                   "mpmath": mpmath.__version__, "cases": obj}, f, indent=1)


def normalised(w):
    w = [mpmath.mpf(float(x)) for x in w]
    s = mpmath.fsum(w)
    return [x / s for x in w]


def exact_js(p, q, base=None):
    p = normalised(p)
    q = normalised(q)
    total = mpmath.mpf(0)
    for a, b in zip(p, q):
        m = (a + b) / 2
        if a > 0:
            total += a * mpmath.log(a / m)
        if b > 0:
            total += b * mpmath.log(b / m)
    if base is not None:
        total /= mpmath.log(base)
    return float(mpmath.sqrt(max(total, 0) / 2))


def exact_hellinger(p, q):
    p = normalised(p)
    q = normalised(q)
    total = mpmath.fsum((mpmath.sqrt(a) - mpmath.sqrt(b)) ** 2 for a, b in zip(p, q))
    return float(mpmath.sqrt(total / 2))


def finite_or_none(x):
    return float(x) if math.isfinite(x) else None


def shapes():
    """Weight vectors of the shapes that broke the cancellation-free form, and near-identical ones."""
    for i in range(40):
        k = int(rng.integers(2, 40))
        yield "wide", np.exp(rng.uniform(-300, 300, k)), np.exp(rng.uniform(-300, 300, k))
    for i in range(20):
        k = int(rng.integers(2, 20))
        p = rng.random(k)
        q = rng.random(k)
        p[int(rng.integers(0, k))] = 5e-324 * int(rng.integers(1, 1000))  # subnormal
        q[int(rng.integers(0, k))] = 2.2e-308 * rng.random()
        yield "subnormal", p, q
    for i in range(20):
        k = int(rng.integers(2, 20))
        yield "tiny", rng.random(k) * 1e-300, rng.random(k) * 1e-300
    for i in range(20):
        k = int(rng.integers(5, 60))
        p = np.where(rng.random(k) < 0.8, 0.0, rng.random(k))
        q = np.where(rng.random(k) < 0.8, 0.0, rng.random(k))
        p[0] = max(p[0], 0.5)
        q[1] = max(q[1], 0.5)
        yield "sparse", p, q
    for i in range(20):
        k = int(rng.integers(2, 30))
        yield "counts", rng.integers(0, 10 ** int(rng.integers(1, 9)), k).astype(float), \
            rng.integers(0, 10 ** int(rng.integers(1, 9)), k).astype(float) + 1
    for i in range(20):
        k = int(rng.integers(2, 30))
        p = rng.random(k) + 0.01
        q = p * (1 + rng.normal(0, 10.0 ** -float(rng.integers(4, 12)), k))
        yield "near", p, q
    for i in range(10):
        k = int(rng.integers(2, 30))
        p = rng.random(k) + 0.01
        p[0] = 1e-200
        q = p.copy()
        q[0] = 1.0
        yield "one_tiny", p, q


cases = []
hell = []
for shape, p, q in shapes():
    cases.append({"shape": shape, "p": p.tolist(), "q": q.tolist(),
                  "scipy_e": finite_or_none(distance.jensenshannon(p, q)),
                  "scipy_base2": finite_or_none(distance.jensenshannon(p, q, base=2)),
                  "exact_e": exact_js(p, q), "exact_base2": exact_js(p, q, 2)})
    hell.append({"shape": shape, "p": p.tolist(), "q": q.tolist(), "exact": exact_hellinger(p, q)})
dump("jensenshannon_hard.json", cases)
dump("hellinger_hard.json", hell)


def exact_wasserstein(u, v):
    u = sorted(Fraction(float(x)) for x in u)
    v = sorted(Fraction(float(x)) for x in v)
    pooled = sorted(set(u) | set(v))
    n, m = len(u), len(v)
    i = j = 0
    total = Fraction(0)
    for a, b in zip(pooled, pooled[1:]):
        while i < n and u[i] <= a:
            i += 1
        while j < m and v[j] <= a:
            j += 1
        total += abs(Fraction(i, n) - Fraction(j, m)) * (b - a)
    return float(total)


# real data: scikit-learn's digits (integers 0..16, many ties) and breast cancer (measurements),
# each column's first rows against its last rows, of sizes that make SciPy's CDF differences cancel
cases = []
for name, data in (("digits", load_digits().data), ("breast_cancer", load_breast_cancer().data)):
    n = data.shape[0]
    for c in range(data.shape[1]):
        cut = int(n * [0.5, 0.37, 0.61][c % 3])
        u = data[:cut, c]
        v = data[cut:, c]
        if np.all(u == u[0]) and np.all(v == u[0]):
            continue
        cases.append({"data": name, "column": c, "u": u.tolist(), "v": v.tolist(),
                      "scipy": float(stats.wasserstein_distance(u, v)), "exact": exact_wasserstein(u, v)})
dump("wasserstein_digits.json", cases)
print("written to", os.path.abspath(out))
