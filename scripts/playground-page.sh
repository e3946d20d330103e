#!/usr/bin/env bash
# The playground in a real browser: target/playground (scripts/build-wasm.sh) served on
# 127.0.0.1, opened in headless Chromium (Debian's chromium-headless-shell) with a card
# in the URL fragment, as a maintainer's link opens it. Every finding the command line
# gives for the card must be drawn, Fix must show the text `fix` writes, and no script
# error may occur. Then it takes a screenshot.
# Usage: scripts/playground-page.sh BINARY [SCREENSHOT.png]
#   (default target/ci/playground.png; docs/playground.png is the README's, made with it)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(realpath "$1")"
SHOT="$(realpath -m "${2:-target/ci/playground.png}")"
CARD="${PLAYGROUND_CARD:-fixtures/cards/broken/common-faults/README.md}"
mkdir -p "$(dirname "$SHOT")"
[[ -f target/playground/index.html && -f target/playground/pkg/modelcard_review_bg.wasm ]] \
  || { echo "playground-page: run scripts/build-wasm.sh first" >&2; exit 2; }
CHROME=chromium-headless-shell
if ! command -v "$CHROME" >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium-headless-shell >/dev/null
fi
work="$(mktemp -d)"
server=""
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null || true
  [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT

# The page as built, and the page as examples/playground-page.yml publishes it for a hub:
# its hub-settings.js written by the example's own script, from a hub whose config
# names another template and changes a rule's level.
cp -r target/playground "$work/site"
cp -r target/playground "$work/hubsite"
hub="$work/hub"
mkdir -p "$hub"
cp fixtures/corpus/RI-SCALE_model-hub__template_variant_2025-09-25.md "$hub/template.md"
printf 'template = "template.md"\n[rules]\nplaceholder = "warning"\nmissing-toc-entry = "off"\n' > "$hub/.modelcard-review.toml"
(cd "$hub" && "$BIN" template > "$work/hubsite-template.md")
python3 - examples/playground-page.yml > "$work/hub-settings.py" <<'PY'
import sys, textwrap
text = open(sys.argv[1]).read()
lines = text.split("<<'PY'\n", 1)[1].splitlines()
end = next(i for i, l in enumerate(lines) if l.strip() == "PY")
print(textwrap.dedent("\n".join(lines[:end])))
PY
mkdir -p "$work/hubtemp"
mv "$work/hubsite" "$work/hubtemp/site"
cp "$work/hubsite-template.md" "$work/hubtemp/template.md"
(cd "$hub" && GITHUB_REPOSITORY=example/hub python3 "$work/hub-settings.py" "$work/hubtemp")
grep -q '"name": "example/hub"' "$work/hubtemp/site/hub-settings.js"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory "$work" "$port" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/site/index.html')" 2>/dev/null && break
  sleep 0.1
done

fragment="$(python3 -c 'import base64, sys; print(base64.urlsafe_b64encode(open(sys.argv[1], "rb").read()).decode().rstrip("="))' "$CARD")"
url="http://127.0.0.1:$port/site/index.html#card=$fragment"
flags=(--no-sandbox --disable-gpu --disable-background-networking --disable-component-update
  --disable-sync --no-first-run --user-data-dir="$work/profile" --enable-logging=stderr --v=0
  --virtual-time-budget=20000)
timeout 120 "$CHROME" "${flags[@]}" --dump-dom "$url&fix=1" > "$work/dom.html" 2> "$work/chrome.log"
timeout 120 "$CHROME" "${flags[@]}" --dump-dom "http://127.0.0.1:$port/hubtemp/site/index.html#card=$fragment" \
  > "$work/dom-hub.html" 2>> "$work/chrome.log"
timeout 120 "$CHROME" "${flags[@]}" --hide-scrollbars --window-size=1400,1000 --screenshot="$SHOT" \
  "$url" 2>> "$work/chrome.log" >/dev/null

# What the command line says of the same text read from stdin (no folder: links are
# not judged, as in the page).
(cd "$work" && "$BIN" check --format json --fail-on never - < "$OLDPWD/$CARD" > "$work/check.json")
(cd "$hub" && "$BIN" check --format json --fail-on never - < "$OLDPWD/$CARD" > "$work/check-hub.json")
# `fix -` exits 1 when findings are left for the author, as they are here.
(cd "$work" && "$BIN" fix - < "$OLDPWD/$CARD" > "$work/fixed.md" 2> /dev/null) || true

python3 - "$work/dom.html" "$work/chrome.log" "$work/check.json" "$work/fixed.md" "$work/dom-hub.html" "$work/check-hub.json" <<'PY'
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
log = open(sys.argv[2], encoding="utf-8", errors="replace").read()
cli = json.load(open(sys.argv[3]))["files"][0]["findings"]
fixed = open(sys.argv[4], encoding="utf-8", newline="").read()
dom_hub = open(sys.argv[5], encoding="utf-8").read()
cli_hub = json.load(open(sys.argv[6]))["files"][0]["findings"]

def drawn_in(dom):
    out = []
    for m in re.finditer(r'<li class="finding (\w+)" data-rule="([^"]+)" data-line="(\d+)"[^>]*>(.*?)</li>', dom, re.S):
        sev, rule, line, inner = m.groups()
        msg = html.unescape(re.search(r'<p class="message">(.*?)</p>', inner, re.S).group(1))
        out.append((rule, int(line), sev, msg))
    return sorted(out)

def wanted(cli):
    return sorted((f["rule"], f["line"], f["severity"], f["message"]) for f in cli)

# The hub's page judges as the hub's CLI does: its template, its levels.
assert drawn_in(dom_hub) == wanted(cli_hub), "the hub's page differs from check with the hub's settings"
assert drawn_in(dom_hub) != wanted(cli), "the hub's settings changed nothing"
assert "Checked with example/hub" in dom_hub
body = re.search(r"<body([^>]*)>", dom).group(1)
assert "data-script-error" not in body, "script error: " + html.unescape(body)
errors = [l for l in log.splitlines() if "Uncaught" in l or ("CONSOLE" in l and "ERROR" in l)]
assert not errors, "console errors:\n" + "\n".join(errors)
assert 'data-state="checked"' in body, "the page did not finish its check: " + body
assert f'data-findings="{len(cli)}"' in body, f"{len(cli)} findings from the CLI; page: {body}"
drawn = drawn_in(dom)
want = wanted(cli)
missing = [w for w in want if w not in drawn]
assert not missing, f"not drawn: {missing}"
assert sorted(drawn) == sorted(want), f"drawn {len(drawn)}, the CLI {len(want)}"
# Every finding is beside its line: the line's number and text head its group.
for rule, line, _, _ in want:
    assert f">Line {line}</button>" in dom, f"line {line} not shown"
assert 'data-fixed="shown"' in body, "Fix was not shown"
shown = html.unescape(re.search(r'<pre id="fixed-text"[^>]*>(.*?)</pre>', dom, re.S).group(1))
assert shown == fixed, "the fixed card differs from `fix`'s output"
diff = re.search(r'<pre id="fixed-diff"[^>]*>(.*?)</pre>', dom, re.S).group(1)
assert 'class="add"' in diff and 'class="del"' in diff, "no diff shown"
print(f"playground-page: {len(want)} findings drawn beside their lines, Fix shows fix's {len(fixed.splitlines())} lines, no script error; "
      f"the hub's page (examples/playground-page.yml's settings) draws check's {len(cli_hub)} under the hub's template")
PY
echo "playground-page: screenshot $SHOT"
