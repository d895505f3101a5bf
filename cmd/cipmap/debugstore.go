package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
)

// debugStore writes the time of every query, entity read and search to W: set
// CIPMAP_DEBUG_SQL=1 to see where a command or a page spends its time, and
// CIPMAP_DEBUG_SQL=full to see each query whole (to EXPLAIN ANALYZE it).
type debugStore struct {
	cipmap.Store
	W    io.Writer
	Full bool
}

func (s debugStore) log(t0 time.Time, rows int, what string) {
	what = strings.Join(strings.Fields(what), " ")
	if !s.Full && len(what) > 110 {
		what = what[:110]
	}
	fmt.Fprintf(s.W, "sql: %7.3f s %7d rows  %s\n", time.Since(t0).Seconds(), rows, what)
}

func (s debugStore) Query(ctx context.Context, q string, args ...any) (*cipmap.Table, error) {
	t0 := time.Now()
	t, err := s.Store.Query(ctx, q, args...)
	n := 0
	if t != nil {
		n = len(t.Rows)
	}
	s.log(t0, n, q)
	return t, err
}

func (s debugStore) Entity(ctx context.Context, id string) (*cipmap.Entity, error) {
	t0 := time.Now()
	e, err := s.Store.Entity(ctx, id)
	n := 0
	if e != nil {
		n = len(e.Statements)
	}
	s.log(t0, n, "entity "+id)
	return e, err
}

func (s debugStore) Search(ctx context.Context, q cipmap.SearchQuery) ([]cipmap.SearchHit, error) {
	t0 := time.Now()
	h, err := s.Store.Search(ctx, q)
	s.log(t0, len(h), "search "+q.Text)
	return h, err
}

func (s debugStore) Lookup(ctx context.Context, q cipmap.LookupQuery) (*cipmap.Table, error) {
	t0 := time.Now()
	t, err := sqlview.Lookup(ctx, s.Store, q)
	n := 0
	if t != nil {
		n = len(t.Rows)
	}
	s.log(t0, n, fmt.Sprintf("lookup %d ids %v", len(q.IDs), q.Sides))
	return t, err
}

// Captions forwards to the store's, which answers from memory.
func (s debugStore) Captions(ids []string) map[string]cipmap.Caption {
	if c, ok := s.Store.(cipmap.Captioner); ok {
		return c.Captions(ids)
	}
	return nil
}

func (s debugStore) Statements(ctx context.Context, f cipmap.StatementFilter, fn func(*cipmap.Statement) error) error {
	t0 := time.Now()
	n := 0
	err := s.Store.Statements(ctx, f, func(st *cipmap.Statement) error {
		n++
		return fn(st)
	})
	s.log(t0, n, fmt.Sprintf("statements of %d ids %q %v", len(f.EntityIDs), f.EntityID, f.Properties))
	return err
}
