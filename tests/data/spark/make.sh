#!/bin/sh
# Makes the Spark MLlib fixture in this folder: a small synthetic corpus (the one of
# ../gensim/make.py), a Word2VecModel trained on it by scripts/spark-train.py in local mode,
# and Spark's own answers (findSynonyms, getVectors) in expected.json.
#     sh tests/data/spark/make.sh      (needs Java and pyspark; /tmp/anchors/venv has it)
set -e
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-/tmp/anchors/venv/bin/python}
"$py" - "$here/corpus.txt" <<'PY'
import sys, importlib.util, os
spec = importlib.util.spec_from_file_location("make", os.path.join(os.path.dirname(sys.argv[1]), "..", "gensim", "make.py"))
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for s in m.corpus(n=800):
        f.write(" ".join(s) + "\n")
PY
rm -rf "$here/model"
"$py" "$here/../../../scripts/spark-train.py" "$here/corpus.txt" "$here/model" --master 'local[1]' \
    --vector-size 8 --min-count 2 --max-iter 2 --seed 3 --synonyms cat piano rain café > "$here/synonyms.json"
"$py" - "$here" <<'PY'
import json, sys, glob, os
import pyarrow.parquet as pq
here = sys.argv[1]
table = pq.read_table(sorted(glob.glob(os.path.join(here, "model/data/*.parquet"))))
rows = table.to_pylist()
vectors = {r["word"]: r["vector"] for r in rows}
synonyms = json.load(open(os.path.join(here, "synonyms.json")))
json.dump({"words": [r["word"] for r in rows], "vectors": vectors, "synonyms": synonyms},
          open(os.path.join(here, "expected.json"), "w"), ensure_ascii=False, indent=1)
os.remove(os.path.join(here, "synonyms.json"))
# The layout Spark before 2.2 saved: one row of (wordIndex map, flat wordVectors), written
# here with pyarrow from the same vectors (Spark 4 cannot write it any more).
import shutil, pyarrow as pa
old = os.path.join(here, "model-pre2.2")
shutil.rmtree(old, ignore_errors=True)
os.makedirs(os.path.join(old, "metadata")); os.makedirs(os.path.join(old, "data"))
meta = json.loads(open(glob.glob(os.path.join(here, "model/metadata/part-*"))[0]).readline())
meta["sparkVersion"] = "2.1.0"
open(os.path.join(old, "metadata", "part-00000"), "w").write(json.dumps(meta) + "\n")
words = sorted(vectors)  # any order: the index says where each word's vector is
schema = pa.schema([("wordIndex", pa.map_(pa.string(), pa.int32())), ("wordVectors", pa.list_(pa.float32()))])
flat = [x for w in words for x in vectors[w]]
t = pa.table({"wordIndex": [list(zip(words, range(len(words))))], "wordVectors": [flat]}, schema=schema)
pq.write_table(t, os.path.join(old, "data", "part-00000.snappy.parquet"), compression="snappy")
PY
find "$here/model" -name '.*.crc' -delete
find "$here/model" -type f | sort | xargs ls -l
