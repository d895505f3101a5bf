package duckdb_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/storetest"
)

// indexed searches through a search index built afresh before each search, so the
// conformance suite checks the index's answers.
type indexed struct{ *duckdb.DB }

func (db indexed) Search(ctx context.Context, q cipmap.SearchQuery) ([]cipmap.SearchHit, error) {
	if _, err := db.BuildSearchIndex(ctx); err != nil {
		return nil, err
	}
	return db.DB.Search(ctx, q)
}

func TestConformanceSearchIndex(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now cipmap.Clock) cipmap.Store {
		return indexed{open(t, now).(*duckdb.DB)}
	})
}

// TestSearchIndexSameAnswers compares the index with the SQL of Search on a real
// database, CIPMAP_SEARCH_DB (such as the million-firm world), for firm names and
// parts of them.
func TestSearchIndexSameAnswers(t *testing.T) {
	path := os.Getenv("CIPMAP_SEARCH_DB")
	if path == "" {
		t.Skip("set CIPMAP_SEARCH_DB to a database to compare on")
	}
	ctx := context.Background()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	plain, err := duckdb.Open(ctx, path, duckdb.Options{Schemas: schemas, ReadOnly: true, MemoryLimit: "2GB"})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	var texts []string
	rows, err := plain.SQL().QueryContext(ctx, `SELECT min(caption) FROM entity WHERE schema IN ('Firm', 'Person', 'Policy') AND caption <> ''
		GROUP BY id ORDER BY hash(id || 'cmp') LIMIT 8`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		r := []rune(s)
		texts = append(texts, s, string(r[:len(r)/2]), string(r[len(r)/3:]))
	}
	rows.Close()
	texts = append(texts, "科技", "Co", "有")
	want := map[string][]cipmap.SearchHit{}
	for _, tx := range texts {
		if want[tx], err = plain.Search(ctx, cipmap.SearchQuery{Text: tx, Limit: 50}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := plain.BuildSearchIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("index built in %s", d)
	for _, tx := range texts {
		got, err := plain.Search(ctx, cipmap.SearchQuery{Text: tx, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want[tx]) {
			t.Errorf("%q: %d hits, want %d", tx, len(got), len(want[tx]))
			continue
		}
		for i := range got {
			g, w := got[i], want[tx][i]
			// Among values of equal score SQL picks any; compare the rest.
			g.Property, g.Value, w.Property, w.Value = "", "", "", ""
			if fmt.Sprint(g) != fmt.Sprint(w) {
				t.Errorf("%q hit %d = %+v, want %+v", tx, i, got[i], want[tx][i])
			}
		}
	}
}
