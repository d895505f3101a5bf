#!/usr/bin/env bash
# Measures `cipmap serve` on a database, as the serve figures of the README: builds
# bin/cipmap, starts `cipmap serve` on a free loopback port, times start to the
# first answer of /api/v1/datasets, then runs wrk (CONNS connections, DURATION, RUNS
# runs, medians) on four endpoints, rotating through real ids and names read from
# the database with `cipmap query` (scripts/bench-serve.lua):
#   firm page    /firms/{id}            cold: one run over 600,000 firm ids never
#                                       asked for (the server keeps the firms it
#                                       built, so each request is a first one, as
#                                       long as the run makes fewer requests; the
#                                       table says when it made more); warm: 1,000
#                                       other ids, each asked for once before wrk
#   firm API     /api/v1/firms/{id}     cold: 600,000 ids more; warm: the 1,000
#   search       /api/v1/search?q=...   200 firm names
#   sector API   /api/v1/sectors/{tag}  the 10 CTT tags most used (firms and patents);
#                                       before wrk, the first answer of each, and of
#                                       each (and of SECTOR_TAGS) for years no one
#                                       asked before (?from=2016, ?from=2018&to=2022,
#                                       and SECTOR_WINDOWS)
# Before each endpoint's runs it times one cold request, so an index or cache built
# on first use shows. Every endpoint is measured after what the server builds in
# the background is ready: the search index, the copy in memory, the whole
# ownership graph and the sector profiles. Prints a table, the binary size and start-to-first-answer.
#
# Usage: scripts/bench-serve.sh DB     (RUNS=3 DURATION=30s CONNS=50 THREADS=2 CIPMAP_BIN=
#                                      ONLY="firm-page firm-api search sector"
#                                      SECTOR_TAGS="next-gen-networks ..." SECTOR_WINDOWS="to=2019 ...")
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: scripts/bench-serve.sh DB  (a cipmap DuckDB file)" >&2
  exit 2
fi
if ! command -v wrk >/dev/null 2>&1; then
  echo "bench-serve: wrk is not installed; install it (Debian/Ubuntu: apt-get install -y wrk) and run again" >&2
  exit 1
fi
for c in curl go; do
  command -v "$c" >/dev/null 2>&1 || { echo "bench-serve: $c is not installed" >&2; exit 1; }
done
db=$1
runs=${RUNS:-3}
duration=${DURATION:-30s}
conns=${CONNS:-50}
threads=${THREADS:-2}
work=$(mktemp -d /tmp/bench-serve-work.XXXXXX)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# CIPMAP_BIN measures another build (a baseline) instead of building bin/cipmap.
bin=${CIPMAP_BIN:-bin/cipmap}
[ -n "${CIPMAP_BIN:-}" ] || go build -o bin/cipmap ./cmd/cipmap
size=$(stat -c %s "$bin")

# Real ids and names, the same every run (ordered by a hash of the id).
q() { "$bin" query --db "$db" --format csv "$1" | tail -n +2 | tr -d '"'; }
q "SELECT id FROM entity WHERE schema = 'Firm' GROUP BY id ORDER BY hash(id) LIMIT 1201000" >"$work/allids"
head -n 1000 "$work/allids" >"$work/ids"
sed -n '1001,601000p' "$work/allids" >"$work/coldpage"
sed -n '601001,1201000p' "$work/allids" >"$work/coldapi"
q "SELECT min(caption) FROM entity WHERE schema = 'Firm' AND caption <> '' GROUP BY id ORDER BY hash(id || 'name') LIMIT 200" >"$work/names"
q "SELECT tag FROM (SELECT tag, entity_id FROM tags WHERE system = 'ctt' AND weight > 0 UNION ALL SELECT tag, patent_id FROM patent_tags WHERE system = 'ctt' AND weight > 0) GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 10" >"$work/tags"
for f in ids names tags; do
  [ -s "$work/$f" ] || { echo "bench-serve: no $f found in $db" >&2; exit 1; }
