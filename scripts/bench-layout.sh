#!/usr/bin/env bash
# embx's t-SNE against scikit-learn's TSNE (Barnes-Hut, perplexity 30, 1,000 iterations,
# cosine, PCA init) on the N most frequent GloVe 6B 50d words, in one run, and embx's UMAP
# at 10,000 words. embx's kept-neighbours figure is recomputed from its TSV by scikit-learn
# (scripts/bench-layout-kept.py), so the two figures are measured the same way.
#
# Usage: scripts/bench-layout.sh [N] [SEED]        (N default 5000, SEED default 1)
# Env:   GLOVE_TXT, GLOVE_BIN, PY (python with scikit-learn), EMBX (binary), BENCH (dir of
#        bench_tsne.py), THREADS (embx worker threads, default all)
set -euo pipefail
N=${1:-5000}
SEED=${2:-1}
DATA=${DATA:-/tmp/anchors/data/glove}
GLOVE_TXT=${GLOVE_TXT:-$DATA/glove.6B.50d.txt}
GLOVE_BIN=${GLOVE_BIN:-$DATA/glove.6B.50d.w2v.bin}
PY=${PY:-/tmp/anchors/venv/bin/python}
EMBX=${EMBX:-target/release/embx}
BENCH=${BENCH:-/work/shared/bench}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
threads=()
[ -n "${THREADS:-}" ] && threads=(--threads "$THREADS")

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== scikit-learn TSNE, $N words"
"$PY" "$BENCH/bench_tsne.py" "$GLOVE_TXT" "$N" "$SEED"

echo "== embx t-SNE, $N words"
"$EMBX" layout "$GLOVE_BIN" --top "$N" --method tsne --perplexity 30 --iterations 1000 \
    --seed "$SEED" "${threads[@]}" -q -o "$OUT/tsne.tsv"
"$PY" "$HERE/bench-layout-kept.py" "$GLOVE_TXT" "$OUT/tsne.tsv"

for M in 10000; do
    echo "== embx UMAP, $M words"
    "$EMBX" layout "$GLOVE_BIN" --top "$M" --method umap --seed "$SEED" "${threads[@]}" -q \
        -o "$OUT/umap.tsv"
    "$PY" "$HERE/bench-layout-kept.py" "$GLOVE_TXT" "$OUT/umap.tsv"
done
