package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ownership"
)

// TestOwnershipAround: the neighbourhood of every entity in a holding of the
// generated world (SOE groups, cycles, state funds) answers Up, Down, Classify and
// StateShare exactly as the view of the whole graph does.
func TestOwnershipAround(t *testing.T) {
	db, _ := traceWorld(t)
	ctx := context.Background()
	m := NewMain()
	defer m.Close()
	whole, err := m.ownershipView(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	st, err := m.openStore(ctx, db, true)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := st.Query(ctx, `SELECT DISTINCT x FROM (SELECT from_id AS x FROM edges WHERE schema = 'Ownership'
		UNION ALL SELECT to_id FROM edges WHERE schema = 'Ownership') ORDER BY x`)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) < 1000 {
		t.Fatalf("%d entities in holdings, want a world with more", len(tab.Rows))
	}
	show := func(v any, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprintf("%+v", v)
	}
	state, checked := 0, 0
	for i, r := range tab.Rows {
		id := r[0].(string)
		if i%7 != 0 { // a seventh of them keeps the test quick
			continue
		}
		n, err := ownership.Around(ctx, st, []string{id}, whole.Date(), ownership.DefaultOptions(), true)
		if err != nil {
			t.Fatalf("around %s: %v", id, err)
		}
		if n.Cut {
			t.Errorf("around %s: cut", id)
		}
		for _, c := range []struct {
			what      string
			got, want string
		}{
			{"up", show(n.Up(id)), show(whole.Up(id))},
			{"down", show(n.Down(id)), show(whole.Down(id))},
			{"classify", show(n.Classify(id)), show(whole.Classify(id))},
			{"state share", show(n.StateShare(id)), show(whole.StateShare(id))},
		} {
			if c.got != c.want {
				t.Errorf("%s of %s:\n around %s\n  whole %s", c.what, id, c.got, c.want)
			}
		}
		if cls, err := whole.Classify(id); err == nil && cls.State.Total.Hi > 0 {
			state++
		}
		checked++
	}
	// All of them at once, up only, as a sector's ownership mix asks.
	var all []string
	for _, r := range tab.Rows {
		all = append(all, r[0].(string))
	}
	n, err := ownership.Around(ctx, st, all, whole.Date(), ownership.DefaultOptions(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range all {
		if got, want := show(n.Classify(id)), show(whole.Classify(id)); got != want {
			t.Errorf("classify of %s among all:\n around %s\n  whole %s", id, got, want)
		}
		if got, want := show(n.StateShare(id)), show(whole.StateShare(id)); got != want {
			t.Errorf("state share of %s among all:\n around %s\n  whole %s", id, got, want)
		}
	}
	if state == 0 {
		t.Errorf("no entity with a state share among %d checked", checked)
	}
	t.Logf("%d entities checked, %d with a state share", checked, state)
}

// TestOwnershipLoadStore: the whole graph as LoadStore aggregates it in the store
// answers Up, Down, Classify, StateShare and People of every node exactly as the
// graph built from the entities' statements (AddStore) does.
func TestOwnershipLoadStore(t *testing.T) {
	db, _ := traceWorld(t)
	ctx := context.Background()
	m := NewMain()
	defer m.Close()
	st, err := m.openStore(ctx, db, true)
	if err != nil {
		t.Fatal(err)
	}
	var b ownership.Builder
	if err := b.AddStore(ctx, st, cipmap.StatementFilter{Schemas: []string{"Firm", "Person", "GovBody", "Fund", "Ownership", "Control", "Directorship"}}); err != nil {
		t.Fatal(err)
	}
	ref, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := ownership.LoadStore(ctx, st, ownership.LoadOptions{Positions: true})
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Len() != ref.Len() || loaded.Holdings() != ref.Holdings() {
		t.Fatalf("loaded %d nodes and %d holdings, built %d and %d", loaded.Len(), loaded.Holdings(), ref.Len(), ref.Holdings())
	}
	day := ownership.FromTime(m.Now())
	want, got := ref.At(day), loaded.At(day)
	tab, err := st.Query(ctx, `SELECT id FROM nodes WHERE schema IN ('Firm', 'Person', 'GovBody', 'Fund') ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	show := func(v any, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprintf("%+v", v)
	}
	node := func(g *ownership.Graph, id string) string {
		n, ok := g.Node(id)
		return fmt.Sprintf("%+v %v", n, ok)
	}
	wa, ga := want.Analysis(), got.Analysis()
	found := 0
	for _, r := range tab.Rows {
		id := r[0].(string)
		if _, ok := ref.Node(id); ok {
			found++
		}
		for _, c := range []struct {
			what      string
			got, want string
		}{
			{"node", node(loaded, id), node(ref, id)},
			{"up", show(got.Up(id)), show(want.Up(id))},
			{"down", show(got.Down(id)), show(want.Down(id))},
			{"classify", show(got.Classify(id)), show(want.Classify(id))},
			{"state share", show(got.StateShare(id)), show(want.StateShare(id))},
			{"people", show(got.People(id)), show(want.People(id))},
			{"class", show(ga.Class(id)), show(wa.Class(id))},
		} {
			if c.got != c.want {
				t.Fatalf("%s of %s:\n loaded %s\n  built %s", c.what, id, c.got, c.want)
			}
		}
	}
	if found < 1000 {
		t.Fatalf("%d of %d nodes in the graph, want a world with more", found, len(tab.Rows))
	}
	t.Logf("%d nodes compared", found)
}