done

ms() { echo "$(( ($(date +%s%N) - $1) / 1000000 ))"; }
start=$(date +%s%N)
"$bin" serve --db "$db" --addr 127.0.0.1:0 >"$work/out" 2>"$work/err" &
pid=$!
addr=
for _ in $(seq 1 6000); do
  addr=$(sed -n 's|^cipmap serving .* at http://\([^/]*\)/$|\1|p' "$work/out")
  [ -n "$addr" ] && curl -fs -o /dev/null "http://$addr/api/v1/datasets" && break
  kill -0 "$pid" 2>/dev/null || { echo "bench-serve: cipmap serve exited:" >&2; cat "$work/err" >&2; exit 1; }
  sleep 0.05
done
first=$(ms "$start")
[ -n "$addr" ] || { echo "bench-serve: no answer from cipmap serve" >&2; exit 1; }
base="http://$addr"

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }

row() { # name file prefix [escape] (RUNS_ROW overrides runs)
  local name=$1 file=$2 prefix=$3 esc=${4:-} v t0 cold runs=${RUNS_ROW:-$runs}
  v=$(head -n 1 "$work/$file")
  [ "$esc" = escape ] && v=$(printf %s "$v" | jq -sRr @uri)
  t0=$(date +%s%N)
  curl -fs -o /dev/null "$base$prefix$v" || echo "bench-serve: $name: $prefix$v failed" >&2
  cold=$(ms "$t0")
  : >"$work/res"
  for _ in $(seq 1 "$runs"); do
    BENCH_THREADS=$threads wrk -t "$threads" -c "$conns" -d "$duration" --timeout 30s --latency \
      -s scripts/bench-serve.lua "$base" -- "$work/$file" "$prefix" "$esc" >"$work/wrk" 2>&1
    grep '^BENCH ' "$work/wrk" >>"$work/res" || { cat "$work/wrk" >&2; exit 1; }
  done
  printf '%-34s %10s %9s %9s %8s %9s\n' "$name" \
    "$(awk '{print $2}' "$work/res" | median)" "$(awk '{print $3}' "$work/res" | median)" \
    "$(awk '{print $4}' "$work/res" | median)" "$(awk '{s+=$5+$6} END {print s}' "$work/res")" "$cold"
  local most values
  most=$(awk '{if ($7 > m) m = $7} END {print m + 0}' "$work/res")
  values=$(grep -c . "$work/$file")
  if [ "${RUNS_ROW:-}" = 1 ] && [ "$most" -gt "$values" ]; then
    echo "  (that run made $most requests over $values ids: some were asked for again, and answered warm)"
  fi
}

# Search runs its SQL until the in-memory index, built in the background after
# start, is ready (seconds a query at a million firms): time the first search then.
# The build takes both cores for about a minute, so every endpoint is measured
# after it.
t0=$(date +%s%N)
curl -fs -o /dev/null --max-time 600 "$base/api/v1/search?q=$(head -n 1 "$work/names" | jq -sRr @uri)" ||
  echo "bench-serve: the first search failed" >&2
first_search=$(ms "$t0")
for _ in $(seq 1 12000); do
  grep -q 'search index built\|search index not built' "$work/err" && break
  sleep 0.1
done
index=$(grep -o 'search index built in [0-9.]* s\|search index not built.*' "$work/err" || echo "search index: no word from the server")
# The copy in memory of each entity's statements, edges and facts, then the whole
# ownership graph, load in the background too (firm pages and sectors read the
# database until then): wait for the graph, which comes last.
for _ in $(seq 1 12000); do
  grep -q 'ownership graph loaded\|ownership graph not loaded' "$work/err" && break
  sleep 0.1
