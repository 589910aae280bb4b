#!/usr/bin/env bash
# Fuzzes embx's readers and parsers with cargo-fuzz (libFuzzer + AddressSanitizer).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [PARALLEL] [TARGET...]
#
# Needs the nightly toolchain and cargo-fuzz (`rustup toolchain install nightly`,
# `cargo install cargo-fuzz`). Defaults: 600 seconds per target, 2 targets at a time, every
# target. Seeds are the small valid files of tests/samples (written by an ignored test) plus
# fuzz/corpus/TARGET (a minimised corpus, `cargo fuzz cmin`, if you keep one; none is
# committed: after 10 minutes each the minimised corpora of the three parsers alone were
# 450 KB in 1,600 files, and the seeds rebuild the rest); the growing corpus lives in
# fuzz/work/TARGET (ignored by git), logs in fuzz/logs/TARGET.log, crashes in
# fuzz/artifacts/TARGET/. At the end each target's executions and crashes are summarised.
# A crash reproduces with `cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-…`.
# `cargo test --test fuzz_smoke` is the quick stable-Rust version that CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
par=${2:-2}
shift $(( $# > 2 ? 2 : $# )) || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(load_auto fifu word2vec_binary word2vec_text glove fasttext_bin expr analogy_set pairs)
fi
seeds=fuzz/work/seeds
EMBX_FUZZ_SEEDS="$PWD/$seeds" cargo test -q --test fuzz_smoke write_fuzz_seeds -- --ignored >/dev/null
mkdir -p fuzz/logs
(cd fuzz && cargo +nightly fuzz build -O)
run_one() {
    t=$1
    mkdir -p "fuzz/work/$t" "fuzz/corpus/$t" "fuzz/artifacts/$t"
    # -rss_limit_mb also limits single allocations: a reader believing a lying header fails.
    (cd fuzz && cargo +nightly fuzz run -O "$t" "work/$t" "corpus/$t" "../$seeds/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -max_len=8192 -timeout=10 \
        -print_final_stats=1) >"fuzz/logs/$t.log" 2>&1 || true
}
export -f run_one
export secs seeds
printf '%s\n' "${targets[@]}" | xargs -P "$par" -I{} bash -c 'run_one {}'
printf '%-16s %12s %8s\n' target executions crashes
for t in "${targets[@]}"; do
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "fuzz/logs/$t.log" | grep -o '[0-9]*$' | tail -1)
    crashes=$(find "fuzz/artifacts/$t" -type f | wc -l)
    printf '%-16s %12s %8s\n' "$t" "${execs:-?}" "$crashes"
done
