#!/usr/bin/env bash
# Training throughput with the explorer open (embx train --tui) against headless embx train,
# same corpus and settings, runs alternating (the machine may be shared: compare medians).
# The explorer runs in a detached tmux session of 120×40; while it trains the script sends a
# key every 0.3 s (↓, harmless) so that key-to-screen latency is measured too. The explorer
# prints its words/s on exit and, with EMBX_TUI_STATS=1, its frames/s while training, draw
# times and key latency (read to frame on screen).
#
#   scripts/bench-train-tui.sh [CORPUS] [RUNS]     (extra embx train options in TRAIN_ARGS)
#   BASE=/work/big-data/big2m.fifu scripts/bench-train-tui.sh [CORPUS] [RUNS]
#
# CORPUS defaults to the first 20 MB of /tmp/anchors/data/corpus/corpus.txt; TRAIN_ARGS to
# "--epochs 1". Needs tmux and target/release/embx (cargo build --release).
#
# With BASE, a big space is continued instead (issue 14, item 5): headless through
# examples/train_continue.rs (library, 2 threads, 5 epochs, stopped at 90 % so that the
# result copy is never built), against `embx open BASE` in tmux where the train panel is
# filled in by keys (the corpus; its defaults: 5 epochs, continue the open vectors) and
# started; use a small CORPUS (e.g. `head -c 3000000 corpus.txt`); the panel's
# words/s is read at 90 % and the explorer quit (q q), printing its frames/s. The headless
# run is also repeated with the explorer's snapshot work beside it (--live). Peak memory:
# the two weight matrices (2 × 2.4 GB at 2M × 300) plus the mapped file.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
embx=${EMBX:-$here/target/release/embx}
full=${ANCHORS:-/tmp/anchors}/data/corpus/corpus.txt
work=$(mktemp -d)
trap 'tmux kill-session -t embx-bench 2>/dev/null || true; tmux kill-session -t embx-bench-base 2>/dev/null || true; rm -rf "$work"' EXIT
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
    sed -n 's/^trained .* \([0-9,]*\) words\/s.*/\1/p' "$err" | tr -d ,
    grep '^tui:' "$err" >&2 || true
}

# BASE mode: the explorer continues BASE; prints "words/s frames/s".
tui_base() {
    local err=$work/tui.err s=embx-bench-base
    tmux kill-session -t $s 2>/dev/null || true
    tmux new-session -d -s $s -x 120 -y 40 "EMBX_TUI_STATS=1 '$embx' open '$BASE' 2> '$err'"
    local screen=""
    for _ in $(seq 1 600); do
        screen=$(tmux capture-pane -p -t $s 2>/dev/null || true)
        [[ "$screen" == *" words · "* ]] && break
        sleep 0.2
    done
    sleep 1; tmux send-keys -t $s Escape; sleep 0.5; tmux send-keys -t $s t; sleep 0.5
    # Enter on the start row without a corpus highlights the corpus row; Enter edits it.
    # The run keeps the panel's defaults (5 epochs, all cores), as the headless run does.
    tmux send-keys -t $s Enter; sleep 0.3
    tmux send-keys -t $s Enter; sleep 0.3
    tmux send-keys -t $s -l "$corpus"; tmux send-keys -t $s Enter
    sleep 0.5
    tmux send-keys -t $s s
    local rate="" pct=0
    for _ in $(seq 1 6000); do
        screen=$(tmux capture-pane -p -t $s 2>/dev/null || true)
        pct=$(sed -n 's/.* \([0-9.]*\) % ┃.*/\1/p' <<< "$screen" | head -1)
        rate=$(sed -n 's/.*words\/s\/thread *\([0-9,]*\) (\([0-9]*\) threads).*/\1 \2/p' <<< "$screen" | head -1)
        if [ -n "$pct" ] && [ -n "$rate" ] && awk -v p="$pct" 'BEGIN { exit !(p >= 90) }'; then
            break
        fi
        [[ "$screen" == *"● training"* ]] && tmux send-keys -t $s Down
        sleep 0.3
    done
    grep -o 'snapshot .*' <<< "$screen" | head -1 | sed 's/┃.*//' >&2
    tmux send-keys -t $s q; sleep 0.2; tmux send-keys -t $s q
    for _ in $(seq 1 100); do
        tmux has-session -t $s 2>/dev/null || break
        sleep 0.1
    done
    tmux kill-session -t $s 2>/dev/null || true
    local per threads
    read -r per threads <<< "${rate//,/}"
    echo "$((per * threads)) $(sed -n 's/^tui: \([0-9.]*\) frames.*/\1/p' "$err")"
}

if [ -n "${BASE:-}" ]; then
    ex=$here/target/release/examples/train_continue
    [ -x "$ex" ] || { echo "build it: cargo build --release --example train_continue" >&2; exit 1; }
    echo "base: $BASE; corpus: $corpus ($(wc -c < "$corpus") bytes), 5 epochs, 2 threads; $(uptime)"
    for i in $(seq 1 "$runs"); do
        h=$("$ex" "$BASE" "$corpus" --threads 2 --epochs 5 | sed -n 's/words_per_second=\([0-9]*\).*/\1/p')
        l=$("$ex" "$BASE" "$corpus" --threads 2 --epochs 5 --live)
        read -r t fps <<< "$(tui_base)"
        echo "run $i: headless $h words/s; headless + view work: $l; explorer $t words/s at ${fps:-?} frames/s;" \
            "ratio $(awk -v t="$t" -v h="$h" 'BEGIN { printf "%.3f", t / h }'); $(uptime)"
    done
    exit 0
fi

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
