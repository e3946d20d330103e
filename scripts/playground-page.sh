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

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory target/playground "$port" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/index.html')" 2>/dev/null && break
  sleep 0.1
done

fragment="$(python3 -c 'import base64, sys; print(base64.urlsafe_b64encode(open(sys.argv[1], "rb").read()).decode().rstrip("="))' "$CARD")"
url="http://127.0.0.1:$port/index.html#card=$fragment"
flags=(--no-sandbox --disable-gpu --disable-background-networking --disable-component-update
  --disable-sync --no-first-run --user-data-dir="$work/profile" --enable-logging=stderr --v=0
  --virtual-time-budget=20000)
timeout 120 "$CHROME" "${flags[@]}" --dump-dom "$url&fix=1" > "$work/dom.html" 2> "$work/chrome.log"
timeout 120 "$CHROME" "${flags[@]}" --hide-scrollbars --window-size=1400,1000 --screenshot="$SHOT" \
  "$url" 2>> "$work/chrome.log" >/dev/null

# What the command line says of the same text read from stdin (no folder: links are
# not judged, as in the page).
(cd "$work" && "$BIN" check --format json --fail-on never - < "$OLDPWD/$CARD" > "$work/check.json")
# `fix -` exits 1 when findings are left for the author, as they are here.
(cd "$work" && "$BIN" fix - < "$OLDPWD/$CARD" > "$work/fixed.md" 2> /dev/null) || true

python3 - "$work/dom.html" "$work/chrome.log" "$work/check.json" "$work/fixed.md" <<'PY'
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
log = open(sys.argv[2], encoding="utf-8", errors="replace").read()
cli = json.load(open(sys.argv[3]))["files"][0]["findings"]
fixed = open(sys.argv[4], encoding="utf-8", newline="").read()
body = re.search(r"<body([^>]*)>", dom).group(1)
assert "data-script-error" not in body, "script error: " + html.unescape(body)
errors = [l for l in log.splitlines() if "Uncaught" in l or ("CONSOLE" in l and "ERROR" in l)]
assert not errors, "console errors:\n" + "\n".join(errors)
assert 'data-state="checked"' in body, "the page did not finish its check: " + body
assert f'data-findings="{len(cli)}"' in body, f"{len(cli)} findings from the CLI; page: {body}"
drawn = []
for m in re.finditer(r'<li class="finding (\w+)" data-rule="([^"]+)" data-line="(\d+)"[^>]*>(.*?)</li>', dom, re.S):
    sev, rule, line, inner = m.groups()
    msg = html.unescape(re.search(r'<p class="message">(.*?)</p>', inner, re.S).group(1))
    drawn.append((rule, int(line), sev, msg))
want = [(f["rule"], f["line"], f["severity"], f["message"]) for f in cli]
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
print(f"playground-page: {len(want)} findings drawn beside their lines, Fix shows fix's {len(fixed.splitlines())} lines, no script error")
PY
echo "playground-page: screenshot $SHOT"
