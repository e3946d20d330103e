#!/usr/bin/env bash
# The audit's speed (issue 25's targets): over scripts/bench.sh's 1000-card corpus,
# `audit --html --json` against `check --format json` (target: within 3x), the page's
# size (target: under 15 MB) and the time headless Chromium takes to open it and run
# its script; then `audit --history 30` over a hub of 300 cards whose 30 last commits
# each change a few cards (target: seconds). Runs: hyperfine, 10 each.
# Usage: scripts/bench-audit.sh   (after scripts/bench.sh has made target/bench/corpus-1000)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
[[ -d "$OUT/corpus-1000" ]] || { echo "run scripts/bench.sh first (it makes $OUT/corpus-1000)"; exit 2; }
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
command -v chromium-headless-shell >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium-headless-shell >/dev/null; }
cargo build --release --locked --quiet
BIN="$PWD/target/release/modelcard-review"
CFG="$OUT/bench.toml"
printf 'paths = ["**/*.md"]\nfail-on = "never"\n' > "$CFG"
hyperfine -N -w 2 -r 10 --export-json "$OUT/audit-1000.json" \
  "$BIN check --config $CFG --format json $OUT/corpus-1000" \
  "$BIN audit --config $CFG $OUT/corpus-1000 --html $OUT/audit-1000.html --json $OUT/audit-1000.report.json"
ls -l "$OUT/audit-1000.html" "$OUT/audit-1000.report.json"
profile="$(mktemp -d)"
start=$(date +%s%N)
chromium-headless-shell --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$profile" --dump-dom "file://$PWD/$OUT/audit-1000.html" > "$OUT/audit-1000.dom"
echo "chromium: opened, drew and dumped the 1000-card page in $(( ($(date +%s%N) - start) / 1000000 )) ms (process start included)"
grep -q 'data-rendered="ok"' "$OUT/audit-1000.dom"
rm -rf "$profile"

# A hub of 300 cards with 40 commits; the last 30 change 10 cards each.
hub="$OUT/history-hub"
rm -rf "$hub" && mkdir -p "$hub"
g() { git -C "$hub" -c user.name=b -c user.email=b@example.org -c commit.gpgsign=false "$@"; }
g init -q
printf 'paths = ["models/**/README.md"]\n' > "$hub/.modelcard-review.toml"
for i in $(seq 0 299); do
  mkdir -p "$hub/models/m$i"
  cp "$OUT/corpus-1000/card-$(printf %05d "$i").md" "$hub/models/m$i/README.md"
done
g add -A && g commit -qm "300 cards"
for c in $(seq 1 39); do
  for k in $(seq 0 9); do
    i=$(( (c * 10 + k) % 300 ))
    printf '\nRevision %d.\n' "$c" >> "$hub/models/m$i/README.md"
  done
  g add -A && g commit -qm "revision $c"
done
hyperfine -N -w 1 -r 10 --export-json "$OUT/audit-history.json" \
  "$BIN audit $hub --json $OUT/history.report.json" \
  "$BIN audit $hub --history 30 --json $OUT/history.report.json"
