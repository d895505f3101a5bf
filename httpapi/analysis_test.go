package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/cipmap/cipmap/ownership"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/money"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/sector"
	"github.com/cipmap/cipmap/taxonomy"
	"github.com/cipmap/cipmap/trace"
)

// getURL is get on any server.
func getURL(t *testing.T, base, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func getJSONURL(t *testing.T, base, path string, want int, v any) {
	t.Helper()
	code, h, body := getURL(t, base, path)
	if code != want {
		t.Fatalf("GET %s: status %d, want %d: %s", path, code, want, body)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, body)
	}
}

// busiestTag is the CTT tag with the most patent weight in the world, among tags
// with children (so the subtree matters).
func busiestTag(t *testing.T, st cipmap.Store) string {
	t.Helper()
	std, err := ctt.Load()
	if err != nil {
		t.Fatal(err)
	}
	tb, err := st.Query(context.Background(), `SELECT tag, sum(weight) AS w FROM patent_tags WHERE system = 'ctt' GROUP BY tag ORDER BY w DESC, tag`)
	if err != nil || len(tb.Rows) == 0 {
		t.Fatalf("patent tags: %v %v", tb, err)
	}
	// The root of the busiest tag: a sector with a subtree.
	path := std.Path(cell(tb.Rows[0][0]))
	if len(path) == 0 {
		t.Fatalf("tag %v not in CTT", tb.Rows[0][0])
	}
	return path[0].ID
}

func worldOptions(w *worldFixture, from, to int) sector.Options {
	rates, err := money.Load()
	if err != nil {
		panic(err)
	}
	return sector.Options{From: from, To: to, Top: 20, Rates: rates, Ownership: func(_ context.Context, ids []string) (map[string]sector.Owner, error) {
		return sector.OwnersFrom(w.view.Analyze(), ids), nil
	}}
}

// jsonDiff compares two values as JSON, numbers to a relative 1e-9 (sums of
// floating-point shares may be added in another order), and says where they differ.
func jsonDiff(t *testing.T, got, want any) string {
	t.Helper()
	var g, w any
	for _, x := range []struct {
		v   any
		out *any
	}{{got, &g}, {want, &w}} {
		b, err := json.Marshal(x.v)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, x.out); err != nil {
			t.Fatal(err)
		}
	}
	return diffAt("$", g, w)
}

func diffAt(at string, g, w any) string {
	switch w := w.(type) {
	case map[string]any:
		gm, ok := g.(map[string]any)
		if !ok || len(gm) != len(w) {
			return fmt.Sprintf("%s: got %.200v, want %.200v", at, g, w)
		}
		for k, wv := range w {
			if d := diffAt(at+"."+k, gm[k], wv); d != "" {
				return d
			}
		}
	case []any:
		ga, ok := g.([]any)
		if !ok || len(ga) != len(w) {
			return fmt.Sprintf("%s: got %d items, want %d", at, len(ga), len(w))
		}
		for i := range w {
			if d := diffAt(fmt.Sprintf("%s[%d]", at, i), ga[i], w[i]); d != "" {
				return d
			}
		}
	case float64:
		gf, ok := g.(float64)
		if !ok || math.Abs(gf-w) > 1e-9*math.Max(1, math.Abs(w)) {
			return fmt.Sprintf("%s: got %v, want %v", at, g, w)
		}
	default:
		if g != w {
			return fmt.Sprintf("%s: got %v, want %v", at, g, w)
		}
	}
	return ""
}

