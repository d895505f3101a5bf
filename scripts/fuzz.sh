#!/usr/bin/env bash
# Runs every fuzz target (func FuzzXxx in a _test.go file) for FUZZTIME each
# (default 30s). Crashers are saved under the package's testdata/fuzz and then run as
# ordinary tests by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${FUZZTIME:-30s}
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
  pkg=./$(dirname "${f#./}")
  for fn in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
    echo "== $pkg $fn ($t)"
    go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$t" "$pkg"
  done
done
