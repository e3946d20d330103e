#!/usr/bin/env bash
# Speed and memory, side by side in one run, on corpora of 1000 and 10,000 realistic
# cards made from the fixtures (60% filled, 30% with the usual faults, 10% unfilled):
#   1. modelcard-review check --format json over the corpus, one process;
#   2. a bare pulldown-cmark pass over the same files (the floor);
#   3. markdownlint-cli2 and rumdl with only MD043 (required headings) from the template.
# Also: peak RSS of the check over 10,000 cards. Tools are installed pinned under target/.
# Usage: scripts/bench.sh [RUNS]   (hyperfine runs per command, default 5)
# MARKDOWNLINT_UP_TO=1000 leaves markdownlint-cli2 out of the 10,000-card run (it takes
# about 7 minutes per run there).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
MARKDOWNLINT_UP_TO="${MARKDOWNLINT_UP_TO:-10000}"
OUT=target/bench
mkdir -p "$OUT"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! [[ -x /usr/bin/time ]]; then
  apt-get update -qq && apt-get install -y -qq hyperfine time >/dev/null
fi
if [[ ! -x "$OUT/node/node_modules/.bin/markdownlint-cli2" ]]; then
  npm install --prefix "$OUT/node" --no-audit --no-fund --loglevel=error markdownlint-cli2@0.24.1 >/dev/null
fi
if [[ ! -x "$OUT/py/bin/rumdl" ]]; then
  python3 -m venv "$OUT/py" && "$OUT/py/bin/pip" install --quiet rumdl==0.3.0
fi
cargo build --release --locked --quiet
cargo build --release --locked --quiet --example bare_parse
BIN=target/release/modelcard-review
BARE=target/release/examples/bare_parse

# The corpora.
python3 - "$OUT" <<'PY'
import os, sys
out = sys.argv[1]
def read(p):
    return open(p, encoding="utf-8-sig").read()
good = [read(f"fixtures/cards/good/{d}/README.md") for d in ("nuclei-unet-2d", "mito-em-3d", "n2v-denoise")]
broken = read("fixtures/cards/broken/common-faults/README.md")
template = read("templates/ri-scale-model-card.md")
for n in (1000, 10000):
    d = f"{out}/corpus-{n}"
    if os.path.isdir(d) and len(os.listdir(d)) == n:
        continue
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        k = i % 10
        body = template if k == 0 else broken if k <= 3 else good[k % 3]
        with open(f"{d}/card-{i:05}.md", "w", encoding="utf-8") as f:
            f.write(f"{body}\n<!-- card {i} -->\nMeasured on plate {i * 7}.\n")
PY

# MD043 from the template: its headings after the preamble, the title as a wildcard.
python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
lines = open("templates/ri-scale-model-card.md", encoding="utf-8").read().split("\n")
heads, fence = [], False
for l in lines:
    if l.startswith("```"):
        fence = not fence
    elif not fence and re.match(r"^#{1,6} ", l):
        heads.append(l.strip())
heads = heads[1:]                      # the template's own title
heads[0] = "*"                         # the card's title: any text
json.dump({"config": {"default": False, "MD043": {"headings": heads}}},
          open(f"{out}/.markdownlint-cli2.jsonc", "w"), indent=1)
with open(f"{out}/rumdl.toml", "w") as f:
    f.write('[global]\nenable = ["MD043"]\n\n[MD043]\nheadings = ' + json.dumps(heads) + "\n")
PY

# The corpus names its cards card-NNNNN.md, not README.md.
printf 'paths = ["**/*.md"]\nfail-on = "never"\n' > "$OUT/bench.toml"
CHECK="$BIN check --config $OUT/bench.toml --format json"
for n in 1000 10000; do
  # Sanity: every card is read (hyperfine below ignores exit codes, for the linters).
  got=$($CHECK "$OUT/corpus-$n" | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["files"])')
  [[ "$got" == "$n" ]] || { echo "bench: checked $got of $n cards" >&2; exit 1; }
done
MDL="$OUT/node/node_modules/.bin/markdownlint-cli2"
RUMDL="$OUT/py/bin/rumdl"
for n in 1000 10000; do
  C="$OUT/corpus-$n"
  echo "== $n cards ($(du -sh "$C" | cut -f1))"
  mdl=()
  if (( n <= MARKDOWNLINT_UP_TO )); then
    mdl=(-n "markdownlint-cli2 MD043" "cd $C && ../node/node_modules/.bin/markdownlint-cli2 --config ../.markdownlint-cli2.jsonc '*.md' > /dev/null 2>&1")
  fi
  hyperfine --runs "$RUNS" --warmup 1 -i --export-markdown "$OUT/results-$n.md" \
    -n "modelcard-review check" "$CHECK $C > /dev/null" \
    -n "bare pulldown-cmark" "$BARE $C > /dev/null" \
    -n "rumdl MD043" "$RUMDL check --config $OUT/rumdl.toml --no-cache $C > /dev/null 2>&1" \
    "${mdl[@]}"
done
echo "== peak memory, 10,000 cards"
/usr/bin/time -f "modelcard-review check: %M KiB peak RSS, %e s" $CHECK "$OUT/corpus-10000" > /dev/null
/usr/bin/time -f "bare pulldown-cmark:    %M KiB peak RSS, %e s" "$BARE" "$OUT/corpus-10000" > /dev/null
echo "== review of a pull request with 300 cards among 3000 files (fake GitHub on 127.0.0.1)"
cargo test --release --locked --quiet --test review_flow review_scale -- --ignored --nocapture 2>/dev/null | grep "review of"
echo "== in process: all rules against a bare parse, and linear growth with card size"
cargo bench --locked --quiet --bench check 2>/dev/null | grep -v "^$"
