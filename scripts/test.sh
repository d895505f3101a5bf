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
go test -count=1 -timeout 40m ./... 2>&1 | tee /tmp/cipmap-test.log
