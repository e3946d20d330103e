#!/usr/bin/env bash
# A real editor against the server: headless Neovim (Debian's 0.7) with the set-up that
# docs/contributors.md gives opens a card, and its diagnostics must be `check`'s findings.
# Usage: scripts/nvim-session.sh BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(realpath "$1")"
if ! command -v nvim >/dev/null; then
  apt-get update -qq && apt-get install -y -qq neovim >/dev/null
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/hub/.git" "$work/hub/models/seg" "$work/config/nvim/plugin"
cp editors/neovim/modelcard-review.lua "$work/config/nvim/plugin/"
sed -e 's/^- \*\*License:\*\* .*/- **License:** TBD/' -e 's/^## Model Sources/## Model Source/' \
  fixtures/cards/good/nuclei-unet-2d/README.md > "$work/hub/models/seg/README.md"
card="$work/hub/models/seg/README.md"
grep -q 'License:\*\* TBD' "$card"
cd "$work/hub"
OUT="$work/nvim.json" MODELCARD_REVIEW_BIN="$BIN" XDG_CONFIG_HOME="$work/config" \
  XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state" \
  timeout 120 nvim --headless -c "luafile $OLDPWD/scripts/nvim-session.lua" "$card"
"$BIN" check --format json --fail-on never "$card" > "$work/check.json"
python3 - "$work/nvim.json" "$work/check.json" <<'PY'
import json, sys
nvim = json.load(open(sys.argv[1]))
check = json.load(open(sys.argv[2]))
want = sorted((f["rule"], f["line"]) for x in check["files"] for f in x["findings"])
got = sorted((d["rule"], d["line"]) for d in nvim["opened"])
assert got == want, f"Neovim shows {got}, check finds {want}"
assert len(want) >= 2, want
edited = sorted((d["rule"], d["line"]) for d in nvim["edited"])
assert edited == [w for w in want if w[0] != "placeholder"], edited
print(f"neovim {len(got)} diagnostics = check's findings; after typing the fix: {len(edited)}")
PY
