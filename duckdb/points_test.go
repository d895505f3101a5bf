package duckdb

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
	"github.com/cipmap/cipmap/schema"
)

// TestPointCopy: with the copy in memory, Statements of given entities and Lookup
// give exactly what their queries give (values, types and NULLs), for entities of
// one dataset or two, relations with and without their ends, flows with amounts,
// patents and tags, values that look like the copy's own framing, and ids that are
// not there; other reads still go to SQL, and a writable file is refused.
func TestPointCopy(t *testing.T) {
	ctx := context.Background()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.duckdb")
	clock := time.Date(2026, 3, 1, 12, 30, 15, 123456000, time.UTC)
	db, err := Open(ctx, path, Options{Schemas: schemas, Now: func() time.Time { clock = clock.Add(time.Hour); return clock }})
	if err != nil {
		t.Fatal(err)
	}
	type st struct{ id, schema, prop, value, orig, lang string }
	sets := map[string][]st{
		"a": {
			{"f1", "Firm", "name", "甲公司", "甲 公司", "zh"}, {"f1", "Firm", "name_en", "Jia Co", "", "en"},
			{"f1", "Firm", "alias", "3:x-", "", ""}, {"f1", "Firm", "alias", "-", "", ""},
			{"f1", "Firm", "alias", "a\x1eb\x1fc", "", ""}, {"f1", "Firm", "alias", "12:", "", ""},
			{"f2", "Firm", "name", "乙公司", "", ""}, {"f2", "Firm", "alias", "乙\x1f", "", ""}, {"g1", "GovBody", "alias", "\x1e", "", ""}, {"p1", "Person", "name", "张三", "", ""},
			{"g1", "GovBody", "name", "某市财政局", "", ""},
			{"o1", "Ownership", "owner", "p1", "", ""}, {"o1", "Ownership", "asset", "f1", "", ""},
			{"o1", "Ownership", "percentage", "40", "40%", ""}, {"o1", "Ownership", "start_date", "2019-05-01", "", ""},
			{"o2", "Ownership", "owner", "f2", "", ""}, {"o2", "Ownership", "asset", "f1", "", ""},
			{"o3", "Ownership", "asset", "f1", "", ""}, // no owner
			{"o4", "Ownership", "owner", "gone", "", ""}, {"o4", "Ownership", "asset", "f2", "", ""},
			{"gr1", "Grant", "giver", "g1", "", ""}, {"gr1", "Grant", "receiver", "f1", "", ""},
			{"gr1", "Grant", "amount", "1500000.5", "", ""}, {"gr1", "Grant", "currency", "CNY", "", ""},
			{"gr1", "Grant", "date", "2021-07-01", "", ""},
			{"gr2", "Grant", "receiver", "f2", "", ""}, {"gr2", "Grant", "amount", "20", "", ""},
			{"d1", "Directorship", "director", "p1", "", ""}, {"d1", "Directorship", "organization", "f1", "", ""},
			{"d1", "Directorship", "role", "董事长", "", ""},
		},
		"b": {{"f1", "Firm", "name", "甲有限公司", "", ""}, {"f1", "Firm", "name", "甲公司", "", ""},
			{"o1", "Ownership", "percentage", "45", "", ""}, {"p1", "Person", "name", "张三", "", ""}},
	}
	for _, ds := range []string{"a", "b"} {
		_, err = db.Load(ctx, &cipmap.Dataset{Name: ds, Version: "1"}, func(w cipmap.Writer) error {
			for i, s := range sets[ds] {
				if err := w.Statement(&cipmap.Statement{EntityID: s.id, Schema: s.schema, Property: s.prop, Value: s.value,
					Original: s.orig, Lang: s.lang, Dataset: ds, Source: fmt.Sprint(ds, ".csv:", i%5+2)}); err != nil {
					return err
				}
			}
			if ds != "a" {
				return nil
			}
			for _, p := range []cipmap.Patent{{PatentID: "pat1", ApplicantID: "f1", Applicants: 2}, {PatentID: "pat1", ApplicantID: "f2", Applicants: 2},
				{PatentID: "pat2", ApplicantID: "f1", Applicants: 1}, {PatentID: "pat3", ApplicantName: "某大学", Applicants: 1}} {
				if err := w.Patent(&p); err != nil {
					return err
				}
			}
			for _, pt := range []cipmap.PatentTag{{PatentID: "pat1", System: "ctt", Tag: "ai", Weight: 0.5, Mass: 0.75},
				{PatentID: "pat1", System: "ctt", Tag: "chips", Weight: 0.25, Mass: 0.75}, {PatentID: "pat2", System: "ctt", Tag: "ai", Weight: 1, Mass: 1}} {
				if err := w.PatentTag(&pt); err != nil {
					return err
				}
			}
			return w.Tag(&cipmap.TagFact{EntityID: "f1", Property: "name", Value: "甲公司", System: "ctt", Tag: "ai", Weight: 0.75, Method: "rule"})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.BuildPointCopy(ctx); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("a copy of a writable file: %v, want EINVALID", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path, Options{Schemas: schemas, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	ids := []string{"f1", "f2", "p1", "g1", "o1", "o2", "o3", "o4", "gr1", "gr2", "d1", "gone", "pat1", "pat2", "pat3", "nobody"}
	filters := []cipmap.StatementFilter{{EntityIDs: ids}, {EntityID: "f1", Dataset: "b"}, {EntityIDs: []string{"f1", "o1"}, Properties: []string{"name", "percentage"}},
		{EntityIDs: []string{"o1", "f1", "o1"}, Schemas: []string{"Ownership"}}, {EntityID: "nobody"}, {EntityID: "f2", EntityIDs: []string{"f1"}}}
	for _, id := range ids {
		filters = append(filters, cipmap.StatementFilter{EntityID: id})
	}
	var lookups []cipmap.LookupQuery
	for _, id := range ids {
		lookups = append(lookups,
			cipmap.LookupQuery{IDs: []string{id}, Sides: []string{"from", "to"}, Columns: sqlview.ByIDColumns[1:]},
			cipmap.LookupQuery{Table: "facts_by_id", IDs: []string{id}, Columns: sqlview.FactsByIDColumns[1:]})
	}
	lookups = append(lookups, cipmap.LookupQuery{IDs: ids, Sides: []string{"to"}, Columns: []string{"id", "amount", "year", "flow", "from_id"}},
		cipmap.LookupQuery{Table: "facts_by_id", IDs: ids, Sides: []string{"patent"}, Columns: []string{"weight", "end_id", "tag"}})
	read := func() (stmts [][]cipmap.Statement, tables [][][]any) {
		for _, f := range filters {
			var got []cipmap.Statement
			if err := db.Statements(ctx, f, func(s *cipmap.Statement) error { got = append(got, *s); return nil }); err != nil {
				t.Fatal(err)
			}
			stmts = append(stmts, got)
		}
		for _, q := range lookups {
			tab, err := db.Lookup(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tab.Columns, q.Columns) {
				t.Errorf("lookup %+v: columns %v", q, tab.Columns)
			}
			rows := tab.Rows
			slices.SortFunc(rows, func(a, b []any) int { return cmp.Compare(fmt.Sprintf("%#v", a), fmt.Sprintf("%#v", b)) })
			tables = append(tables, rows)
		}
		return stmts, tables
	}
	wantStmts, wantTables := read()
	info, err := db.BuildPointCopy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("copy %s", info)
	edges, err := db.Query(ctx, "SELECT count(*) FROM edges")
	if err != nil {
		t.Fatal(err)
	}
	if info.Statements != 34 || info.Entities != 14 || int64(info.Edges) != edges.Rows[0][0].(int64) || info.FactRows != 7 || info.Reread != 3 {
		t.Errorf("copy %s, %d read again; want 34 statements, 14 entities (11 with statements, an owner without, 2 tagged patents), %v edges, 7 fact rows, 3 read again (f1, f2, g1)",
			info, info.Reread, edges.Rows[0][0])
	}
	gotStmts, gotTables := read()
	n := 0
	for k, f := range filters {
		n += len(wantStmts[k])
		if !reflect.DeepEqual(gotStmts[k], wantStmts[k]) {
			t.Errorf("Statements(%+v) from the copy:\n%+v\nfrom SQL:\n%+v", f, gotStmts[k], wantStmts[k])
		}
	}
	rows := 0
	for k, q := range lookups {
		rows += len(wantTables[k])
		if !reflect.DeepEqual(gotTables[k], wantTables[k]) {
			t.Errorf("Lookup(%+v) from the copy:\n%#v\nfrom SQL:\n%#v", q, gotTables[k], wantTables[k])
		}
	}
	if n < 60 || rows < 20 {
		t.Errorf("only %d statements and %d lookup rows compared: the test world lost its relations", n, rows)
	}
	// What the copy does not answer goes to SQL: node rows, keys, scans.
	node, err := db.Lookup(ctx, cipmap.LookupQuery{IDs: []string{"f1"}, Sides: []string{"node"}, Columns: []string{"key", "caption"}})
	if err != nil || len(node.Rows) != 2 {
		t.Errorf("node rows of f1: %v, %v; want one per dataset", node, err)
	}
	all := 0
	if err := db.Statements(ctx, cipmap.StatementFilter{Schemas: []string{"Firm"}}, func(*cipmap.Statement) error { all++; return nil }); err != nil || all != 10 {
		t.Errorf("Firm statements by a scan: %d, %v; want 10", all, err)
	}
	if _, err := db.Lookup(ctx, cipmap.LookupQuery{IDs: []string{"f1"}, Sides: []string{"to"}, Columns: []string{"nope"}}); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("a bad column: %v, want EINVALID", err)
	}
	db.Close()
	if err := db.Statements(ctx, cipmap.StatementFilter{EntityID: "f1"}, func(*cipmap.Statement) error { return nil }); err == nil {
		t.Error("Statements after Close: no error")
	}
}
