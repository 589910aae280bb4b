#!/usr/bin/env python3
"""Checks a fastText .bin written by embx against the tools that read them.

    /tmp/anchors/venv/bin/python scripts/check_fasttext_bin.py MODEL.bin MODEL.fifu [--embx BIN]

MODEL.fifu is the same run saved as finalfusion (`embx train ... -o MODEL.fifu`, then
`embx convert MODEL.fifu MODEL.bin --to fasttext-bin`, or the same training with
`--format fasttext-bin`). The script loads MODEL.bin with gensim's `load_facebook_model` and with
the `fasttext` module (fastText's own C++ loader), and compares
  - fastText's `get_word_vector` with gensim's `wv[word]` (both from the .bin), for known words
    and for words outside the vocabulary (built from their n-grams), and
  - fastText's vectors of known words with embx's (MODEL.fifu written out as word2vec text).
embx's own OOV vectors from the .bin and from the .fifu are compared in the Rust tests
(`train::tests_objectives`); fastText's OOV vector is the mean of the n-gram rows, embx and
finalfusion return the same direction normalised.
Prints the largest differences and exits 1 if any exceeds 1e-4 (cosine distance for OOV).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("fifu")
    ap.add_argument("--embx", default=os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "target", "release", "embx"))
    ap.add_argument("--oov", default="walkingly,unfoobarred,xyzzy,swimmed,kingdomless")
    a = ap.parse_args()

    import fasttext
    from gensim.models.fasttext import load_facebook_model

    ft = fasttext.load_model(a.bin)
    gm = load_facebook_model(a.bin)
    words = ft.words
    with tempfile.TemporaryDirectory() as tmp:
        txt = os.path.join(tmp, "e.txt")
        subprocess.run([a.embx, "convert", a.fifu, txt, "--to", "word2vec-text", "-q"],
                       check=True)
        embx = {}
        with open(txt, encoding="utf-8") as f:
            next(f)
            for line in f:
                p = line.rstrip("\n").split(" ")
                embx[p[0]] = np.array([float(x) for x in p[1:]], dtype=np.float32)
    worst = {"fasttext-vs-gensim": 0.0, "fasttext-vs-embx": 0.0, "oov-cos-gap": 0.0}
    assert len(words) == len(embx), (len(words), len(embx))
    for w in words[:5000]:
        f, g, e = ft.get_word_vector(w), gm.wv[w], embx[w]
        worst["fasttext-vs-gensim"] = max(worst["fasttext-vs-gensim"], float(np.abs(f - g).max()))
        worst["fasttext-vs-embx"] = max(worst["fasttext-vs-embx"], float(np.abs(f - e).max()))
    for w in a.oov.split(","):
        f, g = ft.get_word_vector(w), gm.wv[w]
        cos = float(f @ g / (np.linalg.norm(f) * np.linalg.norm(g) + 1e-30))
        worst["oov-cos-gap"] = max(worst["oov-cos-gap"], 1.0 - cos)
        worst["fasttext-vs-gensim"] = max(worst["fasttext-vs-gensim"], float(np.abs(f - g).max()))
    print("words=%d %s" % (len(words), " ".join("%s=%.3g" % kv for kv in worst.items())))
    sys.exit(0 if max(worst.values()) <= 1e-4 else 1)


if __name__ == "__main__":
    main()
