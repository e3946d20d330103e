#!/usr/bin/env bash
# The PyPI wheel as a Python user meets it: installed into a fresh venv (from
# target/wheels only, nothing from PyPI), `modelcard-review` and `python -m
# modelcard_review` must say, byte for byte and exit code for exit code, what the
# release binary says on the fixtures and the corpus.
# Usage: scripts/wheel-check.sh RELEASE_BINARY   (after scripts/build-wheel.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(realpath "$1")"
VERSION="$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-index --find-links target/wheels "modelcard-review==$VERSION"
PIPBIN="$work/venv/bin/modelcard-review"
[[ -x "$PIPBIN" ]] || { echo "wheel-check: the wheel installed no modelcard-review script" >&2; exit 1; }
"$work/venv/bin/python" -c 'import modelcard_review, os; p = modelcard_review.find_bin(); assert os.path.isfile(p), p; print("wheel-check: find_bin() =", p)'

compare() {
  local name="$1"; shift
  local want got code_want code_got
  set +e
  "$BIN" "$@" > "$work/want" 2>&1; code_want=$?
  "$PIPBIN" "$@" > "$work/got" 2>&1; code_got=$?
  "$work/venv/bin/python" -m modelcard_review "$@" > "$work/got-m" 2>&1; code_m=$?
  set -e
  cmp -s "$work/want" "$work/got" || { diff "$work/want" "$work/got" | head -20; echo "wheel-check: $name differs" >&2; exit 1; }
  cmp -s "$work/want" "$work/got-m" || { diff "$work/want" "$work/got-m" | head -20; echo "wheel-check: python -m: $name differs" >&2; exit 1; }
  [[ $code_want == "$code_got" && $code_want == "$code_m" ]] \
    || { echo "wheel-check: $name exit codes $code_want (release) $code_got (wheel) $code_m (python -m)" >&2; exit 1; }
  echo "wheel-check: $name: same output ($(wc -l < "$work/want") lines), exit $code_want"
}
compare "check (text)" check --color never fixtures/cards fixtures/corpus
compare "check (json)" check --format json fixtures/cards fixtures/corpus
compare "check of a good card" check fixtures/cards/good/nuclei-unet-2d/README.md
compare "rules" rules --format json
compare "--version" --version
