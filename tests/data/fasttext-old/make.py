"""Makes old.bin: a fastText model in the layout of fastText before 0.2 (no magic number,
no version, no pruned-vocabulary size, no quantization flags), and the answers gensim 4.4
(which reads such files) gives on it, in expected.json.

    /tmp/anchors/venv/bin/python tests/data/fasttext-old/make.py

The model is trained with the fasttext module on the synthetic corpus of ../gensim/make.py
and saved in today's layout; the fields that old files lack are then cut out.
"""
import importlib.util
import json
import os
import struct
import tempfile

import fasttext
from gensim.models.fasttext import load_facebook_model

HERE = os.path.dirname(os.path.abspath(__file__))


def corpus():
    spec = importlib.util.spec_from_file_location("make", os.path.join(HERE, "..", "gensim", "make.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m.corpus()


def to_old(new):
    """Cuts the magic, version, pruneidx size and the two quantization flags."""
    pos = 8 + 12 * 4 + 8  # magic, version, 12 int args, sampling threshold
    args = new[8:pos]
    size, nwords, nlabels = struct.unpack("<3i", new[pos:pos + 12])
    vocab_head = new[pos:pos + 12 + 8]  # size, nwords, nlabels, ntokens
    pos += 12 + 8
    pruneidx, = struct.unpack("<q", new[pos:pos + 8])
    assert pruneidx == -1
    pos += 8
    words_start = pos
    for _ in range(size):
        pos = new.index(b"\0", pos) + 1 + 8 + 1
    words = new[words_start:pos]
    assert new[pos] == 0  # not quantized
    pos += 1
    rows, cols = struct.unpack("<2q", new[pos:pos + 16])
    input_matrix = new[pos:pos + 16 + rows * cols * 4]
    pos += 16 + rows * cols * 4
    assert new[pos] == 0  # output not quantized
    pos += 1
    output_matrix = new[pos:]
    return args + vocab_head + words + input_matrix + output_matrix


def main():
    with tempfile.TemporaryDirectory() as d:
        text = os.path.join(d, "corpus.txt")
        with open(text, "w", encoding="utf-8") as f:
            for s in corpus():
                f.write(" ".join(s) + "\n")
        # fastText now and then stops with "Encountered NaN" on a corpus this small: retry.
        for attempt in range(20):
            try:
                model = fasttext.train_unsupervised(
                    text, model="skipgram", dim=12, minCount=2, minn=3, maxn=5, bucket=1000,
                    thread=1, verbose=0)
                break
            except RuntimeError:
                if attempt == 19:
                    raise
        new_path = os.path.join(d, "new.bin")
        model.save_model(new_path)
        new = open(new_path, "rb").read()
    old_path = os.path.join(HERE, "old.bin")
    with open(old_path, "wb") as f:
        f.write(to_old(new))
    ft = load_facebook_model(old_path)
    wv = ft.wv
    queries = ["cat", "piano", "café"]
    oov = ["cats", "pianos", "cafés"]
    expected = {
        "words": list(wv.index_to_key),
        "dim": wv.vector_size,
        "vectors": {w: wv[w].tolist() for w in queries},
        "oov": {w: wv[w].tolist() for w in oov},
        "fasttext_oov": {w: model.get_word_vector(w).tolist() for w in oov},
        "neighbours": {w: [[n, float(s)] for n, s in wv.most_similar(w, topn=5)] for w in queries + ["cats"]},
    }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
    print("old.bin", os.path.getsize(old_path))


if __name__ == "__main__":
    main()
