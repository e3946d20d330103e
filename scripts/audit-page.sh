#!/usr/bin/env bash
# The audit page in a real browser: a demo hub (the fixture cards and the real cards of
# fixtures/corpus, over four commits) is audited with --history, and headless Chromium
# (Debian's chromium-headless-shell) runs the page's script: every card and every
# template section must be named in the rendered DOM, with no script error; then it
# takes a screenshot.
# Usage: scripts/audit-page.sh BINARY [SCREENSHOT.png]   (default: target/ci/audit.png;
# docs/audit.png is the README's, made with this script)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(realpath "$1")"
SHOT="$(realpath -m "${2:-target/ci/audit.png}")"
mkdir -p "$(dirname "$SHOT")"
CHROME=chromium-headless-shell
if ! command -v "$CHROME" >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium-headless-shell >/dev/null
fi
src="$PWD"
work="$(mktemp -d)"
trap '[[ -n "${KEEP_WORK:-}" ]] || rm -rf "$work"' EXIT
hub="$work/hub"
mkdir -p "$hub"
g() { git -C "$hub" -c user.name=Hub -c user.email=hub@example.org -c commit.gpgsign=false "$@"; }
commit() { GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" g commit -qm "$2"; }
g init -q
printf 'paths = ["models/**/README.md"]\n' > "$hub/.modelcard-review.toml"
add() { mkdir -p "$hub/models/$1"; cp "$2" "$hub/models/$1/README.md"; }
add nuclei-unet-2d "$src/fixtures/cards/good/nuclei-unet-2d/README.md"
add unfilled "$src/templates/ri-scale-model-card.md"
g add -A && commit 2026-10-01T09:00:00Z "first cards"
add common-faults "$src/fixtures/cards/broken/common-faults/README.md"
add organoid-classifier "$src/fixtures/cards/hf-style/organoid-classifier/README.md"
g add -A && commit 2026-10-15T09:00:00Z "cards from Hugging Face"
for f in "$src"/fixtures/corpus/*.md; do
  name="$(basename "$f" .md)"
  [[ "$name" == SOURCES ]] && continue
  add "imported/${name,,}" "$f"
done
g add -A && commit 2026-11-01T09:00:00Z "cards brought in from MONAI, BioImage.IO and HF"
add unfilled "$src/fixtures/cards/good/mito-em-3d/README.md"
add n2v-denoise "$src/fixtures/cards/good/n2v-denoise/README.md"
g add -A && commit 2026-11-20T09:00:00Z "the unfilled card written"
# The impact of a real template change: the hub's template as of 2025-09-25.
(cd "$hub" && "$BIN" audit --history 30 --html "$work/audit.html" --json "$work/audit.json" \
  --against-template "$src/fixtures/corpus/RI-SCALE_model-hub__template_variant_2025-09-25.md")
cp "$work/audit.json" "$(dirname "$SHOT")/audit-demo.json"
flags=(--no-sandbox --disable-gpu --disable-background-networking --disable-component-update
  --disable-sync --no-first-run --user-data-dir="$work/profile" --enable-logging=stderr --v=0)
timeout 120 "$CHROME" "${flags[@]}" --dump-dom "file://$work/audit.html" > "$work/dom.html" 2> "$work/chrome.log"
# A link into the page: one folder, one card's findings opened.
open_card="models/common-faults/README.md"
timeout 120 "$CHROME" "${flags[@]}" --dump-dom "file://$work/audit.html#folder=models/common-faults&open=models%2Fcommon-faults%2FREADME.md" \
  > "$work/dom-open.html" 2>> "$work/chrome.log"
(cd "$hub" && "$BIN" check --format json --fail-on never "$open_card") > "$work/open.json"
timeout 120 "$CHROME" "${flags[@]}" --hide-scrollbars --window-size=1280,1100 --screenshot="$SHOT" \
  "file://$work/audit.html" 2>> "$work/chrome.log" >/dev/null
# And the same link a maintainer sends: one folder, its card's findings open.
timeout 120 "$CHROME" "${flags[@]}" --hide-scrollbars --window-size=1280,1400 --screenshot="${SHOT%.png}-findings.png" \
  "file://$work/audit.html#folder=models/common-faults&open=models%2Fcommon-faults%2FREADME.md" 2>> "$work/chrome.log" >/dev/null
python3 - "$work/audit.json" "$work/dom.html" "$work/chrome.log" "$work/dom-open.html" "$work/open.json" <<'PY'
import html, json, re, sys
report = json.load(open(sys.argv[1]))
dom = open(sys.argv[2]).read()
log = open(sys.argv[3]).read()
opened = html.unescape(open(sys.argv[4]).read().split('id="audit-data"')[0])
checked = json.load(open(sys.argv[5]))["files"][0]
# The folder filter keeps the card's own folder; its row opens every rule it breaks
# with the count, and the commands to run.
rows = re.findall(r'<td class="card">.*?</td>', opened)
assert len(rows) == 1 and "models/common-faults/README.md" in rows[0], rows
rules = {}
for f in checked["findings"]:
    rules[f["rule"]] = rules.get(f["rule"], 0) + 1
for rule, n in rules.items():
    assert re.search(re.escape(rule) + "</(a|code)> \u00d7" + str(n) + " ", opened), f"{rule} x{n} not in the opened row"
assert "modelcard-review check models/common-faults/README.md" in opened, "the command to run"
assert 'data-rendered="ok"' in dom, "the page's script did not finish"
text = html.unescape(re.sub(r"<[^>]+>", "\n", dom.split('id="audit-data"')[0] + dom.split("</script>")[-1]))
names = set(l.strip() for l in text.splitlines())
missing = [c["path"] for c in report["cards"] if c["path"] not in names]
assert not missing, f"cards not in the rendered page: {missing}"
sections = [s["name"] for s in report["sections"]]
gone = [s for s in sections if s not in names and s + " (optional)" not in names]
assert not gone, f"sections not in the rendered page: {gone}"
errors = [l for l in log.splitlines() if "CONSOLE" in l or "Uncaught" in l]
assert not errors, "console: " + "\n".join(errors)
assert len(report["history"]) == 4, report["history"]
assert 'id="impact"' in dom, "the impact line is shown"
print(f"audit page: {len(report['cards'])} cards, {len(sections)} sections, "
      f"{len(report['history'])} trend points rendered by headless Chromium; no script error")
PY
ls -l "$SHOT" "${SHOT%.png}-findings.png"
