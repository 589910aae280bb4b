#!/usr/bin/env bash
# Queries on GloVe 6B 50d (400,000 × 50): embx against gensim in one run.
#   - nearest neighbours: median latency of top-10 over the 200 words of
#     ../shared/bench/queries200.txt (3 passes), and whether the lists are identical;
#   - analogy evaluation on the Google set (gensim's rules) at restrict 30000 (3CosAdd and
#     3CosMul) and 300000 (3CosAdd): evaluation time and whether every count is identical;
#   - word pairs: WordSim353 and SimLex-999 Spearman/Pearson.
#
#   scripts/bench-query.sh            (SKIP_300K=1 skips the ~2.5 min gensim run at 300000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bench=$here/../shared/bench
A=${ANCHORS:-/tmp/anchors}
PY=$A/venv/bin/python
bin=$A/data/glove/glove.6B.50d.w2v.bin
qw=$A/data/fixtures/questions-words.txt
[ -f "$bin" ] || bash "$bench/get-data.sh"
[ -x "$PY" ] || bash "$bench/setup-venv.sh"
cd "$here"
cargo build --quiet --release --examples --bin embx
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

echo "== nearest neighbours (top 10, 200 queries × 3)"
g=$(KNN_DUMP=$work/gensim.tsv "$PY" "$bench/bench_knn.py" "$bin")
e=$(KNN_DUMP=$work/embx.tsv target/release/examples/embx_knn "$bin" "$bench/queries200.txt")
echo "gensim: $g"
echo "embx:   $e"
gm=$(echo "$g" | field median_ms); em=$(echo "$e" | field median_ms)
same=$(paste "$work/gensim.tsv" "$work/embx.tsv" | awk -F'\t' '$2 == $4 {n++} END {print n+0}')
echo "identical top-10 lists: $same / $(wc -l < "$work/gensim.tsv")"
python3 -c "print('median latency gensim / embx: %.1fx (target >= 6)' % ($gm / $em))"

analogy() {
  local r=$1 mode=${2:-gensim} method=add
  [ "$mode" = cosmul ] && method=mul
  echo "== analogy evaluation, restrict $r, $mode"
  g=$(ANALOGY_SECTIONS=1 "$PY" "$bench/bench_analogy.py" "$bin" "$qw" "$r" "$mode")
  target/release/embx eval -q "$bin" --analogies "$qw" --restrict "$r" --method "$method" --json > "$work/embx.json"
  echo "$g" | grep '^analogy'
  python3 - "$work/embx.json" "$g" <<'PY'
import json, sys, re
rep = json.load(open(sys.argv[1]))["analogies"][0]["report"]
g = sys.argv[2]
mine = {s["name"]: (s["correct"], s["evaluated"]) for s in rep["sections"]}
theirs = {m[0]: (int(m[1]), int(m[2])) for m in re.findall(r"section (\S+) (\d+)/(\d+)", g)}
t = rep["total"]
gt = re.search(r"overall=[0-9.]+% \((\d+)/(\d+)\)", g)
print("embx:   overall=%.2f%% (%d/%d) skipped=%d eval_s=%.3f" % (100 * t["correct"] / t["evaluated"], t["correct"], t["evaluated"], rep["skipped"], rep["seconds"]))
same = mine == theirs and (t["correct"], t["evaluated"]) == (int(gt[1]), int(gt[2]))
print("identical counts in every section and in total:", "yes" if same else "NO")
ge = float(re.search(r"eval_s=([0-9.]+)", g)[1])
print("evaluation time gensim / embx: %.1fx (target >= 20)" % (ge / rep["seconds"]))
PY
}
analogy 30000
analogy 30000 cosmul
[ -n "${SKIP_300K:-}" ] || analogy 300000

echo "== word pairs"
"$PY" "$bench/bench_pairs.py" "$bin" "$A/data/fixtures/wordsim353.tsv" "$A/data/fixtures/simlex999.txt"
target/release/embx eval -q "$bin" --pairs "$A/data/fixtures/wordsim353.tsv" --pairs "$A/data/fixtures/simlex999.txt"
