package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/resolve"
)

// match measures cipmap match's latency against the database's firm records.
func (c *BenchCommand) match(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("bench match", `Usage: cipmap bench match [--queries N] [--seed S] [--db PATH] [--format table|json|csv]

Loads the database's Firm records into a match index once (as cipmap serve does),
then matches N queries made from records drawn at random (one of their names,
sometimes with the region, the founding date or the credit code) and reports the
index build time, the median, p90, p99 and maximum latency of one match, and how
often the record drawn, or its firm (cluster), is among the top ten.
测量单条企业匹配的延迟（中位数与 p99）。`)
	var f readFlags
	queries := fs.Int("queries", 2000, "queries to run")
	seed := fs.Uint64("seed", 1, "seed of the queries")
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	start := time.Now()
	recs, err := loadFirmRecords(ctx, st)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return cipmap.Errorf(cipmap.ENOTFOUND, "no Firm records in the database")
	}
	loaded := time.Since(start)
	start = time.Now()
	ix, err := loadIndexFrom(ctx, st, recs)
	if err != nil {
		return err
	}
	built := time.Since(start)
	rng := rand.New(rand.NewPCG(*seed, 7))
	lat := make([]time.Duration, 0, *queries)
	found := 0
	for i := 0; i < *queries; i++ {
		ri := rng.IntN(len(recs))
		r := recs[ri]
		if len(r.Names) == 0 {
			continue
		}
		q := resolve.Record{Names: []string{r.Names[rng.IntN(len(r.Names))]}}
		switch rng.IntN(4) {
		case 0:
			q.Region = r.City
		case 1:
			q.Founded = r.Founded
		case 2:
			q.USCC = r.USCC
		}
		t := time.Now()
		cands := ix.Match(q, 10)
		lat = append(lat, time.Since(t))
		for _, cd := range cands {
			if cd.ID == r.ID || (cd.ClusterID != "" && cd.ClusterID == ix.ClusterOf(ri)) {
				found++
				break
			}
		}
	}
	if len(lat) == 0 {
		return cipmap.Errorf(cipmap.ENOTFOUND, "no record has a name")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	ms := func(d time.Duration) string { return fmt.Sprintf("%.3f", float64(d.Microseconds())/1000) }
	rows := [][]string{
		{"records indexed", fmt.Sprint(len(recs))},
		{"read from the database (s)", fmt.Sprintf("%.1f", loaded.Seconds())},
		{"index built (s)", fmt.Sprintf("%.1f", built.Seconds())},
		{"queries", fmt.Sprint(len(lat))},
		{"the queried record or its firm among the top 10 (share)", fmt.Sprintf("%.3f", float64(found)/float64(len(lat)))},
		{"median latency (ms)", ms(pct(0.5))},
		{"p90 latency (ms)", ms(pct(0.9))},
		{"p99 latency (ms)", ms(pct(0.99))},
		{"max latency (ms)", ms(lat[len(lat)-1])},
	}
	if f.format == "json" {
		m := map[string]string{}
		for _, r := range rows {
			m[strings.ReplaceAll(r[0], " ", "_")] = r[1]
		}
		return writeJSON(c.m.Stdout, m)
	}
	return writeRows(c.m.Stdout, f.format, []string{"measure", "value"}, rows)
}
