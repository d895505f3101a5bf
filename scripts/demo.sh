#!/usr/bin/env bash
# The demo: ingest the real samples in ../shared/data/samples (when that folder is
# there) into a fresh demo.duckdb, or generated data when it is not, and show what the
# database holds.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/cipmap
db=demo.duckdb
rm -f "$db" "$db.wal"
shared=../shared/data/samples
if [ -d "$shared" ]; then
  echo "== Ingesting the real samples from $shared (tests and demo only; not redistributed)"
  $bin ingest --db "$db" --quiet examples/procurement-pla-ai-2020/mapping.yaml
  $bin ingest --db "$db" --quiet --on-error skip --rejects demo-amplyfi-rejects.csv examples/ai-investments-amplyfi/mapping.yaml 2>&1 | grep -v '^demo-amplyfi\|^.*: column "year"' || true
  echo "(AMPLYFI rows with impossible years were rejected: see demo-amplyfi-rejects.csv)"
  $bin ingest --db "$db" --quiet examples/semiconductor-supply-chain-eto/mapping.yaml
  echo "== Ingesting the procurement sample again: it must say unchanged"
  $bin ingest --db "$db" --quiet examples/procurement-pla-ai-2020/mapping.yaml
else
  echo "== $shared is not here, so the demo runs on cipmap's own generated data"
  gen=$(mktemp -d)
  $bin gen firms --rows 20000 --out "$gen/firms" >/dev/null
  $bin gen financials --rows 50000 --out "$gen/fin" >/dev/null
  $bin ingest --db "$db" --quiet "$gen/firms/mapping.yaml" "$gen/fin/mapping.yaml"
  echo "== And a generated world: registries, SOE groups, noisy extracts of the same firms"
  $bin gen world --firms 3000 --seed 1 --out "$gen/world" >/dev/null 2>&1
  $bin ingest --db "$db" --quiet "$gen/world"/mapping-*.yaml >/dev/null
  cp "$gen/world/truth/records.csv" demo-world-truth.csv
  rm -rf "$gen"
fi
echo
echo "== Datasets"
$bin datasets --db "$db"
echo
echo "== What the database holds"
$bin stats --db "$db"
if [ ! -d "$shared" ]; then
  echo
  echo "== Search: 华芯"
  $bin search --db "$db" --limit 5 华芯
  echo
  echo "== The firms with the largest registered capital"
  $bin query --db "$db" "SELECT name, uscc, founded, registered_capital, currency FROM firms ORDER BY registered_capital DESC LIMIT 5"
else
  echo
  echo "== Search: 航天"
  $bin search --db "$db" --limit 5 航天
  echo
  echo "== The largest PLA AI contracts (SQL on the stable views)"
  $bin query --db "$db" "SELECT c.title, c.amount, c.currency, b.name AS buyer, s.name AS supplier FROM contracts c JOIN gov_bodies b ON b.id = c.buyer JOIN firms s ON s.id = c.supplier WHERE c.amount IS NOT NULL ORDER BY c.amount DESC LIMIT 5"
  id=$($bin query --db "$db" --format csv "SELECT id FROM firms WHERE name = '哈尔滨工程大学' LIMIT 1" | tail -n 1)
  echo
  echo "== One supplier with every statement and its provenance: cipmap show $id"
  $bin show --db "$db" "$id"
fi
echo
echo "== Crosswalks (issue 3): an HS 2022 code to GB/T 4754-2017, with its path and unmapped mass"
$bin crosswalk --db "$db" --from hs2022 --to gbt4754-2017 850440
echo
echo "== GB/T 4754-2017 3442 has three partial SEI 2018 links; an IPC code to CTT technology tags"
$bin crosswalk --db "$db" --from gbt4754-2017 --to sei2018 3442
$bin tag --db "$db" --system ipc "B25J 9/16" H01M10/0525
echo
echo "== The tagger: the same text in simplified, traditional and English; a coarse label stays an inner node"
$bin tag --db "$db" --to sei2018 工业机器人用精密减速器
$bin tag --db "$db" --to sei2018 工業機器人用精密減速器
$bin tag --db "$db" --to sei2018 "precision reducers for industrial robots"
$bin tag --db "$db" 新能源
if [ -d "$shared" ]; then
  echo
  echo "== Tagging a stored dataset: the PLA contract titles, tags written back with evidence"
  $bin tag --db "$db" --dataset pla-procurement-2020 --column title
  $bin query --db "$db" "SELECT value, tag, round(weight, 2) AS weight, method, evidence, source FROM tags WHERE tag = 'machine-learning' LIMIT 3"
fi
echo
echo "== Firm identity: resolve every Firm record, then match a name written differently"
$bin resolve --db "$db" --quiet
if [ ! -d "$shared" ]; then
  echo
  echo "== Scored against the generated world's truth"
  $bin resolve eval --db "$db" --truth demo-world-truth.csv --by entity
  firm=$($bin query --db "$db" --format csv "SELECT o2.asset FROM ownerships o JOIN gov_bodies g ON g.id = o.owner JOIN ownerships o2 ON o2.owner = o.asset LIMIT 1" | tail -n 1)
  echo
  echo "== Ownership and control of a firm in an SOE group: cipmap ownership $firm"
  $bin ownership --db "$db" "$firm"
fi
if [ -d "$shared" ]; then
  $bin match --db "$db" --limit 3 "四范式（北京）技术有限公司"
  echo
  echo "== Pairs waiting for a reviewer (cipmap review shows them side by side)"
  $bin review list --db "$db" --limit 6
  echo
  echo "== Scored against a hand-made truth of the suppliers written in two ways"
  $bin resolve eval --db "$db" --truth examples/procurement-pla-ai-2020/suppliers-truth.csv --by name --dataset pla-procurement-2020
  echo
  echo "== Follow the money: the awards of 中国航天科技集团 to its suppliers (cipmap trace)"
  $bin trace --db "$db" 中国航天科技集团有限公司 | sed -n 1,12p
  echo
  echo "== The AI sector of the awards: titles tagged, then cipmap sector"
  $bin tag --db "$db" --dataset pla-procurement-2020 --column title >/dev/null
  $bin sector --db "$db" artificial-intelligence | sed -n 1,14p
fi
echo
echo "== Evaluation: GB/T 4754-2017 class notes tagged from their text, scored against the official SEI 2018 links"
$bin tag eval gbt4754-notes
echo
echo "The database is $db. Try: bin/cipmap search --db $db 航天科技 ; bin/cipmap query --db $db \"SELECT * FROM contracts LIMIT 5\""
echo "The web pages and the API: bin/cipmap serve --db $db, then open http://127.0.0.1:8080/ (网页与接口)"
