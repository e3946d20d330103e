#!/usr/bin/env bash
# Instructions (valgrind callgrind, exact and repeatable) of one check of the 1000-card
# bench corpus against a bare pulldown-cmark pass over the same cards; reading the files
# is counted once and subtracted. Needs valgrind; `cargo bench --bench check` writes the
# corpus. Usage: scripts/instructions.sh [good|broken|template|all]
#
# ESTIMATE=cycles adds a cycle estimate from cachegrind's simulated counts, for what
# instructions alone hide (a mispredicted branch costs far more than an instruction):
# instructions / 3 + 15 per mispredicted branch + 6 per first-level cache miss. A model,
# not this machine's cycles; wall clock here swings too much to compare small changes.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=target/bench-corpus-1000
# One round of the bench writes the corpus.
[[ -d $corpus ]] || BENCH_ROUNDS=1 cargo bench --bench check >/dev/null
cargo build --quiet --profile profiling --example phases
count() {
  SET="${1:-all}" valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    target/profiling/examples/phases "$corpus" "$2" 2>&1 | awk '/Collected/ { print $4 }'
}
cycles() {
  SET="${1:-all}" valgrind --tool=cachegrind --cache-sim=yes --branch-sim=yes \
    --cachegrind-out-file=/dev/null target/profiling/examples/phases "$corpus" "$2" 2>&1 |
    awk '{ gsub(",", "") }
      /I +refs:/ { ir = $4 } /Mispredicts:/ { mp = $3 }
      /D1  misses:/ { d1 = $4 }
      END { printf "%.0f\n", ir / 3 + 15 * mp + 6 * d1 }'
}
set_="${1:-all}"
none=$(count "$set_" none)
bare=$(count "$set_" bare)
parse=$(count "$set_" parse)
full=$(count "$set_" full)
awk -v n="$none" -v b="$bare" -v p="$parse" -v f="$full" 'BEGIN {
  b -= n; p -= n; f -= n
  printf "bare parse %d M, card model %d M (%.2fx), all rules %d M (%.2fx the bare parse)\n",
    b / 1e6, p / 1e6, p / b, f / 1e6, f / b }'
if [[ ${ESTIMATE:-} == cycles ]]; then
  none=$(cycles "$set_" none)
  bare=$(cycles "$set_" bare)
  full=$(cycles "$set_" full)
  awk -v n="$none" -v b="$bare" -v f="$full" 'BEGIN {
    b -= n; f -= n
    printf "cycle estimate: bare parse %d M, all rules %d M (%.2fx the bare parse)\n",
      b / 1e6, f / 1e6, f / b }'
fi
