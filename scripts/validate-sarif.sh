#!/usr/bin/env bash
# Validates SARIF files with Microsoft's SARIF multitool, under GitHub's ingestion
# rules and the SARIF rules; fails on any error-level result.
# Usage: scripts/validate-sarif.sh FILE...
set -euo pipefail
VERSION=5.7.0
PREFIX="${SARIF_TOOL_DIR:-target/tools/sarif}"
TOOL="$PREFIX/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [[ ! -x "$TOOL" ]]; then
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error \
    "@microsoft/sarif-multitool-linux@$VERSION" >&2
  chmod +x "$TOOL"
fi
status=0
for f in "$@"; do
  log="$(mktemp)"
  out="$(mktemp --suffix=.sarif)"
  # The multitool wants a writable HOME for its .NET runtime files.
  DOTNET_CLI_HOME="${DOTNET_CLI_HOME:-/tmp}" "$TOOL" validate --rule-kind "Gh;Sarif" --log ForceOverwrite -o "$out" "$f" >"$log" 2>&1 || true
  if ! grep -q "Analysis completed successfully" "$log"; then
    echo "validate-sarif: the validator did not complete on $f:" >&2
    cat "$log" >&2
    status=1
  elif grep -E ": error [A-Z]+[0-9]+:" "$log" >&2; then
    echo "validate-sarif: $f has errors (above)" >&2
    status=1
  else
    warnings=$(grep -cE ": warning [A-Z]+[0-9]+:" "$log" || true)
    echo "validate-sarif: $f: 0 errors ($warnings warnings)"
  fi
  rm -f "$log" "$out"
done
exit $status
