package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// BenchmarkFirmPage times firm pages of the generated world as a server with
// everything in memory serves them the first time (each iteration a page not
// kept: its query differs), over firms in holdings and firms with patents.
//
//	go test ./cmd/cipmap -run '^$' -bench FirmPage -benchtime 3000x
func BenchmarkFirmPage(b *testing.B) {
	db, _ := traceWorld(b)
	ctx := context.Background()
	m := NewMain()
	defer m.Close()
	m.Stderr = io.Discard
	st, err := m.openStore(ctx, db, true)
	if err != nil {
		b.Fatal(err)
	}
	tab, err := st.Query(ctx, `SELECT DISTINCT from_id FROM edges WHERE from_id LIKE '%-firm-%' ORDER BY 1 LIMIT 500`)
	if err != nil {
		b.Fatal(err)
	}
	h, whole, err := (&ServeCommand{m}).handler(ctx, db, 1<<20, serveOptions{graph: true, copy: true})
	if err != nil {
		b.Fatal(err)
	}
	select {
	case <-whole.loaded:
	case <-time.After(time.Minute):
		b.Fatal("no graph in a minute")
	}
	if os.Getenv("PAGE_STATS") != "" {
		var rows, size int
		for _, r := range tab.Rows {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/firms/"+url.PathEscape(r[0].(string)), nil))
			rows += strings.Count(rec.Body.String(), "<tr>")
			size += rec.Body.Len()
		}
		b.Logf("%d pages: %.1f table rows and %.0f bytes a page", len(tab.Rows), float64(rows)/float64(len(tab.Rows)), float64(size)/float64(len(tab.Rows)))
	}
	b.ResetTimer()
	for i := range b.N {
		id := tab.Rows[i%len(tab.Rows)][0].(string)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/firms/"+url.PathEscape(id)+fmt.Sprintf("?n=%d", i), nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", id, rec.Code)
		}
	}
}
