package duckdb

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/storetest"
)

// TestFactStagesMatchFactTables checks that Load writes every table of
// cipmap.FactTables, from a staging file whose columns are the table's, then source.
func TestFactStagesMatchFactTables(t *testing.T) {
	if len(factStages) != len(cipmap.FactTables) {
		t.Errorf("fact stages %v, want one for each of %v", factTables, cipmap.FactTables)
	}
	for _, f := range factStages {
		var got []string
		for _, c := range f.cols {
			got = append(got, c[0])
		}
		want := append(append([]string{}, cipmap.FactTables[f.table]...), "source")
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s staging columns = %v, want %v", f.table, got, want)
		}
	}
}

// TestStatementsInParts: a big unordered or grouped read goes in parts split by
// entity hash; with parts of seven statements, every statement comes once, and a
// grouped read gives each entity's statements together.
func TestStatementsInParts(t *testing.T) {
	defer func(n int64) { statementsPerPart = n }(statementsPerPart)
	statementsPerPart = 7
	ctx := context.Background()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, filepath.Join(t.TempDir(), "p.duckdb"), Options{Schemas: schemas})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want []string
	_, err = db.Load(ctx, &cipmap.Dataset{Name: "firms", Version: "1"}, func(w cipmap.Writer) error {
		for i := 0; i < 40; i++ {
			for _, p := range []string{"name", "legal_form", "province"} {
				s := &cipmap.Statement{EntityID: fmt.Sprintf("firm-%02d", i), Schema: "Firm", Property: p,
					Value: fmt.Sprintf("%s %d", p, i), Source: fmt.Sprintf("f.csv:%d", i+2)}
				want = append(want, s.EntityID+" "+s.Property+" "+s.Value+" "+s.Source)
				if err := w.Statement(s); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(want)
	storetest.CheckGrouped(t, db, want)
	var got []string
	if err := db.Statements(ctx, cipmap.StatementFilter{Schemas: []string{"Firm"}, Unordered: true}, func(s *cipmap.Statement) error {
		got = append(got, s.EntityID+" "+s.Property+" "+s.Value+" "+s.Source)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("unordered read in parts: %d statements, want %d", len(got), len(want))
	}
}

// TestReorder: Reorder changes no row of the derived tables and patent_tags, and
// leaves each in order of its lookup column.
func TestReorder(t *testing.T) {
	ctx := context.Background()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, filepath.Join(t.TempDir(), "r.duckdb"), Options{Schemas: schemas})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, ds := range []string{"b", "a"} {
		_, err := db.Load(ctx, &cipmap.Dataset{Name: ds, Version: "1"}, func(w cipmap.Writer) error {
			for i := range 50 {
				id := fmt.Sprintf("%s-own-%02d", ds, 49-i)
				for _, s := range [][2]string{{"owner", fmt.Sprintf("%s-p-%02d", ds, 49-i)}, {"asset", fmt.Sprintf("%s-f-%02d", ds, i)}} {
					if err := w.Statement(&cipmap.Statement{EntityID: id, Schema: "Ownership", Property: s[0], Value: s[1], Source: "x.csv:1"}); err != nil {
						return err
					}
				}
				if err := w.Statement(&cipmap.Statement{EntityID: fmt.Sprintf("%s-f-%02d", ds, 49-i), Schema: "Firm", Property: "name", Value: "甲", Source: "x.csv:1"}); err != nil {
					return err
				}
				if err := w.PatentTag(&cipmap.PatentTag{PatentID: fmt.Sprintf("P%02d", i), System: "ctt", Tag: fmt.Sprintf("t%02d", 49-i), Weight: 1, Mass: 1, Source: "p"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	dump := func(q string) string {
		tab, err := db.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(tab.Rows)
	}
	checks := map[string]string{"edges": "from_id", "nodes": "id", "patent_tags": "tag", "by_id": "key", "facts_by_id": "key"}
	before := map[string]string{}
	lookup := func() string {
		t.Helper()
		tab, err := db.Lookup(ctx, cipmap.LookupQuery{IDs: []string{"a-f-03", "b-p-07", "a-own-11", "none"}})
		if err != nil {
			t.Fatal(err)
		}
		out := fmt.Sprint(tableRows(tab))
		if len(tab.Rows) < 3 {
			t.Fatalf("lookup: %d rows: %s", len(tab.Rows), out)
		}
		return out
	}
	for table := range checks {
		from := table
		if table == "by_id" || table == "facts_by_id" {
			// Stale after the loads, until Reorder builds them from their sources.
			if db.lookup(table) || dump("SELECT count(*) FROM "+table) != "[[0]]" {
				t.Fatalf("%s is not stale after a load", table)
			}
			for _, d := range sqlview.DerivedTables {
				if d.Table == table {
					from = "(" + d.Rows(db.schemas, sqlview.DuckDB, "true") + ")"
				}
			}
		}
		before[table] = dump("SELECT * FROM " + from + " ORDER BY ALL")
		if dump("SELECT count(*) FROM "+from) == "[[0]]" {
			t.Fatalf("%s is empty", table)
		}
	}
	stale := lookup()
	if err := db.Reorder(ctx); err != nil {
		t.Fatal(err)
	}
	if !db.lookup("by_id") || !db.lookup("facts_by_id") {
		t.Error("lookup tables still stale after Reorder")
	}
	if got := lookup(); got != stale {
		t.Errorf("lookup by key:\n%s\nfrom the sources:\n%s", got, stale)
	}
	for table, col := range checks {
		if got := dump("SELECT * FROM " + table + " ORDER BY ALL"); got != before[table] {
			t.Errorf("%s changed:\n%s\nwas\n%s", table, got, before[table])
		}
		if got := dump("SELECT count(*) FROM (SELECT " + col + " < lag(" + col + ") OVER (ORDER BY rowid) AS down FROM " + table + ") WHERE down"); got != "[[0]]" {
			t.Errorf("%s is not in order of %s after Reorder: %s rows out of order", table, col, got)
		}
	}
}

// tableRows returns the rows of tab as sorted strings.
func tableRows(tab *cipmap.Table) []string {
	var out []string
	for _, r := range tab.Rows {
		out = append(out, fmt.Sprint(r...))
	}
	slices.Sort(out)
	return out
}
