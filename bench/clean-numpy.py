#!/usr/bin/python3
"""Confident learning in numpy, written apart from sift's C code from
Northcutt, Jiang and Chuang (JAIR 2021) and cleanlab's conventions:
the peer of bench/clean.sh, and the reference of tests/unit/test_clean.c.

    clean-numpy.py [--label COL] [--prefix P] [--filter F] [--explain] FILE

Prints the 0-based numbers of the records found to be label issues, one
a line, in input order; --explain prints the thresholds, the confident
joint, the calibrated joint, the prune counts and the noise rate first.
Records with an empty label are not judged. Not part of sift or of make
check: it needs python3-numpy.
"""
import argparse
import csv
import sys
import time
from fractions import Fraction

import numpy as np


def read(path, label_col, prefix):
    with open(path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        li = header.index(label_col)
        pcols = [i for i, h in enumerate(header) if h.startswith(prefix) and i != li]
        classes = [header[i][len(prefix):] for i in pcols]
        index = {c: i for i, c in enumerate(classes)}
        labels, probs, numbers = [], [], []
        for n, row in enumerate(rows):
            if row[li] == "":
                continue
            labels.append(index[row[li]])
            probs.append([float(row[i]) for i in pcols])
            numbers.append(n)
    return classes, np.array(labels, dtype=np.int64), np.array(probs), np.array(numbers)


def round_row(count, total):
    """count scaled to sum to total, rounded to integers that keep the
    total: to the nearest (ties to even), then the largest remainders
    raised first (cleanlab's round_preserving_sum), in exact fractions."""
    s = int(sum(count))
    if s == 0:
        return [0] * len(count)
    x = [Fraction(int(c) * int(total), s) for c in count]
    ints = [round(v) for v in x]  # Python rounds ties to even
    while sum(ints) != total:
        step = 1 if total > sum(ints) else -1
        changes = min(abs(total - sum(ints)), len(x))
        order = sorted(range(len(x)), key=lambda j: x[j] - ints[j])
        order = order[::-1] if step > 0 else order
        for j in order[:changes]:
            ints[j] += step
    return ints


def estimate(labels, P):
    n, K = P.shape
    counts = np.bincount(labels, minlength=K)
    t = np.array([P[labels == k, k].mean() if counts[k] else np.inf for k in range(K)])
    conf = P >= t - 1e-6
    # The paper's rule: argmax among the classes at their threshold.
    guess = np.where(conf, P, -1.0).argmax(axis=1)
    some = conf.any(axis=1)
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (labels[some], guess[some]), 1)
    np.fill_diagonal(C, np.maximum(C.diagonal(), 1))
    # Rows scaled to the label counts (the whole then sums to n).
    cal = np.array([round_row(C[i], counts[i]) for i in range(K)], dtype=np.int64)
    # At least one record kept on the diagonal, taken from the row.
    m = cal.astype(float).copy()
    for i in range(K):
        if cal[i, i] < 1:
            others = max(np.count_nonzero(cal[i]) - 1, 1)
            m[i] = np.maximum(cal[i] - 1.0 / others, 0)
            m[i, i] = 1
    m = m.astype(np.int64)
    return t, conf, guess, some, C, cal, m, counts


def issues(labels, P, filter_by):
    n, K = P.shape
    t, conf, guess, some, C, cal, m, counts = estimate(labels, P)
    by_noise = np.zeros(n, dtype=bool)
    by_class = np.zeros(n, dtype=bool)
    for k in range(K):
        given = labels == k
        if counts[k] <= 1:
            continue
        for j in range(K):
            if j == k or m[k, j] == 0:
                continue
            margin = P[:, j] - P[:, k]
            cut = np.sort(margin[given])[::-1][m[k, j] - 1]
            by_noise |= given & (margin >= cut)
        cut_n = counts[k] - m[k, k]
        rank = np.sort(P[given, k])[cut_n]
        by_class |= given & (P[:, k] < rank)
    flagged = {
        "prune_by_noise_rate": by_noise,
        "prune_by_class": by_class,
        "both": by_noise & by_class,
        "confident_learning": some & (guess != labels),
        "predicted_neq_given": P.argmax(axis=1) != labels,
    }[filter_by]
    return flagged & (P.argmax(axis=1) != labels), (t, C, cal, m)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", default="label")
    ap.add_argument("--prefix", default="p_")
    ap.add_argument("--filter", default="prune_by_noise_rate")
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--time", action="store_true", help="print the seconds to read and to compute on stderr")
    ap.add_argument("file")
    a = ap.parse_args()
    t0 = time.perf_counter()
    classes, labels, P, numbers = read(a.file, a.label, a.prefix)
    t1 = time.perf_counter()
    flagged, (t, C, cal, m) = issues(labels, P, a.filter)
    t2 = time.perf_counter()
    out = sys.stdout
    if a.explain:
        np.set_printoptions(precision=17)
        print("classes", classes, file=out)
        print("thresholds", [repr(float(x)) for x in t], file=out)
        print("joint", C.tolist(), file=out)
        print("calibrated", cal.tolist(), file=out)
        print("prune", m.tolist(), file=out)
        off = cal.sum() - np.trace(cal)
        print("noise rate", off, "/", cal.sum(), file=out)
    out.write("".join("%d\n" % i for i in numbers[flagged]))
    if a.time:
        print("read %.3f s, compute %.3f s" % (t1 - t0, t2 - t1), file=sys.stderr)


if __name__ == "__main__":
    main()
