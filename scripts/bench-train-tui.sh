#!/usr/bin/env bash
# Training throughput with the explorer open (embx train --tui) against headless embx train,
# same corpus and settings, runs alternating (the machine may be shared: compare medians).
# The explorer runs in a detached tmux session of 120×40; while it trains the script sends a
# key every 0.3 s (↓, harmless) so that key-to-screen latency is measured too. The explorer
# prints its words/s on exit and, with EMBX_TUI_STATS=1, its frames/s while training, draw
# times and key latency (read to frame on screen).
#
#   scripts/bench-train-tui.sh [CORPUS] [RUNS]     (extra embx train options in TRAIN_ARGS)
#
# CORPUS defaults to the first 20 MB of /tmp/anchors/data/corpus/corpus.txt; TRAIN_ARGS to
# "--epochs 1". Needs tmux and target/release/embx (cargo build --release).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
embx=${EMBX:-$here/target/release/embx}
full=${ANCHORS:-/tmp/anchors}/data/corpus/corpus.txt
work=$(mktemp -d)
trap 'tmux kill-session -t embx-bench 2>/dev/null || true; rm -rf "$work"' EXIT
corpus=${1:-}
if [ -z "$corpus" ]; then
    corpus=$work/corpus.txt
    head -c 20000000 "$full" > "$corpus"
fi
runs=${2:-3}
read -r -a extra <<< "${TRAIN_ARGS:---epochs 1}"
command -v tmux > /dev/null || { echo "tmux is needed" >&2; exit 1; }

headless() {
    "$embx" train "$corpus" "${extra[@]}" -o "$work/h.fifu" --progress none 2>&1 |
        sed -n 's/.* \([0-9]*\) words\/s.*/\1/p'
}

# Runs the explorer until its panel says the run is done; prints its words/s, then the stats.
tui() {
    local err=$work/tui.err
    tmux kill-session -t embx-bench 2>/dev/null || true
    tmux new-session -d -s embx-bench -x 120 -y 40 \
        "EMBX_TUI_STATS=1 '$embx' train '$corpus' ${extra[*]} --tui 2> '$err'"
    local screen=""
    for _ in $(seq 1 3000); do
        screen=$(tmux capture-pane -p -t embx-bench 2>/dev/null || true)
        case "$screen" in *"Train in place · done"*|*"Train in place · failed"*) break ;; esac
        if [[ "$screen" == *"● training"* ]]; then
            tmux send-keys -t embx-bench Down
        fi
        sleep 0.3
    done
    tmux send-keys -t embx-bench q
    for _ in $(seq 1 100); do
        tmux has-session -t embx-bench 2>/dev/null || break
        sleep 0.1
    done
    sed -n 's/^trained .* \([0-9]*\) words\/s.*/\1/p' "$err"
    grep '^tui:' "$err" >&2 || true
}

echo "corpus: $corpus ($(wc -c < "$corpus") bytes), options: ${extra[*]}, $(nproc) cores"
ratios=()
for i in $(seq 1 "$runs"); do
    h=$(headless)
    t=$(tui)
    r=$(awk -v t="$t" -v h="$h" 'BEGIN { printf "%.3f", t / h }')
    ratios+=("$r")
    echo "run $i: headless $h words/s, explorer $t words/s, ratio $r"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print "median ratio (explorer / headless): " a[int((NR + 1) / 2)] }'
