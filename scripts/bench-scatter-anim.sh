#!/usr/bin/env bash
# The explorer's scatter while a layout animates (issue 13, item 6), on GloVe 6B 50d:
#  1. examples/scatter_anim: the real update, worker lanes and drawing (into a TestBackend),
#     without a terminal: time from `m` to the first animated frame on screen, frames/s while
#     the layout runs, key → screen time; t-SNE on the top 5,000 words at 80x24 and 120x40,
#     UMAP on the top 10,000.
#  2. the real binary in tmux (120x40): the same t-SNE driven by keys, EMBX_TUI_STATS's
#     frames/s and key → screen times (arrow keys every 250 ms while it runs).
# Needs a quiet machine for meaningful numbers; prints the load average with them.
set -euo pipefail
FILE=${1:-/tmp/anchors/data/glove/glove.6B.50d.w2v.bin}
cd "$(dirname "$0")/.."
nice cargo build --release --bin embx --example scatter_anim
uptime
for size in "80 24" "120 40"; do
  # shellcheck disable=SC2086
  target/release/examples/scatter_anim "$FILE" 5000 tsne $size
done
target/release/examples/scatter_anim "$FILE" 10000 umap 120 40
uptime

S=embx-bench-scatter-$$
STATS=$(mktemp)
tmux new -d -s "$S" -x 120 -y 40 "EMBX_TUI_STATS=1 target/release/embx open '$FILE' 2>'$STATS'"
trap 'tmux kill-session -t "$S" 2>/dev/null || true; rm -f "$STATS"' EXIT
until tmux capture-pane -p -t "$S" | grep -q "400,000 words"; do sleep 0.5; done
keys() { for k in "$@"; do tmux send-keys -t "$S" "$k"; sleep 0.2; done; }
# The scatter, its form: the "top N words" field (4th), 5000, then m: t-SNE.
keys Escape v f Down Down Down Enter C-u
tmux send-keys -t "$S" -l 5000
keys Enter Escape m
for _ in $(seq 1 120); do
  keys Right
  sleep 0.05
  if ! tmux capture-pane -p -t "$S" | grep -q "· running"; then break; fi
done
tmux capture-pane -p -t "$S" | head -20
keys q
sleep 1
cat "$STATS"
uptime
