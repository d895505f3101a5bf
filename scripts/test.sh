#!/usr/bin/env bash
# Runs every test. Starts a private PostgreSQL cluster on a loopback port for the
# PostgreSQL conformance suite unless CIPMAP_TEST_POSTGRES is set, and stops it after.
set -euo pipefail
cd "$(dirname "$0")/.."
started=""
if [ -z "${CIPMAP_TEST_POSTGRES:-}" ]; then
  pgdir=$(mktemp -d /tmp/cipmap-pg.XXXXXX)
  port=${CIPMAP_TEST_PG_PORT:-55433}
  CIPMAP_TEST_POSTGRES=$(bash scripts/postgres.sh start "$pgdir" "$port")
  export CIPMAP_TEST_POSTGRES
  started="$pgdir"
  trap 'bash scripts/postgres.sh stop "$started" >/dev/null 2>&1 || true; rm -rf "$started"' EXIT
fi
echo "PostgreSQL for tests: $CIPMAP_TEST_POSTGRES"
go vet ./...
log=$(mktemp /tmp/cipmap-test.XXXXXX.log)
status=0
go test -count=1 -timeout 40m -v ./... > "$log" 2>&1 || status=$?
# Package results, failures in full, then one closing line with the counts.
grep -E '^(ok|FAIL|---|\?) ' "$log" | grep -v -- '--- PASS' | grep -v -- '--- SKIP' || true
if [ "$status" -ne 0 ]; then
  echo "== go test failed; the full log is $log; its failing parts:"
  grep -n -B2 -A20 -- '--- FAIL' "$log" | head -300 || tail -100 "$log"
fi
grep -E -- '--- SKIP' "$log" | sed 's/^ *//' || true
passed=$(grep -cE '^ *--- PASS' "$log" || true)
failed=$(grep -cE '^ *--- FAIL' "$log" || true)
skipped=$(grep -cE '^ *--- SKIP' "$log" || true)
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
