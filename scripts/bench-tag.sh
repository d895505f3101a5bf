#!/usr/bin/env bash
# Compares the tagger with grep on the same 1,000,000 generated short Chinese labels,
# in the same run: writes labels.txt and keywords.txt, then times, three times each,
# `grep -F -c -f keywords.txt labels.txt` and the tagger reading labels.txt and
# tagging every line with weighted tags, and prints the medians and their ratio
# (target: the tagger within 3x of grep). Runs on the inline test tree of package
# tagger, and also on the real CTT keywords when package ctt provides them.
#
# CIPMAP_BENCH_TAG_DIR keeps the files in a directory of your choice.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CIPMAP_BENCH_TAG_DIR:-}" ]; then
  CIPMAP_BENCH_TAG_DIR=$(mktemp -d /tmp/cipmap-benchtag.XXXXXX)
  trap 'rm -rf "$CIPMAP_BENCH_TAG_DIR"' EXIT
fi
export CIPMAP_BENCH_TAG_DIR
go test -count=1 -run '^TestBenchGrep' -v ./tagger/ | grep -v -e '^=== ' -e '^--- ' -e '^PASS$' -e '^ok ' -e 'bench_test.go'
