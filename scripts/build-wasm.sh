#!/usr/bin/env bash
# Builds the WebAssembly package of the engine (wasm/, over the same library the CLI
# runs) into:
#   target/npm/         the npm package: `require("modelcard-review")` in Node 18+
#                       (node/), and an ES module for pages and bundlers (web/)
#   target/playground/  the playground page (playground/ and the web module), static
# Installs what a fresh machine lacks, pinned, under target/tools/: the
# wasm32-unknown-unknown target (rustup), wasm-bindgen-cli at the version Cargo.lock
# holds, and wasm-opt from npm's binaryen.
# Prints the .wasm's size, raw and gzipped (the README's figures).
set -euo pipefail
cd "$(dirname "$0")/.."
BINARYEN_VERSION=132.0.0
TOOLS="$PWD/target/tools"
NPM_OUT=target/npm
PLAY_OUT=target/playground

rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown

# wasm-bindgen's CLI must be the very version of the crate the package links.
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"
WB="$TOOLS/wasm-bindgen-$WB_VERSION/bin/wasm-bindgen"
if [[ ! -x "$WB" ]]; then
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked --root "$TOOLS/wasm-bindgen-$WB_VERSION"
fi
WASM_OPT="$TOOLS/binaryen-$BINARYEN_VERSION/node_modules/.bin/wasm-opt"
if [[ ! -x "$WASM_OPT" ]]; then
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/binaryen-$BINARYEN_VERSION" "binaryen@$BINARYEN_VERSION"
fi

cargo build --locked -p modelcard-review-wasm --target wasm32-unknown-unknown --profile wasm
RAW=target/wasm32-unknown-unknown/wasm/modelcard_review_wasm.wasm

rm -rf "$NPM_OUT" "$PLAY_OUT"
for flavour in node:nodejs web:web; do
  dir="$NPM_OUT/${flavour%%:*}"
  "$WB" --target "${flavour#*:}" --out-dir "$dir" --out-name modelcard_review "$RAW"
  # Smaller and no slower: the engine's hot loops are the same either way.
  "$WASM_OPT" -O2 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$dir/modelcard_review_bg.wasm" -o "$dir/modelcard_review_bg.wasm"
done

VERSION="$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)"
sed "s/@VERSION@/$VERSION/" wasm/package.json > "$NPM_OUT/package.json"
cp wasm/README.md "$NPM_OUT/README.md"
cp LICENSE-MIT LICENSE-APACHE "$NPM_OUT/"

mkdir -p "$PLAY_OUT/pkg"
cp playground/* "$PLAY_OUT/"
cp "$NPM_OUT/web/modelcard_review.js" "$NPM_OUT/web/modelcard_review_bg.wasm" "$PLAY_OUT/pkg/"

wasm="$NPM_OUT/web/modelcard_review_bg.wasm"
raw=$(wc -c < "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "build-wasm: $wasm: $raw bytes, $gz gzipped (gzip -9)"
echo "build-wasm: npm package in $NPM_OUT, playground in $PLAY_OUT"
