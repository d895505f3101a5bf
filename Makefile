# cipmap: the quick start is `make demo` then `make test`.
GO      ?= go
BIN     := bin/cipmap
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)

.PHONY: build demo test test-go bench fuzz vet clean

build:
	$(GO) build -ldflags "-X main.Version=$(VERSION)" -o $(BIN) ./cmd/cipmap

# Builds cipmap, ingests the bundled real samples (or generated data when
# ../shared is absent) into a fresh demo.duckdb and prints what is in it.
demo: build
	bash scripts/demo.sh

# Every test, the PostgreSQL conformance suite included: a private PostgreSQL cluster
# is started on a loopback port unless CIPMAP_TEST_POSTGRES is already set.
test: build
	bash scripts/test.sh

vet:
	$(GO) vet ./...

# Ingest benchmarks (1,000,000 rows; medians of 3 runs) on DuckDB and PostgreSQL.
bench: build
	bash scripts/bench.sh

# Runs each fuzz target for FUZZTIME (default 30s).
fuzz:
	bash scripts/fuzz.sh

clean:
	rm -rf bin demo.duckdb demo.duckdb.wal
