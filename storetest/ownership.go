package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
	"github.com/cipmap/cipmap/ownership"
)

// groupFacts are an SOE group in small, stated by two datasets: a SASAC holds a
// group (registered wholly state-owned) that holds two firms, one also held by a
// foreign person and a private firm; a control; a director; a stake stated with two
// percentages; ids in mixed case, which PostgreSQL's collation sorts otherwise than
// by their bytes.
var groupFacts = []fact{
	{"sasac", "GovBody", "name", "国务院国有资产监督管理委员会", "g.csv:1"},
	{"sasac", "GovBody", "level", "central", "g.csv:1"},
	{"sasac", "GovBody", "kind", "国资委", "g.csv:1"},
	{"Group", "Firm", "name", "中国某某集团有限公司", "g.csv:2"},
	{"Group", "Firm", "legal_form", "国有独资", "g.csv:2"},
	{"firm-a", "Firm", "name", "某某科技股份有限公司", "g.csv:3"},
	{"firm-a", "Firm", "country", "CN", "g.csv:3"},
	{"Firm-b", "Firm", "name", "某某材料有限公司", "g.csv:4"},
	{"priv", "Firm", "name", "民营投资有限公司", "g.csv:5"},
	{"pers", "Person", "name", "John Smith", "g.csv:6"},
	{"pers", "Person", "nationality", "US", "g.csv:6"},
	{"own-1", "Ownership", "owner", "sasac", "g.csv:7"},
	{"own-1", "Ownership", "asset", "Group", "g.csv:7"},
	{"own-1", "Ownership", "percentage", "100", "g.csv:7"},
	{"own-2", "Ownership", "owner", "Group", "g.csv:8"},
	{"own-2", "Ownership", "asset", "firm-a", "g.csv:8"},
	{"own-2", "Ownership", "percentage", "51", "g.csv:8"},
	{"own-2", "Ownership", "start_date", "2010-01-01", "g.csv:8"},
	{"own-3", "Ownership", "owner", "pers", "g.csv:9"},
	{"own-3", "Ownership", "asset", "firm-a", "g.csv:9"},
	{"own-3", "Ownership", "percentage", "20", "g.csv:9"},
	{"own-4", "Ownership", "owner", "Group", "g.csv:10"},
	{"own-4", "Ownership", "asset", "Firm-b", "g.csv:10"},
	{"own-4", "Ownership", "percentage", "30", "g.csv:10"},
	{"own-5", "Ownership", "owner", "priv", "g.csv:11"},
	{"own-5", "Ownership", "asset", "Firm-b", "g.csv:11"},
	{"own-5", "Ownership", "percentage", "70", "g.csv:11"},
	{"own-5", "Ownership", "end_date", "2001-12-31", "g.csv:11"},
	{"ctl-1", "Control", "controller", "Group", "g.csv:12"},
	{"ctl-1", "Control", "controlled", "Firm-b", "g.csv:12"},
	{"ctl-1", "Control", "role", "实际控制人", "g.csv:12"},
	{"dir-1", "Directorship", "director", "pers", "g.csv:13"},
	{"dir-1", "Directorship", "organization", "firm-a", "g.csv:13"},
	{"dir-1", "Directorship", "role", "董事", "g.csv:13"},
}

// groupRestated states two of the stakes again, one with another percentage.
var groupRestated = []fact{
	{"own-3", "Ownership", "owner", "pers", "r.csv:1"},
	{"own-3", "Ownership", "asset", "firm-a", "r.csv:1"},
	{"own-3", "Ownership", "percentage", "25", "r.csv:1"},
	{"own-4", "Ownership", "owner", "Group", "r.csv:2"},
	{"own-4", "Ownership", "asset", "Firm-b", "r.csv:2"},
	{"own-4", "Ownership", "percentage", "30", "r.csv:2"},
}

