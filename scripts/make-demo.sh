#!/usr/bin/env bash
# Rebuilds the bundled demo files in assets/ from public sources:
#   assets/demo.fifu  the 50,000 most frequent words of GloVe 6B 50d (PDDL), written by
#                     finalfusion itself (examples/make_demo.rs)
#   assets/eval/      the Google analogy set, WordSim353 and SimLex-999, as shipped in the
#                     test data of the gensim 4.4.0 wheel
# The data recipe is ../shared/bench/get-data.sh (PyPI wheels only).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data=${ANCHORS:-/tmp/anchors}/data
if [ ! -f "$data/glove/glove.6B.50d.txt" ]; then
  bash "$here/../shared/bench/get-data.sh"
fi
cd "$here"
cargo run --quiet --release --example make_demo -- "$data/glove/glove.6B.50d.txt" 50000 assets/demo.fifu
mkdir -p assets/eval
cp "$data/fixtures/questions-words.txt" "$data/fixtures/wordsim353.tsv" "$data/fixtures/simlex999.txt" assets/eval/
sha256sum assets/demo.fifu assets/eval/*
