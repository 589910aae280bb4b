#!/usr/bin/env python3
"""The kept-neighbours figure of a layout TSV written by `embx layout`, computed with
scikit-learn exactly as ../shared/bench/bench_tsne.py does (mean fraction of each word's 10
cosine neighbours in the original space that are among its 10 Euclidean neighbours in the
layout). Checks embx's own per-word `kept` column against it.

Usage: bench-layout-kept.py GLOVE_TXT LAYOUT_TSV
"""
import sys
import numpy as np
from sklearn.neighbors import NearestNeighbors

glove, layout = sys.argv[1], sys.argv[2]
rows = [l.rstrip("\n").split("\t") for l in open(layout, encoding="utf-8")][1:]
words = [r[0] for r in rows]
Y = np.array([[float(r[1]), float(r[2])] for r in rows])
embx_kept = np.array([int(r[3]) for r in rows])
want = {w: i for i, w in enumerate(words)}
X = np.zeros((len(words), 0), dtype=np.float32)
vecs = {}
with open(glove, encoding="utf-8") as f:
    for line in f:
        w, rest = line.split(" ", 1)
        if w in want and w not in vecs:
            vecs[w] = np.asarray(rest.split(), dtype=np.float32)
            if len(vecs) == len(want):
                break
X = np.vstack([vecs[w] for w in words])
X /= np.linalg.norm(X, axis=1, keepdims=True)

def knn(A, metric):
    return NearestNeighbors(n_neighbors=11, metric=metric).fit(A).kneighbors(A, return_distance=False)[:, 1:]

a, b = knn(X, "cosine"), knn(Y, "euclidean")
kept = np.array([len(set(a[i]) & set(b[i])) for i in range(len(X))])
agree = np.mean(kept == embx_kept)
print("layout n=%d knn10_kept=%.4f (embx's per-word figure agrees on %.1f%% of words)"
      % (len(X), kept.mean() / 10, 100 * agree))