// testOwnershipLoad checks that the whole ownership graph as the store aggregates
// it (ownership.LoadStore, which streams with QueryEach) answers every question
// about every node as the graph built from the entities' statements does, and that
// QueryEach streams what Query returns and refuses what Query refuses.
func testOwnershipLoad(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := context.Background()
	load(t, s, "group", "v1", groupFacts)
	load(t, s, "restated", "v1", groupRestated)

	var b ownership.Builder
	if err := b.AddStore(ctx, s, cipmap.StatementFilter{Schemas: []string{"Firm", "Person", "GovBody", "Fund", "Ownership", "Control", "Directorship"}}); err != nil {
		t.Fatal(err)
	}
	ref, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := ownership.LoadStore(ctx, s, ownership.LoadOptions{Positions: true})
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Len() != ref.Len() || loaded.Holdings() != ref.Holdings() || loaded.Len() != 6 || loaded.Holdings() != 6 {
		t.Fatalf("loaded %d nodes and %d holdings, built %d and %d; want 6 and 6", loaded.Len(), loaded.Holdings(), ref.Len(), ref.Holdings())
	}
	show := func(v any, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprintf("%+v", v)
	}
	day := ownership.MustDate("2024-06-30")
	got, want := loaded.At(day), ref.At(day)
	for _, id := range []string{"sasac", "Group", "firm-a", "Firm-b", "priv", "pers", "nobody"} {
		for _, c := range []struct {
			what      string
			got, want string
		}{
			{"up", show(got.Up(id)), show(want.Up(id))},
			{"down", show(got.Down(id)), show(want.Down(id))},
			{"classify", show(got.Classify(id)), show(want.Classify(id))},
			{"people", show(got.People(id)), show(want.People(id))},
			{"class", show(got.Analysis().Class(id)), show(want.Analysis().Class(id))},
		} {
			if c.got != c.want {
				t.Errorf("%s of %s:\n loaded %s\n  built %s", c.what, id, c.got, c.want)
			}
		}
	}
	if c, err := got.Analysis().Class("firm-a"); err != nil || c != ownership.ClassCentralSOE {
		t.Errorf("class of firm-a: %v, %v; want central SOE", c, err)
	}
	up, err := got.Up("firm-a")
	if err != nil || len(up) < 3 {
		t.Fatalf("up of firm-a: %v, %v", up, err)
	}

	// QueryEach hands over the rows Query returns, and refuses what it refuses.
	q := `SELECT entity_id, property, value FROM statement WHERE dataset = 'group' ORDER BY entity_id, property, value`
	tab, err := s.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var streamed [][]any
	if err := sqlview.QueryEach(ctx, s, q, nil, func(r []any) error {
		streamed = append(streamed, slices.Clone(r))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(streamed) != fmt.Sprint(tab.Rows) || len(streamed) != len(groupFacts) {
		t.Errorf("QueryEach gave %d rows, Query %d; want %d alike", len(streamed), len(tab.Rows), len(groupFacts))
	}
	err = sqlview.QueryEach(ctx, s, `DELETE FROM statement`, nil, func([]any) error { return nil })
	if cipmap.ErrorCode(err) != cipmap.EREADONLY {
		t.Errorf("QueryEach of a DELETE: %v, want EREADONLY", err)
	}
	stop := fmt.Errorf("stop")
	if err := sqlview.QueryEach(ctx, s, q, nil, func([]any) error { return stop }); err != stop {
		t.Errorf("QueryEach returned %v, want the callback's error", err)
	}
	if n, err := s.Stats(ctx); err != nil || n.Statements != int64(len(groupFacts)+len(groupRestated)) {
		t.Errorf("after the refused DELETE: %+v, %v", n, err)
	}
}

// testUseAfterClose checks that a store closed while readers still run (a server
// shutting down with pages half built) answers them with an error, not a panic,
// and that closing it again does nothing.
func testUseAfterClose(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := context.Background()
	load(t, s, "group", "v1", groupFacts)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := s.Entity(ctx, "firm-a"); err == nil {
		t.Error("Entity after Close: no error")
	}
	if _, err := s.Query(ctx, "SELECT 1"); err == nil {
		t.Error("Query after Close: no error")
	}
	if _, err := sqlview.Lookup(ctx, s, cipmap.LookupQuery{IDs: []string{"firm-a"}}); err == nil {
		t.Error("Lookup after Close: no error")
	}
	if err := s.Statements(ctx, cipmap.StatementFilter{EntityIDs: []string{"firm-a", "Group"}}, func(*cipmap.Statement) error { return nil }); err == nil {
		t.Error("Statements after Close: no error")
	}
}
