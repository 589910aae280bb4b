"""Makes the gensim fixtures in this folder and the answers gensim gives on them.

Run with gensim 4.4 (tests read the committed files; they never need Python):
    /tmp/anchors/venv/bin/python tests/data/gensim/make.py

The corpus is synthetic (seeded): sentences drawn from a few topics, so neighbours mean
something. Files:
  kv.kv                       KeyedVectors.save, arrays inside the pickle (small)
  w2v.model + *.npy           Word2Vec.save with sep_limit=0: every array in a .npy side file
  ft.model  + *.npy           FastText.save with sep_limit=0 (n-gram buckets in a .npy)
  ft_small.model              FastText.save, arrays inside the pickle
  expected.json               gensim's answers: neighbours, OOV vectors, counts
"""
import json
import os
import random

import numpy as np
from gensim.models import FastText, KeyedVectors, Word2Vec

HERE = os.path.dirname(os.path.abspath(__file__))
TOPICS = {
    "animals": "cat dog horse cow sheep goat mouse rabbit lion tiger wolf fox",
    "food": "bread cheese apple pear soup rice pasta butter honey salt pepper cake",
    "music": "piano violin guitar drum song choir melody rhythm flute harp opera jazz",
    "weather": "rain snow wind storm cloud sunny fog thunder frost breeze hail drizzle",
    "city": "street market bridge tower station museum harbour square avenue tram park café",
    "sea": "boat ship wave sailor anchor island shore tide fish whale coral reef",
}
COMMON = "the a of and in on with to is was".split()


def corpus(seed=7, n=2500):
    rng = random.Random(seed)
    topics = [t.split() for t in TOPICS.values()]
    out = []
    for _ in range(n):
        words = topics[rng.randrange(len(topics))]
        sentence = []
        for _ in range(10):
            sentence.append(rng.choice(words) if rng.random() < 0.7 else rng.choice(COMMON))
        out.append(sentence)
    return out


def neighbours(kv, words, k=5):
    return {w: [[n, float(s)] for n, s in kv.most_similar(w, topn=k)] for w in words}


def main():
    sentences = corpus()
    common = dict(vector_size=12, window=4, min_count=2, seed=1, workers=1, epochs=5)
    w2v = Word2Vec(sentences, sg=1, **common)
    w2v.save(os.path.join(HERE, "w2v.model"), sep_limit=0)
    w2v.wv.save(os.path.join(HERE, "kv.kv"))
    ft = FastText(sentences, min_n=3, max_n=5, bucket=500, **common)
    ft.save(os.path.join(HERE, "ft.model"), sep_limit=0)
    ft.save(os.path.join(HERE, "ft_small.model"))

    kv = KeyedVectors.load(os.path.join(HERE, "kv.kv"))
    w2v = Word2Vec.load(os.path.join(HERE, "w2v.model"))
    ft = FastText.load(os.path.join(HERE, "ft.model"))
    queries = ["cat", "piano", "rain", "café", "ship"]
    oov = ["cats", "pianos", "rainy", "cafés", "zzz"]
    expected = {
        "words": list(kv.index_to_key),
        "counts": [int(kv.get_vecattr(w, "count")) for w in kv.index_to_key],
        "dim": kv.vector_size,
        "w2v_neighbours": neighbours(w2v.wv, queries),
        "ft_neighbours": neighbours(ft.wv, queries),
        "ft_words": list(ft.wv.index_to_key),
        "ft_vectors": {w: ft.wv[w].tolist() for w in queries},
        "ft_oov": {w: ft.wv[w].tolist() for w in oov},
        "ft_oov_neighbours": neighbours(ft.wv, ["cats", "pianos"]),
        "kv_first_vector": kv.vectors[0].tolist(),
    }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
    for name in sorted(os.listdir(HERE)):
        print(name, os.path.getsize(os.path.join(HERE, name)))


if __name__ == "__main__":
    main()
