package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ownership"
)

// TestServeWholeGraph: with the whole ownership graph loaded, and with the copy in
// memory and every sector profile built ahead as well, the firm API, firm pages
// (patents by tag included) and sector profiles answer exactly as they do from
// the database and each firm's neighbourhood (--graph=false --copy=false), for firms of every kind of holding in the
// generated world (SOE groups, cycles, state funds) and for the sectors its
// patents are tagged with.
func TestServeWholeGraph(t *testing.T) {
	db, _ := traceWorld(t)
	mustRun(t, "patents", "tag", "--db", db)
	ctx := context.Background()
	var paths []string
	{
		m := NewMain()
		st, err := m.openStore(ctx, db, true)
		if err != nil {
			t.Fatal(err)
		}
		tab, err := st.Query(ctx, `SELECT DISTINCT x FROM (SELECT from_id AS x FROM edges WHERE schema = 'Ownership'
			UNION ALL SELECT to_id FROM edges WHERE schema = 'Ownership') WHERE x LIKE '%-firm-%' ORDER BY x`)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range tab.Rows {
			if i%9 == 0 {
				id := url.PathEscape(r[0].(string))
				paths = append(paths, "/api/v1/firms/"+id, "/firms/"+id)
			}
		}
		// Firms with patents, whose pages count them by tag.
		tab, err = st.Query(ctx, `SELECT DISTINCT f.applicant_id FROM patent_facts f JOIN patent_tags t USING (patent_id)
			WHERE f.applicant_id LIKE '%-firm-%' ORDER BY 1 LIMIT 40`)
		if err != nil || len(tab.Rows) < 20 {
			t.Fatalf("firms with tagged patents: %v, %v", tab, err)
		}
		for _, r := range tab.Rows {
			id := url.PathEscape(r[0].(string))
			paths = append(paths, "/api/v1/firms/"+id, "/firms/"+id)
		}
		tags, err := st.Query(ctx, `SELECT tag FROM tags WHERE system = 'ctt' GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 3`)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range tags.Rows {
			paths = append(paths, "/api/v1/sectors/"+url.PathEscape(r[0].(string)))
		}
		m.Close()
	}
	if len(paths) < 100 {
		t.Fatalf("%d paths, want a world with more firms in holdings", len(paths))
	}
	get := func(graph, copy bool) map[string]string {
		sectors := copy // and the sector profiles built ahead
		m := NewMain()
		defer m.Close()
		var log syncBuffer
		m.Stderr = &log
		h, whole, err := (&ServeCommand{m}).handler(ctx, db, 1<<20, serveOptions{graph: graph, copy: copy, sectors: sectors})
		if err != nil {
			t.Fatal(err)
		}
		day := ownership.FromTime(m.Now())
		if graph {
			select {
			case <-whole.loaded:
			case <-time.After(time.Minute):
				t.Fatal("the whole graph did not load in a minute")
			}
			if whole.on(day) == nil {
				t.Fatal("no whole graph after its load")
			}
		} else if whole.on(day) != nil {
			t.Fatal("a whole graph with --graph=false")
		}
		if made := strings.Contains(log.String(), "copy in memory made"); made != copy {
			t.Fatalf("copy %v, but the server said: %s", copy, log.String())
		}
		for i := 0; sectors && !strings.Contains(log.String(), "sector profiles built"); i++ {
			if i == 600 {
				t.Fatalf("no sector profiles built in a minute: %s", log.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
		out := map[string]string{}
		for _, p := range paths {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d: %s", p, rec.Code, rec.Body)
			}
			out[p] = rec.Body.String()
			if i := strings.Index(out[p], "%!"); i >= 0 {
				t.Errorf("GET %s: a formatting error: …%.200s", p, out[p][max(0, i-100):])
			}
		}
		return out
	}
	// The graph is loaded after the copy is made: waiting for the one waits
	// for the other.
	around, whole, copied := get(false, false), get(true, false), get(true, true)
	for _, p := range paths {
		for _, c := range []struct {
			name string
			got  map[string]string
		}{{"whole", whole}, {"copied", copied}} {
			if a, w := around[p], c.got[p]; a != w {
				i := 0
				for i < len(a) && i < len(w) && a[i] == w[i] {
					i++
				}
				from := max(0, i-200)
				t.Errorf("GET %s differs at byte %d:\n around …%.400s\n %6s …%.400s", p, i, a[from:], c.name, w[from:])
			}
		}
	}
	t.Logf("%d answers compared", len(paths))
}

// TestWholeGraphReloads: after a write the whole graph is dropped at once and
// loaded again with the new holdings; a view of another day is made in the
// background, nil until it is there.
func TestWholeGraphReloads(t *testing.T) {
	ctx := context.Background()
	m := NewMain()
	defer m.Close()
	st, err := m.openStore(ctx, filepath.Join(t.TempDir(), "g.duckdb"), false)
	if err != nil {
		t.Fatal(err)
	}
	load := func(name string, facts [][4]string) {
		t.Helper()
		_, err := st.Load(ctx, &cipmap.Dataset{Name: name, Version: "1"}, func(w cipmap.Writer) error {
			for i, f := range facts {
				if err := w.Statement(&cipmap.Statement{EntityID: f[0], Schema: f[1], Property: f[2], Value: f[3],
					Source: fmt.Sprint(name, ".csv:", i+2)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	load("a", [][4]string{{"gov", "GovBody", "name", "某市国资委"}, {"gov", "GovBody", "level", "municipal"},
		{"firm", "Firm", "name", "某某有限公司"}, {"o1", "Ownership", "owner", "gov"}, {"o1", "Ownership", "asset", "firm"},
		{"o1", "Ownership", "percentage", "60"}})
	w := newWholeGraph(st, m.Now, t.Logf)
	w.start(ctx)
	select {
	case <-w.loaded:
	case <-time.After(30 * time.Second):
		t.Fatal("no load in 30 s")
	}
	day := ownership.FromTime(m.Now())
	v := w.on(day)
	if v == nil {
		t.Fatal("no view after the load")
	}
	if up, err := v.Up("firm"); err != nil || len(up) != 1 {
		t.Fatalf("up of firm: %v, %v", up, err)
	}
	load("b", [][4]string{{"p", "Person", "name", "张三"}, {"o2", "Ownership", "owner", "p"}, {"o2", "Ownership", "asset", "firm"},
		{"o2", "Ownership", "percentage", "40"}})
	w.changed(ctx)
	if w.on(day) != nil {
		t.Error("the old graph is still served after a write")
	}
	until := func(what string, ok func() bool) {
		t.Helper()
		for end := time.Now().Add(30 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("%s: not in 30 s", what)
			}
		}
	}
	until("the graph with the new holding", func() bool {
		v := w.on(day)
		if v == nil {
			return false
		}
		up, err := v.Up("firm")
		return err == nil && len(up) == 2
	})
	other := day - 400
	if v := w.on(other); v != nil && v.Date() != other {
		t.Errorf("a view of %s for %s", v.Date(), other)
	}
	until("a view of another day", func() bool { v := w.on(other); return v != nil && v.Date() == other })
}

// syncBuffer is a buffer the server's background jobs may write to while a test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
