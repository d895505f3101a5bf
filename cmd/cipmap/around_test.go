package main

import (
	"context"
	"fmt"
	"testing"

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
