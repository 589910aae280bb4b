#!/bin/bash
# How far one to two threads can scale on this machine, for embx's trainer.
#
#   scripts/bench-scaling.sh [CORPUS] [ROUNDS] [EXTRA embx train options...]
#
# Each round times one epoch (EPOCHS=5 for five) of skip-gram (or what the extra options say):
#   solo   one process, one thread;
#   pair   two one-thread processes at the same time, on separate copies of nothing shared:
#          what two cores give to two independent jobs (memory bandwidth, shared L3, clock);
#   two    one process, two threads.
# It prints, per round, the training words/s (from the output's metadata) and the whole
# process wall time, then the medians: pair/solo is the machine's ceiling for two threads that
# share nothing; two/solo is the trainer's scaling. Run it on a quiet machine.
# Before each `two` run it prints the cache line round trip between two cores
# (examples/core_pingpong.rs, built with `cargo build --release --example core_pingpong`):
# on a VM it depends on where the host puts the vCPUs, and two-thread training follows it.
set -euo pipefail
corpus=${1:-/tmp/anchors/data/corpus/corpus.txt}
rounds=${2:-3}
shift $(( $# < 2 ? $# : 2 ))
here=$(cd "$(dirname "$0")" && pwd)
embx=${EMBX:-$here/../target/release/embx}
pingpong=${PINGPONG:-$here/../target/release/examples/core_pingpong}
# The round trip in ns, or "-" without the example built.
round_trip() { if [ -x "$pingpong" ]; then "$pingpong" 200000 | cut -d= -f2; else echo -; fi; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# run NAME THREADS: trains and prints "wall words_per_second".
run() {
  local name=$1 threads=$2 start end
  start=$(date +%s.%N)
  "$embx" train "$corpus" -o "$out/$name.fifu" --threads "$threads" --epochs "${EPOCHS:-1}" --seed 1 \
    --progress none -q "${extra[@]}"
  end=$(date +%s.%N)
  local wps
  wps=$("$embx" info "$out/$name.fifu" --json | python3 -c \
    'import json,sys,tomllib; print(tomllib.loads(json.load(sys.stdin)["metadata"])["result"]["words_per_second"])')
  echo "$(echo "$end - $start" | bc -l) $wps"
}

extra=("$@")
[ ${#extra[@]} -eq 0 ] && extra=(--model skipgram)
: > "$out/results"
for r in $(seq "$rounds"); do
  read -r solo_wall solo_wps < <(run solo 1)
  run a 1 > "$out/a" & run b 1 > "$out/b" & wait
  read -r a_wall a_wps < "$out/a"
  read -r b_wall b_wps < "$out/b"
  rt_before=$(round_trip)
  read -r two_wall two_wps < <(run two 2)
  rt_after=$(round_trip)
  pair_wps=$(echo "$a_wps + $b_wps" | bc -l)
  pair_wall=$(echo "if ($a_wall > $b_wall) $a_wall else $b_wall" | bc -l)
  printf 'round %d  solo %.2f s %.0f w/s | pair %.2f s %.0f w/s | two %.2f s %.0f w/s (round trip %s/%s ns) | load %s\n' \
    "$r" "$solo_wall" "$solo_wps" "$pair_wall" "$pair_wps" "$two_wall" "$two_wps" \
    "$rt_before" "$rt_after" "$(cut -d' ' -f1 /proc/loadavg)"
  echo "$solo_wall $solo_wps $pair_wall $pair_wps $two_wall $two_wps $rt_before $rt_after" >> "$out/results"
done
python3 - "$out/results" <<'EOF'
import statistics, sys
num = lambda x: float(x) if x not in ("-", "") else float("nan")
rows = [list(map(num, l.split())) for l in open(sys.argv[1]) if l.strip()]
med = lambda i, rs=rows: statistics.median(r[i] for r in rs)
sw, sp, pw, pp, tw, tp = (med(i) for i in range(6))
print("medians: training words/s  pair/solo %.2fx (two independent processes: the machine's ceiling)"
      "  two/solo %.2fx (one process, two threads)" % (pp / sp, tp / sp))
print("         whole process     pair/solo %.2fx (2 jobs in the wall of one)"
      "  two/solo %.2fx" % (2 * sw / pw, sw / tw))
# The two-thread runs by where the host put the vCPUs: "close" when the round trip before and
# after the run was under 200 ns (the cores share a cache), "far" when both were over.
for name, test in (("close", lambda t: t < 200), ("far", lambda t: t >= 200)):
    rs = [r for r in rows if len(r) > 7 and test(r[6]) and test(r[7])]
    if rs:
        print("  %-5s cores (%d of %d rounds): two/solo %.2fx training words/s, %.2fx whole process"
              % (name, len(rs), len(rows), med(5, rs) / sp, sw / med(4, rs)))
EOF
