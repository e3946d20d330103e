#!/usr/bin/env bash
# Builds the PyPI wheel for this machine's platform into target/wheels/: the
# modelcard-review binary (the contributors' build, without the GitHub client) with the
# small Python package in python/ (`python -m modelcard_review`, `find_bin()`).
# maturin comes from PyPI, pinned, in a venv under target/tools/.
# Usage: scripts/build-wheel.sh [maturin build options…]
set -euo pipefail
cd "$(dirname "$0")/.."
MATURIN_VERSION=1.16.0
VENV="$PWD/target/tools/maturin-$MATURIN_VERSION"
if [[ ! -x "$VENV/bin/maturin" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "maturin==$MATURIN_VERSION"
fi
mkdir -p target/wheels
(cd python && "$VENV/bin/maturin" build --release --locked --out ../target/wheels "$@")
ls -l target/wheels/*.whl
