#!/usr/bin/env bash
# Loading GloVe 6B 50d (400,000 × 50): embx against finalfusion's own readers and gensim, in
# one run, rounds interleaved. Prints the median seconds of each and the ratios.
#
#   scripts/bench-load.sh [ROUNDS]      (default 3; gensim's text load alone takes ~18 s)
#
# Data: ../shared/bench/get-data.sh (run automatically when missing); gensim from the venv
# made by ../shared/bench/setup-venv.sh. Set NO_GENSIM=1 to skip gensim.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bench=$here/../shared/bench
A=${ANCHORS:-/tmp/anchors}
data=$A/data/glove
rounds=${1:-3}
[ -f "$data/glove.6B.50d.txt" ] || bash "$bench/get-data.sh"
cd "$here"
cargo build --quiet --release --examples --bin embx
bin=target/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
txt=$data/glove.6B.50d.txt
w2v=$data/glove.6B.50d.w2v.bin
fifu=$work/glove.fifu
$bin/embx convert -q "$txt" "$fifu" --to fifu
out=$work/results.txt
: > "$out"
sec() { sed -n 's/.*seconds=\([0-9.]*\).*/\1/p'; }
rss() { sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p'; }
for r in $(seq "$rounds"); do
  echo "round $r/$rounds" >&2
  l=$($bin/examples/embx_load "$txt");                  echo "embx glove $(echo "$l" | sec) $(echo "$l" | rss)" >> "$out"
  echo "ff glove $($bin/examples/ff_load glove "$txt" | sec)" >> "$out"
  l=$($bin/examples/embx_load "$w2v");                  echo "embx w2vbin $(echo "$l" | sec) $(echo "$l" | rss)" >> "$out"
  echo "ff w2vbin $($bin/examples/ff_load w2v-bin "$w2v" | sec)" >> "$out"
  l=$($bin/examples/embx_load "$fifu" array);           echo "embx fifu $(echo "$l" | sec) $(echo "$l" | rss)" >> "$out"
  echo "ff fifu $($bin/examples/ff_load fifu "$fifu" | sec)" >> "$out"
  l=$($bin/examples/embx_load "$fifu" mmap);            echo "embx fifu-mmap $(echo "$l" | sec) $(echo "$l" | rss)" >> "$out"
  echo "ff fifu-mmap $($bin/examples/ff_load fifu-mmap "$fifu" | sec)" >> "$out"
  if [ -z "${NO_GENSIM:-}" ] && [ -x "$A/venv/bin/python" ]; then
    echo "gensim glove $("$A/venv/bin/python" "$bench/bench_load.py" glove "$txt" | sed -n 's/.*load_s=\([0-9.]*\).*/\1/p')" >> "$out"
    echo "gensim w2vbin $("$A/venv/bin/python" "$bench/bench_load.py" w2vbin "$w2v" | sed -n 's/.*load_s=\([0-9.]*\).*/\1/p')" >> "$out"
  fi
done
python3 - "$out" <<'PY'
import sys, statistics as st
from collections import defaultdict
t = defaultdict(list); rss = defaultdict(list)
for line in open(sys.argv[1]):
    f = line.split()
    t[(f[0], f[1])].append(float(f[2]))
    if len(f) > 3: rss[(f[0], f[1])].append(int(f[3]))
m = {k: st.median(v) for k, v in t.items()}
matrix_mib = 400000 * 50 * 4 / 2**20
print(f"{'reader':8} {'input':10} {'median s':>9} {'runs':>5}")
for (who, what), v in sorted(t.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    extra = f"  peak RSS {st.median(rss[(who, what)])/1024:.0f} MiB (matrix {matrix_mib:.0f} MiB)" if rss.get((who, what)) else ""
    print(f"{who:8} {what:10} {m[(who, what)]:9.4f} {len(v):5d}{extra}")
def ratio(a, b, label):
    if a in m and b in m and m[a] > 0:
        print(f"{label:44} {m[b] / m[a]:6.1f}x")
print()
ratio(("embx", "glove"), ("ff", "glove"), "GloVe text: finalfusion / embx (target >= 2)")
ratio(("embx", "glove"), ("gensim", "glove"), "GloVe text: gensim / embx (target >= 40)")
ratio(("embx", "w2vbin"), ("ff", "w2vbin"), "word2vec bin: finalfusion / embx (target >= 2)")
ratio(("embx", "w2vbin"), ("gensim", "w2vbin"), "word2vec bin: gensim / embx")
ratio(("embx", "fifu"), ("ff", "fifu"), "fifu read: finalfusion / embx")
ratio(("embx", "fifu-mmap"), ("ff", "fifu-mmap"), "fifu mmap: finalfusion / embx")
if ("embx", "fifu-mmap") in m:
    print(f"{'fifu mmap open, embx (target <= 0.050 s)':44} {m[('embx', 'fifu-mmap')]:.4f} s")
PY
