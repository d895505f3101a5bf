#!/usr/bin/env bash
# The ingest benchmarks of the README: 1,000,000 rows, medians of 3 runs, on DuckDB
# and on PostgreSQL (a private cluster is started unless CIPMAP_BENCH_POSTGRES is set).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
runs=${RUNS:-3}
echo "== DuckDB"
bin/cipmap bench ingest --rows "$rows" --runs "$runs"
if [ -z "${CIPMAP_BENCH_POSTGRES:-}" ]; then
  pgdir=$(mktemp -d /tmp/cipmap-pgbench.XXXXXX)
  CIPMAP_BENCH_POSTGRES=$(bash scripts/postgres.sh start "$pgdir" "${CIPMAP_BENCH_PG_PORT:-55434}")
  trap 'bash scripts/postgres.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
fi
echo "== PostgreSQL"
bin/cipmap bench ingest --rows "$rows" --runs "$runs" --db "$CIPMAP_BENCH_POSTGRES"
