#!/usr/bin/env bash
# The WebAssembly package's speed and size: `check` of a 10 KB card in Node (the
# package as npm installs it, median of 200 calls after 20 to warm up) beside the same
# call native (examples/check_timing.rs, in process) and the CLI on that card (a whole
# process, hyperfine). Prints the .wasm's size raw and gzipped.
# Usage: scripts/bench-wasm.sh   (after scripts/build-wasm.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
mkdir -p "$OUT"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
# A filled card of 10 KB: a fixture card with its glossary grown to the size.
python3 - "$OUT/card-10k.md" <<'PY'
import sys
card = open("fixtures/cards/good/nuclei-unet-2d/README.md", encoding="utf-8").read()
head, sep, tail = card.partition("\n---\n\n*This model card")
n = 0
while len((head + sep + tail).encode()) < 10 * 1024:
    n += 1
    head += f"\n- **Term {n}:** what the word means in this card, in one line of plain words"
open(sys.argv[1], "w", encoding="utf-8").write(head + sep + tail)
PY
cargo build --release --locked --quiet --example check_timing
cargo build --release --locked --quiet
read -r native native_findings < <(target/release/examples/check_timing "$OUT/card-10k.md" 200)
read -r node node_findings < <(node -e '
const { check } = require("./target/npm");
const card = require("fs").readFileSync(process.argv[1]);
const times = [];
let n = 0;
for (let i = 0; i < 220; i++) {
  const t = process.hrtime.bigint();
  n = check(new Uint8Array(card)).findings.length;
  times.push(Number(process.hrtime.bigint() - t) / 1000);
}
const warm = times.slice(20).sort((a, b) => a - b);
console.log(Math.round(warm[warm.length >> 1]), n);
' "$OUT/card-10k.md")
[[ "$native_findings" == "$node_findings" ]] || { echo "bench-wasm: findings differ ($native_findings native, $node_findings in Node)" >&2; exit 1; }
hyperfine -N --runs 30 --warmup 3 --export-json "$OUT/wasm-cli.json" \
  "target/release/modelcard-review check --fail-on never $OUT/card-10k.md" > /dev/null
cli=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["results"][0]["median"] * 1e6))' "$OUT/wasm-cli.json")
wasm=target/npm/node/modelcard_review_bg.wasm
echo "bench-wasm: $(wc -c < "$OUT/card-10k.md")-byte card, $native_findings findings"
echo "bench-wasm: check in Node (WebAssembly): median $node µs"
echo "bench-wasm: check native, in process:     median $native µs ($(python3 -c "print(round($node / $native, 1))")x)"
echo "bench-wasm: the CLI on the card (process): median $cli µs"
echo "bench-wasm: $wasm: $(wc -c < "$wasm") bytes, $(gzip -9 -c "$wasm" | wc -c) gzipped"
