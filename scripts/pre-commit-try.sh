#!/usr/bin/env bash
# The pre-commit hook as a contributor meets it: `pre-commit try-repo` on a small hub
# checkout (a config at its root, the hub's own README and docs, a good card and a
# broken one). The hook must find the config from the repository root, leave the root
# README and docs alone, fail on the broken card, and pass once it is fixed.
# The hook is `language: python`: pre-commit installs the wheel of this release — here
# the one scripts/build-wheel.sh built into target/wheels, and nothing from PyPI.
# Usage: scripts/pre-commit-try.sh PRE_COMMIT_BIN
set -euo pipefail
PRE_COMMIT="$(realpath "$1")"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
HUB="$(mktemp -d)"
trap 'rm -rf "$HUB"' EXIT
export PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$REPO/target/pre-commit-home}"
WHEELS="$REPO/target/wheels"
compgen -G "$WHEELS/modelcard_review-*.whl" >/dev/null \
  || { echo "pre-commit-try: no wheel in $WHEELS; run scripts/build-wheel.sh" >&2; exit 2; }
# The hook package's build backend, pinned, so no index is needed at all.
DEPS="$REPO/target/wheels-deps"
[[ -f "$DEPS/setuptools-80.9.0-py3-none-any.whl" ]] \
  || python3 -m pip download --quiet --no-deps --dest "$DEPS" setuptools==80.9.0
export PIP_NO_INDEX=1 PIP_FIND_LINKS="$WHEELS $DEPS"
cd "$HUB"
git init -q -b main
git config user.email ci@example.org
git config user.name ci
printf 'paths = ["models/**/README.md"]\n' > .modelcard-review.toml
printf '# The hub\n\nTODO: write this.\n' > README.md
mkdir -p docs models/good models/broken
printf '# Docs\n\nTBD\n' > docs/README.md
cp "$REPO/fixtures/cards/good/nuclei-unet-2d/README.md" models/good/README.md
cp "$REPO/fixtures/cards/broken/common-faults/README.md" models/broken/README.md
git add -A
git commit -qm hub
set +e
start=$(date +%s.%N)
out="$("$PRE_COMMIT" try-repo "$REPO" modelcard-review --all-files 2>&1)"
code=$?
set -e
# The first run installs the hook's environment: the wheel, no compiler.
echo "pre-commit-try: first run (hook environment installed) took $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
echo "$out" | tail -n 40
if [[ $code -eq 0 ]]; then
  echo "pre-commit-try: the broken card passed" >&2
  exit 1
fi
for want in "models/broken/README.md"; do
  grep -q "$want" <<<"$out" || { echo "pre-commit-try: no finding for $want" >&2; exit 1; }
done
for unwanted in "--> README.md" "--> docs/README.md" "--> models/good/README.md"; do
  if grep -q -- "$unwanted" <<<"$out"; then
    echo "pre-commit-try: $unwanted was checked" >&2
    exit 1
  fi
done
git rm -q models/broken/README.md
git commit -qm "drop the broken card"
"$PRE_COMMIT" try-repo "$REPO" modelcard-review --all-files
echo "pre-commit-try: the hook found the config, skipped the hub's own README and docs, and judged the cards"
