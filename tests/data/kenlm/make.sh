#!/usr/bin/env bash
# Remakes the KenLM fixture of src/train/ngram/tests.rs: corpus.txt (generated) and model.arpa,
# the 4-gram model KenLM's lmplz estimates from it. Needs lmplz on PATH (KenLM, built from
# github.com/kpu/kenlm with cmake; made here at its commit 4cb443e of March 2025). The unigrams of so small
# a text have no valid discounts, so lmplz substitutes its fallback (0.5, 1, 1.5) for them, as
# embx does; the other orders use their own.
set -euo pipefail
cd "$(dirname "$0")"
python3 make_corpus.py
lmplz -o 4 -S 200M -T "${TMPDIR:-/tmp}" --discount_fallback < corpus.txt > model.arpa
# The first 70 lines with a blank line after every 7th: lmplz counts a blank line as a
# sentence (`<s> </s>`), and embx ngram must too.
awk '{print} NR%7==0 {print ""}' corpus.txt | head -80 > blank.txt
lmplz -o 3 -S 200M -T "${TMPDIR:-/tmp}" --discount_fallback < blank.txt > blank.arpa