done
graph=$(grep -o 'ownership graph loaded in .*\|ownership graph not loaded.*' "$work/err" || echo "ownership graph: no word from the server")
graph_at=$(ms "$start")
copied=$(grep -o 'copy in memory made in .*\|no copy in memory.*' "$work/err" || echo "copy in memory: none (--copy=false or not DuckDB)")
# Then every tag's sector profile (--sectors), which takes both cores: wait for it
# too, so that it does not share them with wrk.
help=$("$bin" serve --help 2>&1 || true)
case "$help" in *--sectors*)
  for _ in $(seq 1 12000); do
    grep -q 'sector profiles built\|sector profiles:' "$work/err" && break
    grep -q 'ownership graph not loaded' "$work/err" && break
    sleep 0.1
  done ;;
esac
sectors=$(grep -o 'sector profiles built.*\|sector profiles:.*' "$work/err" || echo "sector profiles: none built ahead")
sectors_at=$(ms "$start")

echo "cipmap serve on $db: $conns connections, $threads threads, $duration, median of $runs runs; $(nproc) cores"
printf '%-34s %10s %9s %9s %8s %9s\n' endpoint 'req/s' 'p50 ms' 'p99 ms' 'errors' 'cold ms'
want() { case " ${ONLY:-firm-page firm-api search sector} " in *" $1 "*) return 0 ;; esac; return 1; }
# warm asks for each id of FILE once under PREFIX, four at a time.
warm() { sed "s|^|$base$2|" "$work/$1" | xargs -P 4 -I{} curl -fs -o /dev/null {} || echo "bench-serve: warming $2 failed" >&2; }
if want firm-page; then
  RUNS_ROW=1 row "firm page, cold (600,000 new ids)" coldpage /firms/
  warm ids /firms/
  row "firm page, warm (1,000 ids)" ids /firms/
fi
if want firm-api; then
  RUNS_ROW=1 row "firm API, cold (600,000 new ids)" coldapi /api/v1/firms/
  warm ids /api/v1/firms/
  row "firm API, warm (1,000 ids)" ids /api/v1/firms/
fi
if want search; then
  row "search /api/v1/search?q=" names "/api/v1/search?q=" escape
fi
if want sector; then
# Sector profiles are kept per tag and years once built, and the server builds
# every tag's whole-period profile ahead (--sectors): time each tag's first
# answer, then the first build of a profile no one built ahead (the tag from
# 2016), which is what a researcher choosing years waits for.
: >"$work/cold"
: >"$work/coldwin"
while read -r t; do
  t0=$(date +%s%N)
  curl -fs -o /dev/null "$base/api/v1/sectors/$t" || echo "bench-serve: sector $t failed" >&2
  ms "$t0" >>"$work/cold"
  for win in "from=2016" "from=2018&to=2022" $SECTOR_WINDOWS; do
    t0=$(date +%s%N)
    curl -fs -o /dev/null "$base/api/v1/sectors/$t?$win" || echo "bench-serve: sector $t $win failed" >&2
    ms "$t0" >>"$work/coldwin"
  done
done < <(tail -n +2 "$work/tags"; for t in $SECTOR_TAGS; do echo "$t"; done)
row "sector API /api/v1/sectors/{tag}" tags /api/v1/sectors/
fi
echo "binary size: $size bytes ($((size / 1048576)) MiB)"
echo "start to first answer (/api/v1/datasets): $first ms"
echo "search: first query $first_search ms (before the index is ready); $index"
echo "$copied; $graph (ready $graph_at ms after start); $sectors ($sectors_at ms after start)"
rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || echo '?')
echo "server resident memory at the end: $rss MiB"
want sector && echo "sector API, first answer for each of $(wc -l <"$work/tags") tags: median $(median <"$work/cold") ms, max $(sort -n "$work/cold" | tail -n 1) ms (and the row's cold ms); $sectors"
want sector && echo "sector API, first answer of each tag for years no one asked before (?from=2016, ?from=2018&to=2022): median $(median <"$work/coldwin") ms, max $(sort -n "$work/coldwin" | tail -n 1) ms over $(grep -c . "$work/coldwin")"
echo "(cold ms: one request before wrk, the first of its endpoint; errors: non-2xx and socket errors over all runs)"
