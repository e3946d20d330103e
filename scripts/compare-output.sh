#!/usr/bin/env bash
# Proves that a change to the internals changes no output: `check --format json` over
# the fixtures, the real-card corpus, the fuzz corpus and a generated 1000-card set,
# from the binary of a reference commit and from the working tree, must be byte for
# byte the same.
# Usage: scripts/compare-output.sh [REF]   (default: HEAD)
set -euo pipefail
cd "$(dirname "$0")/.."
REF="${1:-HEAD}"
OUT=target/compare
rm -rf "$OUT/ref-tree"
mkdir -p "$OUT"
git worktree add -q --detach "$OUT/ref-tree" "$REF"
trap 'git worktree remove --force "$OUT/ref-tree"' EXIT
(cd "$OUT/ref-tree" && CARGO_TARGET_DIR="$PWD/../ref-target" cargo build --release --locked --quiet)
cargo build --release --locked --quiet
REF_BIN="$OUT/ref-target/release/modelcard-review"
NEW_BIN=target/release/modelcard-review

# The generated set: 60% filled cards, 30% with the usual faults, 10% unfilled templates.
python3 - "$OUT" <<'PY'
import os, sys
out = sys.argv[1] + "/generated"
if not (os.path.isdir(out) and len(os.listdir(out)) == 1000):
    os.makedirs(out, exist_ok=True)
    read = lambda p: open(p, encoding="utf-8-sig").read()
    good = [read(f"fixtures/cards/good/{d}/README.md") for d in ("nuclei-unet-2d", "mito-em-3d", "n2v-denoise")]
    broken = read("fixtures/cards/broken/common-faults/README.md")
    template = read("templates/ri-scale-model-card.md")
    for i in range(1000):
        k = i % 10
        body = template if k == 0 else broken if k <= 3 else good[k % 3]
        open(f"{out}/card-{i:04}.md", "w", encoding="utf-8").write(f"{body}\n<!-- card {i} -->\n")
PY
printf 'paths = ["**/*"]\nfail-on = "never"\n' > "$OUT/all.toml"
status=0
for set in fixtures/cards fixtures/corpus fuzz/corpus/check "$OUT/generated"; do
  name="$(echo "$set" | tr '/' '_')"
  "$REF_BIN" check --config "$OUT/all.toml" --format json "$set" > "$OUT/$name.ref.json" 2>/dev/null || true
  "$NEW_BIN" check --config "$OUT/all.toml" --format json "$set" > "$OUT/$name.new.json" 2>/dev/null || true
  if cmp -s "$OUT/$name.ref.json" "$OUT/$name.new.json"; then
    echo "compare-output: $set: identical ($(wc -c < "$OUT/$name.new.json") bytes)"
  else
    echo "compare-output: $set: DIFFERENT (diff $OUT/$name.ref.json $OUT/$name.new.json)" >&2
    status=1
  fi
done
exit $status
