#!/usr/bin/env bash
# The explorer's performance checks:
#   - one full frame drawn on ratatui's TestBackend at 200×60 and 80×24 (criterion,
#     benches/render.rs; target ≤ 5 ms at 200×60);
#   - key-to-answer latency on GloVe 6B 50d (400,000 words): Enter on a search hit to its
#     neighbours in the App, through the real worker, median and p90 over the 200 words of
#     ../shared/bench/queries200.txt (examples/tui_latency.rs; target ≤ 50 ms). Skipped when
#     the GloVe file is absent.
#
#   scripts/bench-tui.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
A=${ANCHORS:-/tmp/anchors}
bin=${EMBX_BENCH_GLOVE:-$A/data/glove/glove.6B.50d.w2v.bin}
queries=${EMBX_BENCH_QUERIES:-$here/../shared/bench/queries200.txt}
cd "$here"

echo "== render: one frame on TestBackend"
cargo bench --quiet --bench render 2>/dev/null | grep -E '^render/|time:'

echo "== key to answer on $(basename "$bin")"
if [ -f "$bin" ] && [ -f "$queries" ]; then
    cargo run --quiet --release --example tui_latency -- "$bin" "$queries"
else
    echo "skipped: $bin or $queries is absent"
fi
