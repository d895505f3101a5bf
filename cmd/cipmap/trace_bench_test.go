package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/cipmap/cipmap/gen"
	"github.com/cipmap/cipmap/money"
	"github.com/cipmap/cipmap/trace"
)

// BenchmarkTraceFund traces a national fund three levels down (national →
// provincial → municipal funds → firms) on a generated world: CIPMAP_BENCH_TRACE_DB
// names an ingested world's database; else CIPMAP_BENCH_1M=1 generates and ingests
// a world of 1,000,000 firms first (about five minutes on two cores), and
// CIPMAP_BENCH_FIRMS=N one of N firms. Without either it is skipped.
//
//	CIPMAP_BENCH_TRACE_DB=/tmp/pw1m.duckdb go test ./cmd/cipmap -run XXX -bench TraceFund -benchtime 3x
func BenchmarkTraceFund(b *testing.B) {
	db := os.Getenv("CIPMAP_BENCH_TRACE_DB")
	if db == "" {
		firms := 0
		if os.Getenv("CIPMAP_BENCH_1M") == "1" {
			firms = 1_000_000
		} else if n := os.Getenv("CIPMAP_BENCH_FIRMS"); n != "" {
			for _, c := range n {
				firms = firms*10 + int(c-'0')
			}
		}
		if firms == 0 {
			b.Skip("set CIPMAP_BENCH_TRACE_DB, CIPMAP_BENCH_1M=1 or CIPMAP_BENCH_FIRMS=N")
		}
		dir := b.TempDir()
		res, err := gen.World(filepath.Join(dir, "world"), gen.WorldOptions{Firms: firms, Records: -1, Policy: true, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		db = filepath.Join(dir, "t.duckdb")
		m := NewMain()
		m.Stdout, m.Stderr = os.Stderr, os.Stderr
		err = m.Run(context.Background(), append([]string{"ingest", "--db", db, "--quiet"}, res.Mappings...))
		m.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	m := NewMain()
	defer m.Close()
	st, err := m.openStore(ctx, db, true)
	if err != nil {
		b.Fatal(err)
	}
	src := &trace.StoreSource{Store: st}
	from, err := findOne(ctx, src, "国家集成电路产业投资基金股份有限公司", []string{"Fund"})
	if err != nil {
		b.Fatal(err)
	}
	rates, _ := money.Load()
	for _, c := range []struct {
		name string
		subs int
	}{{"firms", -1}, {"firms+subsidiaries", 3}} {
		b.Run(c.name, func(b *testing.B) {
			var res *trace.Result
			for i := 0; i < b.N; i++ {
				res, err = trace.Trace(ctx, src, from.ID, trace.Options{Depth: 3, Subsidiaries: c.subs, Rates: rates})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(res.Firms)), "firms")
			b.ReportMetric(float64(len(res.Funds)), "funds")
			b.ReportMetric(float64(len(res.Subsidiaries)), "subsidiaries")
		})
	}
}
