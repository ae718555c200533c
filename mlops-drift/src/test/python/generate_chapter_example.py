"""The chapter's drift example data (numpy seed 42, exactly as the chapter builds it), as CSV.

Run:  /usr/bin/python3 generate_chapter_example.py
Writes ../resources/chapter/{reference,current}.csv and expected.json (SciPy's tests per feature).
"""
import json
import os

import numpy as np
from scipy import stats

np.random.seed(42)
# the same numpy calls in the same order as the chapter's pd.DataFrame({...}) (pandas is not needed)
reference_data = dict({
    'feature1': np.random.normal(0, 1, 1000),
    'feature2': np.random.normal(5, 2, 1000),
    'category1': np.random.choice(['A', 'B', 'C'], 1000, p=[0.5, 0.3, 0.2]),
    'category2': np.random.choice(['X', 'Y'], 1000, p=[0.7, 0.3])
})
new_data = dict({
    'feature1': np.random.normal(0.5, 1.2, 500),
    'feature2': np.random.normal(5, 2, 500),
    'category1': np.random.choice(['A', 'B', 'C'], 500, p=[0.3, 0.4, 0.3]),
    'category2': np.random.choice(['X', 'Y'], 500, p=[0.7, 0.3])
})
out = os.path.join(os.path.dirname(__file__), "..", "resources", "chapter")
os.makedirs(out, exist_ok=True)


def write(path, data):
    cols = list(data.keys())
    with open(path, "w") as f:
        f.write(",".join(cols) + "\n")
        for i in range(len(data[cols[0]])):
            # repr of a float is the shortest text that reads back as the same double
            f.write(",".join(repr(float(data[c][i])) if data[c].dtype.kind == 'f' else str(data[c][i]) for c in cols) + "\n")


write(os.path.join(out, "reference.csv"), reference_data)
write(os.path.join(out, "current.csv"), new_data)
expected = {}
for col in ['feature1', 'feature2']:
    r = stats.ks_2samp(reference_data[col], new_data[col])
    expected[col] = {"ks_statistic": float(r.statistic), "ks_pvalue": float(r.pvalue)}
for col in ['category1', 'category2']:
    cats = sorted(set(reference_data[col]) | set(new_data[col]))
    table = [[int((reference_data[col] == c).sum()) for c in cats], [int((new_data[col] == c).sum()) for c in cats]]
    r = stats.chi2_contingency(table)
    expected[col] = {"chi2": float(r[0]), "chi2_pvalue": float(r[1])}
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print(json.dumps(expected, indent=1))
