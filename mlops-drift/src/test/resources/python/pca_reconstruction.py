"""PCA reconstruction error, computed independently with numpy's SVD, for MultivariateDriftTest.

Usage: pca_reconstruction.py REFERENCE.csv CURRENT.csv EXPLAINED_VARIANCE THRESHOLD_SD
Prints JSON: components, reference mean and sd of the rows' errors, the current mean error, the thresholds.
Reconstruction is done explicitly (Z V V^T), not through the norm identity the Java code uses.
"""
import csv
import json
import sys

import numpy as np


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    def number(v):
        try:
            return float(v)
        except ValueError:
            return np.nan  # a categorical column's value, or missing
    data = np.array([[number(v) for v in r] for r in body], dtype=float)
    return header, data


def main():
    ref_header, ref = read(sys.argv[1])
    cur_header, cur = read(sys.argv[2])
    explained, k_sd = float(sys.argv[3]), float(sys.argv[4])
    keep = [j for j in range(ref.shape[1]) if not np.all(np.isnan(ref[:, j]))]  # the numeric columns
    ref_header = [ref_header[j] for j in keep]
    ref = ref[:, keep]
    cur = cur[:, [cur_header.index(h) for h in ref_header]]
    mean = np.nanmean(ref, axis=0)
    sd = np.nanstd(ref, axis=0, ddof=1)
    z_ref = np.where(np.isnan(ref), 0.0, (ref - mean) / sd)
    z_cur = np.where(np.isnan(cur), 0.0, (cur - mean) / sd)
    _, s, vt = np.linalg.svd(z_ref, full_matrices=False)
    variance = s ** 2 / (ref.shape[0] - 1)
    cumulative = np.cumsum(variance)
    k = int(np.argmax(cumulative >= explained * variance.sum()) + 1)
    v = vt[:k].T

    def errors(z):
        return np.linalg.norm(z - z @ v @ v.T, axis=1)

    e_ref = errors(z_ref)
    e_cur = errors(z_cur)
    ref_mean, ref_sd = float(e_ref.mean()), float(e_ref.std(ddof=1))
    half = k_sd * ref_sd / np.sqrt(cur.shape[0])
    print(json.dumps({"components": k, "reference_mean": ref_mean, "reference_sd": ref_sd,
                      "value": float(e_cur.mean()), "lower": ref_mean - half, "upper": ref_mean + half}))


main()
