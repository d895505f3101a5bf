package ownership

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
)

// AroundLimit caps the entities Around reads on either side of its entity. An
// ownership chain longer than the limit is cut there, and Around says so.
const AroundLimit = 5000

// Neighbourhood is the ownership graph around some entities: their owners and
// controllers up to the ultimate ones, with all the holders of each; and, when asked,
// what they hold down to the last level, with the other holders of each. Its View
// answers Up, Classify and StateShare of the entities, and Down when asked,
// exactly as the view of the whole graph does: they depend on nothing else.
type Neighbourhood struct {
	*View
	// Cut says that a side reached AroundLimit entities per entity asked about
	// and was cut.
	Cut bool
}

// Around builds the Neighbourhood of ids on day from a store's edges table (the
// holdings and controls, by from_id and to_id: a scan of the table per level in
// DuckDB, which has no index on them, 0.15 s at a million firms) and the
// statements of the entities found (read as AddEntity reads them). A firm page, or
// the ownership mix of a sector, needs this and no more: building the view of the
// whole graph, as cipmap ownership does, takes minutes at a million firms.
func Around(ctx context.Context, st cipmap.Store, ids []string, day Date, opt Options, down bool) (*Neighbourhood, error) {
	id := strings.Join(ids, ", ")
	if len(ids) > 3 {
		id = fmt.Sprintf("%d entities", len(ids))
	}
	limit := AroundLimit * max(1, len(ids))
	nodes := map[string]bool{}
	for _, x := range ids {
		nodes[x] = true
	}
	rels := map[string]bool{}
	cut := false
	// walk follows edges of the kinds in kinds (schema, role and target) from the
	// frontier, which is at their side end ("from" or "to"), to the entities at the
	// other end; depth 1 stops after the first step. It returns the entities
	// reached. Each step is one lookup (sqlview.Lookup), which DuckDB answers by
	// key for up to a few hundred entities.
	walk := func(start []string, kinds [][3]string, side, other string, depth int) ([]string, error) {
		frontier := start
		seen := map[string]bool{}
		for _, s := range start {
			seen[s] = true
		}
		var reached []string
		for step := 0; len(frontier) > 0 && (depth == 0 || step < depth); step++ {
			if len(seen) > limit {
				cut = true
				return reached, nil
			}
			var next []string
			for len(frontier) > 0 {
				n := min(len(frontier), 100000)
				t, err := sqlview.Lookup(ctx, st, cipmap.LookupQuery{IDs: frontier[:n], Sides: []string{side},
					Columns: []string{"id", other, "schema", "role", "target"}})
				if err != nil {
					return nil, fmt.Errorf("ownership around %s: %w", id, err)
				}
				frontier = frontier[n:]
				for _, r := range t.Rows {
					if !slices.Contains(kinds, [3]string{text(r[2]), text(r[3]), text(r[4])}) {
						continue
					}
					rel, end := text(r[0]), text(r[1])
					rels[rel] = true
					if end != "" && !seen[end] {
						seen[end] = true
						nodes[end] = true
						next = append(next, end)
						reached = append(reached, end)
					}
				}
			}
			frontier = next
		}
		return reached, nil
	}
	holds := [][3]string{{"Ownership", "owner", "asset"}}
	// Up: the owners and controllers, theirs, and so on, with all their holders.
	if _, err := walk(ids, append(holds, [3]string{"Control", "controller", "controlled"}), "to", "from_id", 0); err != nil {
		return nil, err
	}
	// Down: what they hold, and what that holds; and every other holder of those,
	// whose stated shares bound the ranges of their stakes.
	if down {
		below, err := walk(ids, holds, "from", "to_id", 0)
		if err != nil {
			return nil, err
		}
		if _, err := walk(below, holds, "to", "from_id", 1); err != nil {
			return nil, err
		}
	}
	// The nodes' and relations' statements, an entity at a time, as the builder
	// takes them.
	read := make([]string, 0, len(nodes)+len(rels))
	for n := range nodes {
		read = append(read, n)
	}
	for r := range rels {
		read = append(read, r)
	}
	sort.Strings(read)
	var b Builder
	if err := b.AddStore(ctx, st, cipmap.StatementFilter{EntityIDs: read}); err != nil {
		return nil, fmt.Errorf("ownership around %s: %w", id, err)
	}
	// An entity in no holding is still a node, so that its view answers for it.
	for _, x := range ids {
		b.AddNode(Node{ID: x})
	}
	g, err := b.Build()
	if err != nil {
		return nil, err
	}
	return &Neighbourhood{View: g.View(day, opt), Cut: cut}, nil
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func text(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// AddStore adds the entities of a store's statements that satisfy f, as AddEntity
// does, reading only the Properties it reads, an entity at a time (Grouped).
func (b *Builder) AddStore(ctx context.Context, st cipmap.Store, f cipmap.StatementFilter) error {
	f.Properties, f.Grouped = Properties, true
	var cur *cipmap.Entity
	flush := func() error {
		if cur == nil {
			return nil
		}
		// A grouped read leaves an entity's statements in no set order; the
		// builder takes the first of several values, as an ordered read gives.
		cipmap.SortStatements(cur.Statements)
		return b.AddEntity(cur)
	}
	err := st.Statements(ctx, f, func(s *cipmap.Statement) error {
		if cur == nil || cur.ID != s.EntityID {
			if err := flush(); err != nil {
				return err
			}
			cur = &cipmap.Entity{ID: s.EntityID, Schema: s.Schema}
		}
		cur.Statements = append(cur.Statements, *s)
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}