// The sector API returns what sector.Build gives on the same store, with and
// without a window of years; the second request is served from the cache.
func TestHTTPSectorMatchesBuild(t *testing.T) {
	w := theWorld(t)
	s, ts := newWorldServer(t, "")
	tag := busiestTag(t, w.store)
	std, _ := ctt.Load()
	for _, yr := range [][2]int{{0, 0}, {2016, 2021}} {
		want, err := sector.Build(context.Background(), w.store, cttTree{std}, tag, worldOptions(w, yr[0], yr[1]))
		if err != nil {
			t.Fatal(err)
		}
		if want.Firms == 0 || want.Patents.Count == 0 || len(want.ByYear) == 0 || len(want.Ownership) == 0 {
			t.Fatalf("sector %s %v has no data: %d firms, %+v patents", tag, yr, want.Firms, want.Patents)
		}
		path := "/api/v1/sectors/" + tag + yearsQuery(yr[0], yr[1])
		var got sector.Profile
		getJSONURL(t, ts.URL, path, 200, &got)
		if d := jsonDiff(t, &got, want); d != "" {
			t.Errorf("GET %s differs from sector.Build: %s", path, d)
		}
		p1, _ := s.sector(context.Background(), tag, yr[0], yr[1])
		p2, _ := s.sector(context.Background(), tag, yr[0], yr[1])
		if p1 == nil || p1 != p2 {
			t.Errorf("sector %s %v: not cached", tag, yr)
		}
	}
	if len(s.an.sectors) != 2 {
		t.Errorf("cache holds %d profiles, want 2 (one per tag and years)", len(s.an.sectors))
	}

	// Compare: the same profiles side by side, in the order asked.
	other := "new-energy"
	if other == tag {
		other = "information-technology"
	}
	var cmp sector.Comparison
	getJSONURL(t, ts.URL, "/api/v1/sectors/compare?tag="+tag+"&tag="+other, 200, &cmp)
	wantCmp, err := sector.Compare(context.Background(), w.store, cttTree{std}, []string{tag, other}, worldOptions(w, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if d := jsonDiff(t, &cmp, wantCmp); d != "" {
		t.Errorf("compare differs from sector.Compare: %s", d)
	}
	// The page shows the architecture index of each.
	code, _, body := getURL(t, ts.URL, "/sectors/compare?lang=en&tag="+tag+"&tag="+other)
	if code != 200 || !strings.Contains(body, `id="spectrum"`) || !strings.Contains(body, strconv.FormatFloat(wantCmp.Sectors[0].Architecture.Index, 'f', 3, 64)) {
		t.Errorf("compare page: %d, no spectrum or index", code)
	}
}

// countingStore counts the queries made of a store.
type countingStore struct {
	cipmap.Store
	n atomic.Int64
}

func (c *countingStore) Query(ctx context.Context, q string, args ...any) (*cipmap.Table, error) {
	c.n.Add(1)
	return c.Store.Query(ctx, q, args...)
}

// After WarmSectors, profiles are computed from the firms' facts and the kept
// bases: the same as sector.Build for every window, and a window of a sector
// whose basis is kept asks nothing of the store.
func TestHTTPSectorWarm(t *testing.T) {
	w := theWorld(t)
	st := &countingStore{Store: w.store}
	s, err := New(Config{
		Store:     st,
		Ownership: func(context.Context, []string, bool) (*ownership.View, error) { return w.view, nil },
		Logf:      t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	ctx := context.Background()
	n, err := s.WarmSectors(ctx)
	if err != nil || n < 10 {
		t.Fatalf("WarmSectors: %d, %v", n, err)
	}
	if facts, bases, bytes := s.SectorMemory(); facts == 0 || bases != n || bytes <= 0 {
		t.Fatalf("after WarmSectors: facts of %d firms, %d bases kept of %d, %d bytes", facts, bases, n, bytes)
	}
	std, _ := ctt.Load()
	tag := busiestTag(t, w.store)
	for _, tg := range []string{tag, "new-energy", "information-technology"} {
		for _, yr := range [][2]int{{0, 0}, {2016, 2021}, {2019, 0}, {0, 2017}} {
			want, err := sector.Build(ctx, w.store, cttTree{std}, tg, worldOptions(w, yr[0], yr[1]))
			if err != nil {
				t.Fatal(err)
			}
			before := st.n.Load()
			var got sector.Profile
			getJSONURL(t, ts.URL, "/api/v1/sectors/"+tg+yearsQuery(yr[0], yr[1]), 200, &got)
			if q := st.n.Load() - before; q != 0 {
				t.Errorf("%s %v: %d queries of the store, want none", tg, yr, q)
			}
			if d := jsonDiff(t, &got, want); d != "" {
				t.Errorf("%s %v differs from sector.Build: %s", tg, yr, d)
			}
			if tg == tag && (got.Firms == 0 || len(got.Resources) == 0) {
				t.Errorf("%s %v: %d firms, %d resources: want some", tg, yr, got.Firms, len(got.Resources))
			}
		}
	}
	// A write drops the facts and bases with the profiles.
	s.dataChanged()
	if s.an.facts != nil || s.an.bases != nil || s.an.basisBytes != 0 {
		t.Errorf("after a change: facts %v, %d bases, %d bytes", s.an.facts != nil, len(s.an.bases), s.an.basisBytes)
	}
}

// Each chart's CSV is the data of the profile it draws, and its SVG is served as
// an SVG document under a strict policy.
func TestHTTPSectorCharts(t *testing.T) {
	w := theWorld(t)
	_, ts := newWorldServer(t, "")
	tag := busiestTag(t, w.store)
	var p sector.Profile
	getJSONURL(t, ts.URL, "/api/v1/sectors/"+tag+"?from=2015", 200, &p)

	readCSV := func(n int) [][]string {
		t.Helper()
		code, h, body := getURL(t, ts.URL, "/sectors/"+tag+"/charts/"+strconv.Itoa(n)+".csv?from=2015")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
			t.Fatalf("chart %d csv: %d %s", n, code, h.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	f := func(s string) float64 {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return x
	}
	// 1: patents by year with bounds.
	rows := readCSV(1)
	if strings.Join(rows[0], ",") != "year,count,lower,upper" || len(rows)-1 != len(p.ByYear) {
		t.Fatalf("patents csv: %d rows %v, profile %d years", len(rows)-1, rows[0], len(p.ByYear))
	}
	for i, y := range p.ByYear {
		r := rows[i+1]
		if r[0] != strconv.Itoa(y.Year) || f(r[1]) != y.Count.Count || f(r[2]) != y.Lower || f(r[3]) != y.Upper {
			t.Errorf("patents csv row %v, profile %+v", r, y)
		}
	}
	// 2: entry.
	rows = readCSV(2)
	if len(rows)-1 != len(p.Entry) {
		t.Fatalf("entry csv: %d rows, profile %d", len(rows)-1, len(p.Entry))
	}
	for i, y := range p.Entry {
		if r := rows[i+1]; r[0] != strconv.Itoa(y.Year) || r[1] != strconv.Itoa(y.Firms) {
			t.Errorf("entry csv row %v, profile %+v", r, y)
		}
	}
	// 3: resources, the same flows by year and channel.
	rows = readCSV(3)
	want := map[string]sector.Flow{}
	for _, fl := range p.Resources {
		want[strconv.Itoa(fl.Year)+"/"+fl.Channel] = fl
	}
	if len(rows)-1 != len(want) || len(want) == 0 {
		t.Fatalf("resources csv: %d rows, profile %d", len(rows)-1, len(want))
	}
	for _, r := range rows[1:] {
		fl, ok := want[r[0]+"/"+r[1]]
		if !ok || f(r[2]) != fl.Amount || f(r[3]) != fl.State || r[4] != strconv.Itoa(fl.Flows) {
			t.Errorf("resources csv row %v, profile %+v", r, fl)
		}
	}
	// 4: ownership; 5: geography (top 15).
	rows = readCSV(4)
	for i, o := range p.Ownership {
		if r := rows[i+1]; r[0] != o.Class || r[1] != strconv.Itoa(o.Firms) || f(r[2]) != o.Patents {
			t.Errorf("ownership csv row %v, profile %+v", r, o)
		}
	}
	rows = readCSV(5)
	if n := min(15, len(p.Geography)); len(rows)-1 != n {
		t.Errorf("geography csv: %d rows, want %d", len(rows)-1, n)
	}
	for i := 1; i < len(rows); i++ {
		g := p.Geography[i-1]
		if r := rows[i]; r[0] != g.Province || r[1] != strconv.Itoa(g.Firms) {
			t.Errorf("geography csv row %v, profile %+v", r, g)
		}
	}

	// The SVG: a document of its own, one bar per year of patents.
	code, h, body := getURL(t, ts.URL, "/sectors/"+tag+"/charts/1.svg?from=2015")
	if code != 200 || h.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("svg: %d %q", code, h.Get("Content-Type"))
	}
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "sandbox") {
		t.Errorf("svg CSP %q", csp)
	}
	if !strings.HasPrefix(body, "<?xml") || !strings.Contains(body, `<svg xmlns="http://www.w3.org/2000/svg"`) || strings.Count(body, "<rect") != len(p.ByYear) {
		t.Errorf("svg: %d bars for %d years: %.200s", strings.Count(body, "<rect"), len(p.ByYear), body)
	}
	for _, bad := range []string{"/charts/0.svg", "/charts/6.svg", "/charts/1.png", "/charts/x.csv"} {
		var e errorBody
		getJSONURL(t, ts.URL, "/sectors/"+tag+bad, 404, &e)
	}
	// The page shows the charts inline, with both downloads.
	code, _, page := getURL(t, ts.URL, "/sectors/"+tag+"?from=2015&lang=zh")
	if code != 200 || strings.Count(page, "<figure") != 5 || !strings.Contains(page, "/sectors/"+tag+"/charts/3.csv?from=2015") ||
		!strings.Contains(page, "/sectors/"+tag+"/charts/1.svg?from=2015") || !strings.Contains(page, p.Name.ZH) {
		t.Errorf("sector page: %d, %d figures", code, strings.Count(page, "<figure"))
	}
}

// The tag API gives the tag, its ancestors and its whole subtree; the tag page
// lists every CTT tag with a link to its sector.
func TestHTTPTags(t *testing.T) {
	ts := newTestServer(t, "")
	std, _ := ctt.Load()
	root := std.Roots()[0]
	var tt struct {
		Tag      struct{ ID string }
		Path     []TagRef
		Children []TagRef
		Subtree  []struct{ ID string }
	}
	getJSON(t, ts, "/api/v1/tags/"+root.ID, 200, &tt)
	want, _ := cttTree{std}.Subtree(root.ID)
	var got []string
	for _, x := range tt.Subtree {
		got = append(got, x.ID)
	}
	if tt.Tag.ID != root.ID || len(tt.Path) != 0 || strings.Join(got, " ") != strings.Join(want, " ") || len(tt.Children) != len(std.Children(root.ID)) {
		t.Errorf("tag %s: %+v, want subtree %v", root.ID, tt, want)
	}
	leaf := want[len(want)-1]
	getJSON(t, ts, "/api/v1/tags/"+leaf, 200, &tt)
	if len(tt.Path) == 0 || tt.Path[0].ID != root.ID || len(tt.Subtree) != 1 {
		t.Errorf("leaf %s: %+v", leaf, tt)
	}
	code, _, body := get(t, ts, "/tags?lang=en")
	if code != 200 || strings.Count(body, `class="tag"`) != len(std.Tags) || !strings.Contains(body, root.Name.ZH) || !strings.Contains(body, root.Name.EN) {
		t.Errorf("/tags: %d, %d links for %d tags", code, strings.Count(body, `class="tag"`), len(std.Tags))
	}
}

func worldRates(t *testing.T) cipmap.Rates {
	tab, err := money.Load()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// A government body of the world whose trace reaches several firms.
func busyGovBody(t *testing.T, st cipmap.Store) (string, *trace.Result) {
	t.Helper()
	ctx := context.Background()
	src := &trace.StoreSource{Store: st}
	tb, err := st.Query(ctx, `SELECT DISTINCT entity_id FROM statement WHERE schema = 'GovBody' ORDER BY entity_id LIMIT 40`)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tb.Rows {
		id := cell(r[0])
		res, err := trace.Trace(ctx, src, id, trace.Options{Depth: 5, Rates: worldRates(t), Patents: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Firms) >= 3 {
			return id, res
		}
	}
	t.Fatal("no government body reaches 3 firms")
	return "", nil
}

// The trace API gives what trace.Trace gives; the path API what trace.Paths gives.
func TestHTTPTraceMatchesTrace(t *testing.T) {
	w := theWorld(t)
	_, ts := newWorldServer(t, "")
	gov, want := busyGovBody(t, w.store)
	var got TraceResult
	getJSONURL(t, ts.URL, "/api/v1/trace?from="+url.QueryEscape(gov), 200, &got)
	if d := jsonDiff(t, got.Result, want); d != "" {
		t.Errorf("trace from %s differs from trace.Trace: %s", gov, d)
	}
	if len(got.Nodes) == 0 || got.Nodes[gov].ID != gov {
		t.Errorf("nodes: %d, from %+v", len(got.Nodes), got.Nodes[gov])
	}
	// Each chain's edges keep their dataset and source.
	for _, r := range got.Reaches {
		for _, e := range r.Chain {
			if e.Dataset == "" || e.Source == "" {
				t.Fatalf("edge without provenance: %+v", e)
			}
		}
	}
	// Narrowed to one channel and a date, to one firm.
	src := &trace.StoreSource{Store: w.store}
	ch := got.Reaches[0].Channel
	want2, err := trace.Trace(context.Background(), src, gov, trace.Options{Depth: 3, At: "2022-06-30", Channels: []string{ch}, Rates: worldRates(t), Patents: true})
	if err != nil {
		t.Fatal(err)
	}
	var got2 TraceResult
	getJSONURL(t, ts.URL, "/api/v1/trace?depth=3&at=2022-06-30&channel="+ch+"&from="+url.QueryEscape(gov), 200, &got2)
	if d := jsonDiff(t, got2.Result, want2); d != "" {
		t.Errorf("trace with channel %s: differs from trace.Trace: %s", ch, d)
	}
	firm := want.Firms[0].Firm.ID
	var got3 TraceResult
	getJSONURL(t, ts.URL, "/api/v1/trace?to="+url.QueryEscape(firm)+"&from="+url.QueryEscape(gov), 200, &got3)
	if len(got3.Firms) != 1 || got3.Firms[0].Firm.ID != firm || math.Abs(got3.Firms[0].Attributed-want.Firms[0].Attributed) > 1e-6 {
		t.Errorf("trace to %s: %+v, want %+v", firm, got3.Firms, want.Firms[0])
	}
	// The page: the firms reached with amounts in yuan, and each chain's provenance.
	code, _, body := getURL(t, ts.URL, "/trace?lang=en&from="+url.QueryEscape(gov))
	if code != 200 || strings.Count(body, "<li>") < len(want.Reaches) && len(want.Reaches) <= maxReaches ||
		!strings.Contains(body, (&page{}).Yuan(want.Firms[0].Attributed)) || !strings.Contains(body, want.Reaches[0].Chain[0].Source) {
		t.Errorf("trace page: %d, %d chain steps for %d reaches", code, strings.Count(body, "<li>"), len(want.Reaches))
	}

	// Paths between the body and a firm it reached.
	schemas, _ := schema.Load()
	wantP, err := trace.Paths(context.Background(), src, gov, firm, trace.AllRoles(schemas), trace.PathOptions{Max: 5, MaxLength: 8})
	if err != nil || len(wantP) == 0 {
		t.Fatalf("paths: %v %v", wantP, err)
	}
	var gotP PathResult
	getJSONURL(t, ts.URL, "/api/v1/path?a="+url.QueryEscape(gov)+"&b="+url.QueryEscape(firm), 200, &gotP)
	if d := jsonDiff(t, gotP.Paths, wantP); d != "" || gotP.A.ID != gov || gotP.B.ID != firm {
		t.Errorf("path differs from trace.Paths: %s", d)
	}
	code, _, body = getURL(t, ts.URL, "/path?a="+url.QueryEscape(gov)+"&b="+url.QueryEscape(firm))
	if code != 200 || strings.Count(body, `class="path"`) != len(wantP) {
		t.Errorf("path page: %d, %d chains, want %d", code, strings.Count(body, `class="path"`), len(wantP))
	}
}

// Bad requests get JSON errors with codes.
func TestHTTPAnalysisErrors(t *testing.T) {
	ts := newTestServer(t, "")
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/tags/no-such-tag", 404, "not_found"},
		{"/api/v1/sectors/no-such-tag", 404, "not_found"},
		{"/api/v1/sectors/industrial-robots?from=abc", 400, "invalid"},
		{"/api/v1/sectors/industrial-robots?from=2020&to=2010", 400, "invalid"},
		{"/api/v1/sectors/compare", 400, "invalid"},
		{"/api/v1/sectors/compare?tag=industrial-robots&tag=nope", 404, "not_found"},
		{"/api/v1/trace", 400, "invalid"},
		{"/api/v1/trace?from=x&depth=0", 400, "invalid"},
		{"/api/v1/trace?from=x&depth=99", 400, "invalid"},
		{"/api/v1/trace?from=x&at=yesterday", 400, "invalid"},
		{"/api/v1/trace?from=x&channel=bribes", 400, "invalid"},
		{"/api/v1/trace?from=no-such-entity-anywhere", 404, "not_found"},
		{"/api/v1/path?a=x", 400, "invalid"},
		{"/api/v1/review?limit=-1", 400, "invalid"},
		{"/sectors/no-such-tag/charts/1.svg", 404, "not_found"},
	} {
		var e errorBody
		getJSON(t, ts, tc.path, tc.status, &e)
		if e.Error.Code != tc.code || e.Error.Message == "" {
			t.Errorf("%s: %+v, want code %s", tc.path, e, tc.code)
		}
	}
	if code, _, _ := get(t, ts, "/sectors/no-such-tag"); code != 404 {
		t.Errorf("sector page of no tag: %d", code)
	}
}

// The attacking names render as text in a sector's firms, a trace's results, the
// review queue, paths and the crosswalk's echo of its input.
func TestHTTPAnalysisEscapes(t *testing.T) {
	ts := newTestServer(t, "")
	x1, _, _, _ := addAnalysisFixture(t, ts)
	g1 := ts.firmIDAny(t, "国务院国有资产")
	pages := []string{
		"/sectors/" + xssTag,
		"/sectors/" + xssTag + "?lang=zh",
		"/trace?from=" + url.QueryEscape(g1),
		"/trace?from=" + url.QueryEscape(g1) + "&to=" + xssTag,
		"/path?a=" + url.QueryEscape(g1) + "&b=" + url.QueryEscape(x1),
		"/review",
		"/crosswalk?from=gbt4754-2017&to=ctt&code=" + url.QueryEscape(xssScript),
		"/crosswalk?text=" + url.QueryEscape(xssImg+" 工业机器人 "+xssScript),
		"/firms/" + url.PathEscape(x1),
	}
	for _, p := range pages {
		code, h, body := get(t, ts, p)
		if code != 200 && !strings.HasPrefix(p, "/crosswalk?from") {
			t.Errorf("%s: %d", p, code)
			continue
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s: no CSP", p)
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "<img") {
			t.Errorf("%s: raw markup from the data in the page", p)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("%s: the names are not shown as text", p)
		}
	}
	// The sector holds the tagged firms; the trace reaches both, with amounts.
	var p sector.Profile
	getJSON(t, ts, "/api/v1/sectors/"+xssTag, 200, &p)
	if p.Firms != 3 {
		t.Errorf("sector %s: %d firms, want 3", xssTag, p.Firms)
	}
	_, _, body := get(t, ts, "/trace?lang=en&from="+url.QueryEscape(g1))
	if !strings.Contains(body, "1,000,000.00") || !strings.Contains(body, "250,000.50") || !strings.Contains(body, "grants.csv:2") {
		t.Errorf("trace page: no amounts or sources")
	}
	// The firm page links its sector.
	_, _, body = get(t, ts, "/firms/"+url.PathEscape(x1))
	if !strings.Contains(body, `href="/sectors/`+xssTag+`"`) {
		t.Errorf("firm page: no link to its sector")
	}
}

// The crosswalk page shows each edge with its weight and source, and the words that
// tagged a text.
func TestHTTPCrosswalkPage(t *testing.T) {
	ts := newTestServer(t, "")
	reg, _ := taxonomy.Default()
	es, err := reg.Edges("gbt4754-2017", "3442", "sei2018")
	if err != nil || len(es) == 0 {
		t.Fatalf("edges: %v %v", es, err)
	}
	code, _, body := get(t, ts, "/crosswalk?lang=en&from=gbt4754-2017&to=sei2018&code=3442")
	if code != 200 || !strings.Contains(body, `id="edges"`) || !strings.Contains(body, es[0].Source) ||
		!strings.Contains(body, strconv.FormatFloat(es[0].Weight, 'f', 4, 64)) {
		t.Errorf("crosswalk page: %d, edge %+v not shown", code, es[0])
	}
	code, _, body = get(t, ts, "/crosswalk?lang=en&text="+url.QueryEscape("工业机器人用精密减速器"))
	if code != 200 || !strings.Contains(body, "<mark>精密减速器</mark>") {
		t.Errorf("tag page: %d, no evidence", code)
	}
	code, _, body = get(t, ts, "/crosswalk?from=nosuch&to=ctt&code=1")
	if code != 400 || !strings.Contains(body, `id="convert-error"`) {
		t.Errorf("bad system: %d", code)
	}
}

// The review queue is paged, most probable first, with both records.
func TestHTTPReviewQueue(t *testing.T) {
	ts := newTestServer(t, "")
	x1, x2, huawei, _ := addAnalysisFixture(t, ts)
	var all, p1, p2 ReviewPage
	getJSON(t, ts, "/api/v1/review", 200, &all)
	getJSON(t, ts, "/api/v1/review?limit=1", 200, &p1)
	getJSON(t, ts, "/api/v1/review?limit=1&offset=1", 200, &p2)
	if all.Total != 2 || len(all.Pairs) != 2 || !p1.More || len(p1.Pairs) != 1 || p2.More || len(p2.Pairs) != 1 {
		t.Fatalf("pages: %+v %+v %+v", all, p1, p2)
	}
	first := p1.Pairs[0]
	if first.Probability != 0.7 || first.Left.ID != min(x1, x2) || !strings.Contains(first.Explanation, xssScript) ||
		first.Left.Props["name"] == nil {
		t.Errorf("first pair %+v", first)
	}
	if p2.Pairs[0].Left.Caption == "" || (p2.Pairs[0].Left.ID != huawei && p2.Pairs[0].Right.ID != huawei) {
		t.Errorf("second pair %+v", p2.Pairs[0])
	}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// judgementCount counts the stored judgements.
func judgementCount(t *testing.T, st cipmap.Store) int64 {
	t.Helper()
	tb, err := st.Query(context.Background(), `SELECT count(*) FROM judgements WHERE dataset = 'judgements'`)
	if err != nil {
		t.Fatal(err)
	}
	return cellInt(tb.Rows[0][0])
}

// Review writes from the pages: refused (403) without a token configured; 401
// without signing in or with a wrong token; 403 without the form's CSRF field;
// recorded with all three. Refused writes change nothing in the database.
func TestHTTPReviewWrites(t *testing.T) {
	tsFix := newTestServer(t, "")
	x1, x2, _, _ := addAnalysisFixture(t, tsFix)
	st := tsFix.store
	serve := func(token string, tls bool) *httptest.Server {
		cfg := Config{Store: st, Token: token, Logf: t.Logf, Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}
		if token != "" {
			cfg.Judge = storeJudge(st)
		}
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var h *httptest.Server
		if tls {
			h = httptest.NewTLSServer(s)
		} else {
			h = httptest.NewServer(s)
		}
		t.Cleanup(h.Close)
		return h
	}
	post := func(h *httptest.Server, path string, form url.Values, cookie *http.Cookie) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", h.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != nil {
			req.AddCookie(cookie)
		}
		c := h.Client()
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	judge := url.Values{"left_id": {x1}, "right_id": {x2}, "decision": {"different"}}
	before := judgementCount(t, st)

	open := serve("", false)
	if r := post(open, "/signin", url.Values{"token": {"anything"}}, nil); r.StatusCode != 403 || len(r.Cookies()) != 0 {
		t.Errorf("sign-in without a token configured: %d %v", r.StatusCode, r.Cookies())
	}
	if r := post(open, "/review", judge, nil); r.StatusCode != 403 {
		t.Errorf("write without a token configured: %d, want 403", r.StatusCode)
	}

	h := serve("s3cret", false)
	if r := post(h, "/review", judge, nil); r.StatusCode != 401 {
		t.Errorf("write without signing in: %d, want 401", r.StatusCode)
	}
	for _, c := range []*http.Cookie{{Name: sessionCookie, Value: "s3cret"}, {Name: sessionCookie, Value: strings.Repeat("0", 64)}} {
		if r := post(h, "/review", judge, c); r.StatusCode != 401 {
			t.Errorf("write with a forged cookie %q: %d, want 401", c.Value, r.StatusCode)
		}
	}
	for _, tok := range []string{"", "wrong", "s3cret2", "S3CRET"} {
		if r := post(h, "/signin", url.Values{"token": {tok}}, nil); r.StatusCode != 401 || len(r.Cookies()) != 0 {
			t.Errorf("sign-in with %q: %d %v, want 401 and no cookie", tok, r.StatusCode, r.Cookies())
		}
	}
	r := post(h, "/signin", url.Values{"token": {"s3cret"}}, nil)
	if r.StatusCode != 303 || len(r.Cookies()) != 1 {
		t.Fatalf("sign-in: %d %v", r.StatusCode, r.Cookies())
	}
	session := r.Cookies()[0]
	if !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Secure || strings.Contains(session.Value, "s3cret") {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, not Secure over plain HTTP, no token in it", session)
	}
	// The review page carries the CSRF field in each form.
	req, _ := http.NewRequest("GET", h.URL+"/review", nil)
	req.AddCookie(session)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRE.FindSubmatch(page)
	if m == nil || bytes.Count(page, []byte(`action="/review" method="post"`)) != 6 {
		t.Fatalf("review page signed in: no CSRF field or not 3 buttons for each of 2 pairs")
	}
	csrf := string(m[1])
	if r := post(h, "/review", judge, session); r.StatusCode != 403 {
		t.Errorf("write without the CSRF field: %d, want 403", r.StatusCode)
	}
	bad := url.Values{"csrf": {strings.Repeat("a", len(csrf))}}
	for k, v := range judge {
		bad[k] = v
	}
	if r := post(h, "/review", bad, session); r.StatusCode != 403 {
		t.Errorf("write with a wrong CSRF field: %d, want 403", r.StatusCode)
	}
	if got := judgementCount(t, st); got != before {
		t.Fatalf("refused writes changed the judgements: %d, was %d", got, before)
	}
	// A bad decision is refused too, and records nothing.
	wrong := url.Values{"csrf": {csrf}, "left_id": {x1}, "right_id": {x1}, "decision": {"same"}}
	if r := post(h, "/review", wrong, session); r.StatusCode != 400 {
		t.Errorf("a pair of one record: %d, want 400", r.StatusCode)
	}
	good := url.Values{"csrf": {csrf}}
	for k, v := range judge {
		good[k] = v
	}
	r = post(h, "/review", good, session)
	if r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/review?") {
		t.Fatalf("write with the token: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if got := judgementCount(t, st); got != before+1 {
		t.Errorf("judgements %d, want %d", got, before+1)
	}
	tb, _ := st.Query(context.Background(), `SELECT decision, decided_at FROM judgements WHERE dataset = 'judgements' AND left_id = $1 AND right_id = $2`, min(x1, x2), max(x1, x2))
	if len(tb.Rows) != 1 || cell(tb.Rows[0][0]) != "different" || cell(tb.Rows[0][1]) != "2026-01-02T03:04:05Z" {
		t.Errorf("stored judgement %v", tb.Rows)
	}
	// The pair has left the queue.
	var q ReviewPage
	getJSONURL(t, h.URL, "/api/v1/review", 200, &q)
	if q.Total != 1 {
		t.Errorf("queue after a decision: %d pairs, want 1", q.Total)
	}

	// Over TLS the cookie is Secure.
	hs := serve("s3cret", true)
	if r := post(hs, "/signin", url.Values{"token": {"s3cret"}}, nil); r.StatusCode != 303 || len(r.Cookies()) != 1 || !r.Cookies()[0].Secure {
		t.Errorf("sign-in over TLS: %d %+v", r.StatusCode, r.Cookies())
	}
}

// The API routes of this file are all in the OpenAPI document (the document test
// checks both ways); the UI routes are served.
func TestHTTPAnalysisRoutes(t *testing.T) {
	ts := newTestServer(t, "")
	for _, p := range []string{"/tags", "/crosswalk", "/trace", "/path", "/review", "/signin", "/static/analysis.css"} {
		if code, _, _ := get(t, ts, p); code != 200 {
			t.Errorf("%s: %d", p, code)
		}
	}
	s, _ := New(Config{Store: ts.store})
	var got []string
	for _, r := range s.Routes() {
		if strings.Contains(r, "/sectors") || strings.Contains(r, "/trace") || strings.Contains(r, "/review") {
			got = append(got, r)
		}
	}
	sort.Strings(got)
	if len(got) < 9 {
		t.Errorf("routes: %v", got)
	}
}
