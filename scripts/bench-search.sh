#!/usr/bin/env bash
# The explorer's vocabulary search: last key → hits through `update` and the real worker, in
# prefix, substring and fuzzy mode, for the words of ../shared/bench/queries200.txt, and
# typos of them (last letter doubled: how often the word meant is the first fuzzy hit); the
# library's search() against the scan it replaced, in the same run; the longest `update` for
# one key (the scan never runs on the UI thread). Targets: GloVe 400k no slower than before
# (~9 ms); the synthetic 2,000,000-word file ≤ 30 ms (issue 14, item 6). Needs a quiet
# machine for the absolute figures; the ratios hold on a loaded one.
#
#   scripts/bench-search.sh [N]     (N: query words used on the 2M file, default 40)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
A=${ANCHORS:-/tmp/anchors}
glove=${EMBX_BENCH_GLOVE:-$A/data/glove/glove.6B.50d.w2v.bin}
big=${EMBX_BENCH_BIG:-$here/../big-data/big2m.fifu}
queries=${EMBX_BENCH_QUERIES:-$here/../shared/bench/queries200.txt}
cd "$here"
nice cargo build --quiet --release --example search_latency
bin=target/release/examples/search_latency
uptime
echo "== GloVe 6B 50d (400,000 words)"
"$bin" "$glove" "$queries" 200
echo "== synthetic 2,000,000 words ($(basename "$big"))"
"$bin" "$big" "$queries" "${1:-40}"
uptime
