package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/sector"
)

// handSQL computes the figures of a sector profile the way an analyst would write it
// straight on DuckDB: firms with their patents, attributes, names and revenue
// (which the profile's top firms and concentration report), patents by year with
// bounds, resources by channel, year and giver with the givers that are government
// bodies (for the state's share of funding), the programs that designated the
// sector's firms, and the policies that target its tags. No ownership
// classification (the profile is timed without it too). Flows come from the flows
// view, designations from the edges table, firms' attributes from the nodes table
// and patents' shares from patent_tags.mass, as an analyst would take them now that
// the stores have them.
const handSQL = `WITH sub AS (SELECT unnest(%s) AS tag),
pt AS (SELECT patent_id, min(year) AS year, sum(weight) / min(mass) AS share
	FROM patent_tags WHERE tag IN (SELECT tag FROM sub) GROUP BY patent_id),
pa AS (SELECT coalesce(c.cluster_id, f.applicant_id) AS firm, pt.year, pt.share / f.applicants AS w
	FROM pt JOIN patent_facts f USING (patent_id) LEFT JOIN (SELECT entity_id, min(cluster_id) AS cluster_id FROM clusters GROUP BY ALL) c ON c.entity_id = f.applicant_id),
firms AS (SELECT firm, sum(w) AS patents FROM pa GROUP BY firm
	UNION SELECT DISTINCT entity_id, 0 FROM tags WHERE tag IN (SELECT tag FROM sub)),
a AS (SELECT f.firm, any_value(f.patents) AS patents, min(founded) AS founded, min(province) AS province,
	min(region) AS region, min(name) AS name
	FROM firms f JOIN nodes n ON n.id = f.firm AND n.schema = 'Firm' GROUP BY f.firm),
rev AS (SELECT fi.entity_id AS firm, sum(fi.revenue) AS revenue FROM financials fi JOIN firms f ON f.firm = fi.entity_id GROUP BY fi.entity_id),
fv AS (SELECT f.schema, CAST(min(f.year) AS VARCHAR) AS year, min(f.giver) AS giver, min(f.amount) AS amount, min(f.currency) AS currency
	FROM flows f JOIN firms fi ON fi.firm = f.receiver GROUP BY f.id, f.schema),
pol AS (SELECT p.value AS policy, t.value AS tag
	FROM (SELECT entity_id, value FROM statement WHERE schema = 'Targeting' AND property = 'target_tag' AND value IN (SELECT tag FROM sub)) t
	JOIN (SELECT entity_id, value FROM statement WHERE schema = 'Targeting' AND property = 'policy') p ON p.entity_id = t.entity_id)
SELECT 'firm', a.firm, patents, founded || ' ' || name, coalesce(province, region) || ' ' || coalesce(CAST(r.revenue AS VARCHAR), '') FROM a LEFT JOIN rev r ON r.firm = a.firm
UNION ALL SELECT 'year', CAST(year AS VARCHAR), sum(share), count(*) FILTER (WHERE share >= 1 - 1e-9), count(*) FROM pt GROUP BY year
UNION ALL SELECT fv.schema || ' ' || year, giver, sum(amount), count(*), min(g.schema)
	FROM fv LEFT JOIN nodes g ON g.id = fv.giver AND g.schema = 'GovBody' GROUP BY fv.schema, year, giver, currency
UNION ALL SELECT 'program', e.from_id, count(DISTINCT e.to_id), NULL, min(n.name)
	FROM edges e JOIN firms f ON f.firm = e.to_id LEFT JOIN nodes n ON n.id = e.from_id
	WHERE e.schema = 'Designation' AND e.role = 'program' GROUP BY e.from_id
UNION ALL SELECT 'policy', pol.policy, NULL, NULL, min(n.caption) || ' ' || string_agg(pol.tag, ' ')
	FROM pol LEFT JOIN nodes n ON n.id = pol.policy GROUP BY pol.policy`

// TestSectorBench times cipmap sector against handSQL on the database named by
// CIPMAP_BENCH_DB (made with gen world --policy, ingest, patents tag), for the tags
// in CIPMAP_BENCH_TAG (default next-gen-networks), and prints medians of 5 runs.
func TestSectorBench(t *testing.T) {
	path := os.Getenv("CIPMAP_BENCH_DB")
	if path == "" {
		t.Skip("set CIPMAP_BENCH_DB to a generated database")
	}
	tag := os.Getenv("CIPMAP_BENCH_TAG")
	if tag == "" {
		tag = "next-gen-networks"
	}
	ctx := context.Background()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	st, err := duckdb.Open(ctx, path, duckdb.Options{Schemas: schemas, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	std, err := ctt.Load()
	if err != nil {
		t.Fatal(err)
	}
	tree := cttTree{std}
	sub, _ := tree.Subtree(tag)
	list := "["
	for i, s := range sub {
		if i > 0 {
			list += ", "
		}
		list += "'" + s + "'"
	}
	list += "]"
	median := func(f func() error) time.Duration {
		var ds []time.Duration
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			if err := f(); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[2]
	}
	var firms int
	prof := median(func() error {
		var bst cipmap.Store = st
		if os.Getenv("CIPMAP_BENCH_DEBUG") != "" {
			bst = debugStore{st, os.Stderr, os.Getenv("CIPMAP_DEBUG_SQL") == "full"}
		}
		p, err := sector.Build(ctx, bst, tree, tag, sector.Options{})
		if p != nil {
			firms = p.Firms
		}
		return err
	})
	var rows int
	hand := median(func() error {
		tab, err := st.Query(ctx, fmt.Sprintf(handSQL, list))
		if tab != nil {
			rows = len(tab.Rows)
		}
		return err
	})
	fmt.Printf("sector %s on %s: %d firms; cipmap sector median %v, hand-written SQL median %v (%d rows), ratio %.2f\n",
		tag, path, firms, prof.Round(time.Millisecond), hand.Round(time.Millisecond), rows, float64(prof)/float64(hand))

	// What cipmap serve does: the firms' facts once, the sector's basis once,
	// then each window computed from them.
	t0 := time.Now()
	facts, err := sector.LoadFacts(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	load := time.Since(t0)
	var b *sector.Basis
	basis := median(func() (err error) {
		b, err = sector.BuildBasis(ctx, st, tree, tag, nil)
		return err
	})
	fmt.Printf("serve: firms' facts of %d firms loaded in %v; the basis of %s (%d firms, %.0f MB) read in %v (median)\n",
		facts.Firms(), load.Round(time.Millisecond), tag, b.Firms(), float64(b.Bytes())/1e6, basis.Round(time.Millisecond))
	for _, w := range [][2]int{{0, 0}, {2016, 0}, {2018, 2022}, {0, 2019}} {
		var p *sector.Profile
		d := median(func() (err error) {
			p, err = b.Profile(facts, sector.Options{From: w[0], To: w[1]})
			return err
		})
		fmt.Printf("serve: %s from %d to %d computed from them: %d firms in %v (median)\n", tag, w[0], w[1], p.Firms, d.Round(time.Millisecond))
	}
}
