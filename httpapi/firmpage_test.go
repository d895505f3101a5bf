package httpapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
)

// templateFirmPage renders a firm page with firm.html, the page's reference, as
// uiFirm did before the page was written in Go.
func templateFirmPage(t *testing.T, s *Server, id, query string) string {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/firms/"+url.PathEscape(id)+"?"+query, nil)
	r.SetPathValue("id", id)
	p := newPage(httptest.NewRecorder(), r, "firm")
	lq, err := readList(r, flowSorts...)
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.firm(context.Background(), id, lq)
	if err != nil {
		t.Fatalf("firm %s: %v", id, err)
	}
	p.Title = f.Caption
	d := s.firmPage(context.Background(), f)
	p.Data = map[string]any{"Firm": d.Firm, "Names": d.Names, "IDs": d.IDs, "Sectors": d.Sectors}
	b, err := s.renderBytes("firm", p)
	if err != nil {
		t.Fatal(err)
	}
	// html/template writes + as &#43; in text, where html.EscapeString leaves it.
	return strings.ReplaceAll(string(b), "&#43;", "+")
}

// firmPagesMatch asks the server for the page of each firm in both languages, with
// the query (paging) and wants firm.html's bytes; it counts the pages showing each
// of sections.
func firmPagesMatch(t *testing.T, ts *testServer, ids []string, query string, sections map[string]int) {
	t.Helper()
	s := ts.Config.Handler.(*Server)
	for _, id := range ids {
		for _, lang := range []string{"zh", "en"} {
			q := "lang=" + lang + query
			resp, err := http.Get(ts.URL + "/firms/" + url.PathEscape(id) + "?" + q)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", id, resp.StatusCode)
			}
			want := templateFirmPage(t, s, id, q)
			for k := range sections {
				if strings.Contains(want, k) {
					sections[k]++
				}
			}
			if got := string(body); got != want {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				lo := max(0, i-200)
				t.Fatalf("firm %s (%s): the page differs from firm.html at byte %d:\ngo:       %q\ntemplate: %q", id, q, i,
					got[lo:min(len(got), i+200)], want[lo:min(len(want), i+200)])
			}
		}
	}
}

// The firm page written in Go is firm.html's, byte for byte, on every firm of a
// generated world (ownership, staff, flows, designations, patents and sectors)
// and of the fixture (clusters, XSS names).
func TestFirmPageTemplate(t *testing.T) {
	// Each part of the page shows on some page.
	sections := map[string]int{`<section id="ownership">`: 0, `<section id="cluster">`: 0, `<ol><li>`: 0, `<table id="up">`: 0,
		`<table id="down">`: 0, `<p class="none" id="up">`: 0, `<table id="staff">`: 0, `<table id="flows">`: 0, `<table id="flow-totals">`: 0,
		`<table id="designations">`: 0, `<table id="patents">`: 0, `<section id="sectors">`: 0, `<span class="name">`: 0, `<br><span`: 0,
		`<td><code>`: 0, `<p class="none" id="flows">`: 0, `onerror=alert(1)`: 0, `<small class="orig">`: 0, `<p class="paging">`: 0}
	for _, c := range []struct {
		name string
		ts   func(t *testing.T) *testServer
	}{
		{"fixture", func(t *testing.T) *testServer { return clusteredFixture(t) }},
		{"world", func(t *testing.T) *testServer { ts, _ := worldServer(t); return ts }},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := c.ts(t)
			tab, err := ts.store.Query(context.Background(), `SELECT DISTINCT id FROM entity WHERE schema = 'Firm' ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range tab.Rows {
				ids = append(ids, cell(r[0]))
			}
			if len(ids) < 5 {
				t.Fatalf("only %d firms", len(ids))
			}
			firmPagesMatch(t, ts, ids, "", sections)
			firmPagesMatch(t, ts, ids[:min(len(ids), 40)], "&limit=1&sort=amount", sections)
			t.Logf("%d firms, both languages", len(ids))
		})
	}
	if t.Failed() || testing.Short() {
		return
	}
	for k, n := range sections {
		if n == 0 {
			t.Errorf("no page shows %s", k)
		}
	}
	t.Logf("pages showing each part: %v", sections)
}

// clusteredFixture is the fixture's server with a resolve run that puts its first
// two firms in one cluster, and two aliases for the first.
func clusteredFixture(t *testing.T) *testServer {
	ts := newTestServer(t, "")
	ctx := context.Background()
	tab, err := ts.store.Query(ctx, `SELECT DISTINCT id FROM entity WHERE schema = 'Firm' ORDER BY id LIMIT 2`)
	if err != nil || len(tab.Rows) < 2 {
		t.Fatalf("fixture firms: %v %v", tab, err)
	}
	a, b := cell(tab.Rows[0][0]), cell(tab.Rows[1][0])
	_, err = ts.store.Load(ctx, &cipmap.Dataset{Name: "resolve", Version: "1"}, func(w cipmap.Writer) error {
		for _, m := range []cipmap.ClusterMember{
			{EntityID: a, ClusterID: "firm-c1", Probability: 1, Method: "single", Source: "resolve"},
			{EntityID: b, ClusterID: "firm-c1", LinkedTo: a, Probability: 0.8765, Method: "score",
				Explanation: `name 0.9 | <script>alert(1)</script>`, Source: "resolve"},
		} {
			if err := w.Cluster(&m); err != nil {
				return err
			}
		}
		for _, v := range []string{"别名一", `别名"><img src=x onerror=alert(1)>`} {
			if err := w.Statement(&cipmap.Statement{EntityID: a, Schema: "Firm", Property: "alias", Value: v, Source: "aliases.csv"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}
