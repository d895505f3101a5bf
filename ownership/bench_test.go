package ownership

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"
)

// benchWholeGraph generates n firms with three holders each on average, then times
// Graph.At (filtering by date, deduplicating, building the adjacency) and
// View.Analyze (every node's state share, ultimate controller and class).
func benchWholeGraph(b *testing.B, n int) {
	start := time.Now()
	g := Generate(n, 3, 1)
	b.Logf("generated %d nodes and %d holdings in %v", g.Len(), g.Holdings(), time.Since(start).Round(time.Millisecond))
	day := MustDate("2024-06-30")
	b.ResetTimer()
	var a *Analysis
	for b.Loop() {
		a = g.At(day).Analyze()
	}
	b.StopTimer()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(g.Holdings()), "holdings")
	counts := a.Counts()
	var line string
	for _, c := range Classes() {
		line += fmt.Sprintf(" %s %d;", c, counts[c])
	}
	b.Logf("classes:%s", line)
	runtime.KeepAlive(a)
}

func BenchmarkWholeGraph100k(b *testing.B) { benchWholeGraph(b, 100_000) }

// BenchmarkWholeGraph1M is the figure of the design: a million firms and three
// million holdings in at most 30 s. It needs a few gigabytes, so it runs only with
// CIPMAP_BENCH_1M=1:
//
//	CIPMAP_BENCH_1M=1 go test -run '^$' -bench WholeGraph1M -benchtime 1x ./ownership/
func BenchmarkWholeGraph1M(b *testing.B) {
	if os.Getenv("CIPMAP_BENCH_1M") == "" {
		b.Skip("set CIPMAP_BENCH_1M=1 to run the 1M-firm benchmark")
	}
	benchWholeGraph(b, 1_000_000)
}

// benchQueries times one query on random firms of a 100,000-firm graph.
func benchQueries(b *testing.B, q func(v *View, id string) error) {
	g := Generate(100_000, 3, 2)
	v := g.At(MustDate("2024-06-30"))
	rng := rand.New(rand.NewPCG(5, 6))
	b.ResetTimer()
	for b.Loop() {
		if err := q(v, fmt.Sprintf("F%d", rng.IntN(100_000))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUp(b *testing.B) {
	benchQueries(b, func(v *View, id string) error { _, err := v.Up(id); return err })
}

func BenchmarkDown(b *testing.B) {
	benchQueries(b, func(v *View, id string) error { _, err := v.Down(id); return err })
}

func BenchmarkStateShare(b *testing.B) {
	benchQueries(b, func(v *View, id string) error { _, err := v.StateShare(id); return err })
}

func BenchmarkClassify(b *testing.B) {
	benchQueries(b, func(v *View, id string) error { _, err := v.Classify(id); return err })
}

func BenchmarkDownFromSASAC(b *testing.B) {
	g := Generate(100_000, 3, 2)
	v := g.At(MustDate("2024-06-30"))
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Down("G0"); err != nil {
			b.Fatal(err)
		}
	}
}
