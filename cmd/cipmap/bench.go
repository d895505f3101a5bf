package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/gen"
	"github.com/cipmap/cipmap/ingest"
)

// BenchCommand measures ingest speed.
type BenchCommand struct{ m *Main }

const benchHelp = `Usage: cipmap bench ingest [--rows N] [--runs K] [--db postgres://...] [--format table|json|csv]
       cipmap bench match [--queries N] [--db PATH]   (see cipmap bench match --help)

Measures, on generated data, medians of K runs:
  facts      a CSV of N firm-year rows ingested into the financials fact table by
             'cipmap ingest' (a child process, end to end), against DuckDB's own
             read_csv of the same file into a plain table in the same run: rows/s and
             the ratio cipmap/read_csv.
  entities   N firm rows through a mapping (five properties each, plus the currency
             the amounts state): statements/s and the child's peak memory (max RSS).
With --db postgres://... the cipmap ingests go to that PostgreSQL database (its
gen-* datasets are replaced); the read_csv baseline always runs on DuckDB.
测量导入速度（中位数），并与 DuckDB 自带 read_csv 对比。`

func (c *BenchCommand) Run(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "match" {
		return c.match(ctx, args[1:])
	}
	fs := c.m.newFlagSet("bench", benchHelp)
	rows := fs.Int("rows", 1000000, "rows to generate")
	runs := fs.Int("runs", 3, "runs of each measure; medians are reported")
	db := fs.String("db", "", "PostgreSQL URL to ingest into (default: a fresh DuckDB file per run)")
	var out formatFlag
	addFormatFlag(fs, &out)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "ingest" {
		fs.Usage()
		return errUsage
	}
	if err := out.check(); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "cipmap-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	finMap, err := gen.Financials(filepath.Join(dir, "fin"), *rows, 1)
	if err != nil {
		return err
	}
	firmMap, err := gen.Firms(filepath.Join(dir, "firms"), *rows, 1)
	if err != nil {
		return err
	}
	var base, facts, ents []float64
	var factRSS, entRSS []float64
	var stmts int64
	for i := 0; i < *runs; i++ {
		t := time.Now()
		n, err := duckdb.ReadCSVBaseline(ctx, filepath.Join(dir, fmt.Sprintf("baseline-%d.duckdb", i)), filepath.Join(dir, "fin", "financials.csv"))
		if err != nil {
			return err
		}
		if n != int64(*rows) {
			return cipmap.Errorf(cipmap.EINTERNAL, "read_csv loaded %d rows, want %d", n, *rows)
		}
		base = append(base, time.Since(t).Seconds())
		os.Remove(filepath.Join(dir, fmt.Sprintf("baseline-%d.duckdb", i)))

		target := *db
		if target == "" {
			target = filepath.Join(dir, fmt.Sprintf("cipmap-%d.duckdb", i))
		}
		sec, rss, sum, err := c.ingest(ctx, exe, target, finMap, "gen-financials", *db != "")
		if err != nil {
			return err
		}
		if sum.Facts != int64(*rows) {
			return cipmap.Errorf(cipmap.EINTERNAL, "cipmap loaded %d fact rows, want %d", sum.Facts, *rows)
		}
		facts, factRSS = append(facts, sec), append(factRSS, rss)
		sec, rss, sum, err = c.ingest(ctx, exe, target, firmMap, "gen-firms", *db != "")
		if err != nil {
			return err
		}
		stmts = sum.Statements
		ents, entRSS = append(ents, sec), append(entRSS, rss)
		if *db == "" {
			os.Remove(target)
		}
		fmt.Fprintf(c.m.Stderr, "run %d: read_csv %.2fs, facts %.2fs, entities %.2fs (%d statements)\n", i+1, base[i], facts[i], ents[i], stmts)
	}
	store := "duckdb"
	if *db != "" {
		store = "postgres"
	}
	mb, mf, me := median(base), median(facts), median(ents)
	cols := []string{"measure", "store", "rows", "median_s", "rate", "unit", "ratio_to_read_csv", "peak_rss_mb"}
	res := [][]string{
		{"read_csv baseline", "duckdb", fmt.Sprint(*rows), f2(mb), f0(float64(*rows) / mb), "rows/s", "1.00", ""},
		{"facts ingest", store, fmt.Sprint(*rows), f2(mf), f0(float64(*rows) / mf), "rows/s", f2(mb / mf), f0(median(factRSS))},
		{"entities ingest", store, fmt.Sprint(*rows), f2(me), f0(float64(stmts) / me), "statements/s", "", f0(median(entRSS))},
	}
	if out.format == "json" {
		var objs []map[string]string
		for _, r := range res {
			o := map[string]string{}
			for i, c := range cols {
				o[c] = r[i]
			}
			objs = append(objs, o)
		}
		return writeJSON(c.m.Stdout, objs)
	}
	return writeRows(c.m.Stdout, out.format, cols, res)
}

// ingest runs 'cipmap ingest' as a child process and returns its wall time, peak RSS
// in MB and summary.
func (c *BenchCommand) ingest(ctx context.Context, exe, db, mapping, dataset string, shared bool) (float64, float64, *ingest.Summary, error) {
	if shared {
		del := exec.CommandContext(ctx, exe, "delete", "--db", db, dataset)
		del.Run() // absent the first time
	}
	cmd := exec.CommandContext(ctx, exe, "ingest", "--quiet", "--format", "json", "--db", db, mapping)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t := time.Now()
	err := cmd.Run()
	sec := time.Since(t).Seconds()
	if err != nil {
		return 0, 0, nil, fmt.Errorf("cipmap ingest %s: %v\n%s", mapping, err, strings.TrimSpace(stderr.String()))
	}
	var sums []*ingest.Summary
	if err := json.Unmarshal(stdout.Bytes(), &sums); err != nil || len(sums) != 1 {
		return 0, 0, nil, fmt.Errorf("cipmap ingest printed %q: %v", stdout.String(), err)
	}
	var rss float64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = float64(ru.Maxrss) / 1024 // KiB on Linux
	}
	return sec, rss, sums[0], nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64{}, xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func f2(x float64) string { return fmt.Sprintf("%.2f", x) }
func f0(x float64) string { return fmt.Sprintf("%.0f", x) }
