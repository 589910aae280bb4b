#!/bin/bash
# Same-run A/B of embx builds and gensim, one thread, one epoch, rounds interleaved.
#
#   scripts/bench_train_ab.sh CORPUS ROUNDS "LABEL|ARGS" ...
#
# A LABEL starting with "gensim" runs bench_train.py's gensim child with ARGS (e.g.
# "gensim-hs|--model skipgram --hs"); any other label runs `BINARY train` with ARGS = "BINARY
# train-options" (e.g. "new|target/release/embx --model skipgram --loss hs"). Prints the
# training seconds (embx: from the metadata; gensim: its train() call), the process's user CPU
# seconds and the load average, one line per run. PY names the Python with gensim.
set -euo pipefail
corpus=$1; rounds=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
py=${PY:-/tmp/anchors/venv/bin/python}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for r in $(seq "$rounds"); do
  for spec in "$@"; do
    label=${spec%%|*}; args=${spec#*|}
    if [[ "$label" == gensim* ]]; then
      # shellcheck disable=SC2086
      log=$( { /usr/bin/time -f "cpu %U" env PYTHONHASHSEED=0 nice -n 10 "$py" "$here/bench_train.py" \
        --gensim-child --corpus "$corpus" --threads 1 --epochs 1 --seed 1 $args; } 2>&1 )
      s=$(echo "$log" | grep '^{' | python3 -c 'import json,sys; print("%.2f" % json.loads(sys.stdin.read())["train_s"])')
    else
      bin=${args%% *}; rest=${args#* }
      # shellcheck disable=SC2086
      log=$( { /usr/bin/time -f "cpu %U" nice -n 10 "$bin" train "$corpus" -o "$out/m.fifu" \
        --threads 1 --epochs 1 --seed 1 --progress none -q $rest; } 2>&1 )
      s=$("$bin" info "$out/m.fifu" --json | python3 -c 'import json,sys,tomllib; print("%.2f" % tomllib.loads(json.load(sys.stdin)["metadata"])["result"]["seconds"])')
    fi
    echo "round $r $label train_s $s $(echo "$log" | grep '^cpu') load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
