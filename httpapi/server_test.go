package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
)

func get(t *testing.T, ts *testServer, path string, h ...string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	for i := 0; i+1 < len(h); i += 2 {
		req.Header.Set(h[i], h[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func getJSON(t *testing.T, ts *testServer, path string, want int, v any) {
	t.Helper()
	code, h, body := get(t, ts, path)
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

// Every API route is in the OpenAPI document with its method, and the document
// describes no route that is not served.
func TestHTTPOpenAPIMatchesRoutes(t *testing.T) {
	ts := newTestServer(t, "")
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	getJSON(t, ts, "/api/v1/openapi.json", 200, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q, want 3.x", doc.OpenAPI)
	}
	var documented []string
	for p, ops := range doc.Paths {
		for m := range ops {
			documented = append(documented, strings.ToUpper(m)+" "+p)
		}
	}
	s, _ := New(Config{Store: ts.store})
	var served []string
	for _, r := range s.Routes() {
		m, p, ok := strings.Cut(r, " ")
		if ok && (strings.HasPrefix(p, "/api/") || p == "/reconcile") {
			served = append(served, m+" "+p)
		}
	}
	sort.Strings(documented)
	sort.Strings(served)
	if strings.Join(documented, "\n") != strings.Join(served, "\n") {
		t.Errorf("documented:\n%s\nserved:\n%s", strings.Join(documented, "\n"), strings.Join(served, "\n"))
	}
}

func TestHTTPSearchPaging(t *testing.T) {
	ts := newTestServer(t, "")
	var all SearchPage
	getJSON(t, ts, "/api/v1/search?q=有限公司&limit=50", 200, &all)
	if len(all.Results) < 4 || all.More {
		t.Fatalf("search 有限公司: %d results, more %v", len(all.Results), all.More)
	}
	var p1, p2 SearchPage
	getJSON(t, ts, "/api/v1/search?q=有限公司&limit=2", 200, &p1)
	getJSON(t, ts, "/api/v1/search?q=有限公司&limit=2&offset=2", 200, &p2)
	if len(p1.Results) != 2 || !p1.More || len(p2.Results) != 2 {
		t.Fatalf("pages: %+v %+v", p1, p2)
	}
	if p1.Results[0].EntityID != all.Results[0].EntityID || p2.Results[0].EntityID != all.Results[2].EntityID {
		t.Errorf("pages do not follow the full list")
	}
	var en SearchPage
	getJSON(t, ts, "/api/v1/search?q=Huawei", 200, &en)
	if len(en.Results) == 0 || en.Results[0].Caption != "华为技术有限公司" {
		t.Errorf("search Huawei: %+v", en.Results)
	}
}

// Errors come as JSON with cipmap's codes and the matching status.
func TestHTTPErrors(t *testing.T) {
	ts := newTestServer(t, "")
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/entities/no-such-id", 404, "not_found"},
		{"/api/v1/firms/no-such-id", 404, "not_found"},
		{"/api/v1/search", 400, "invalid"},
		{"/api/v1/search?q=x&limit=-1", 400, "invalid"},
		{"/api/v1/search?q=x&limit=100000", 400, "invalid"},
		{"/api/v1/crosswalk?from=hs2022", 400, "invalid"},
		{"/api/v1/crosswalk?from=nosuch&to=ctt&code=1", 400, "invalid"},
		{"/api/v1/nothing", 404, "not_found"},
	} {
		var e errorBody
		getJSON(t, ts, tc.path, tc.status, &e)
		if e.Error.Code != tc.code || e.Error.Message == "" {
			t.Errorf("%s: %+v, want code %s", tc.path, e, tc.code)
		}
	}
}

// An entity comes with every statement and where it came from.
func TestHTTPEntityProvenance(t *testing.T) {
	ts := newTestServer(t, "")
	id := ts.firmID(t, "华为")
	var e struct {
		ID, Schema string
		Statements []struct{ Property, Value, Dataset, Source string }
	}
	getJSON(t, ts, "/api/v1/entities/"+url.PathEscape(id), 200, &e)
	if e.Schema != "Firm" || len(e.Statements) < 4 {
		t.Fatalf("entity: %+v", e)
	}
	for _, s := range e.Statements {
		if s.Dataset != "registry" || !strings.HasPrefix(s.Source, "firms.csv:") {
			t.Errorf("statement %+v: want dataset registry, source firms.csv:LINE", s)
		}
	}
}

// A firm: names in both scripts, its owner looked through to the central SASAC,
// what it holds, the state share and the class.
func TestHTTPFirm(t *testing.T) {
	ts := newTestServer(t, "")
	var f Firm
	getJSON(t, ts, "/api/v1/firms/"+url.PathEscape(ts.firmID(t, "alert(1)</script>有限公司")), 200, &f)
	if got := f.Names["name_en"]; len(got) != 1 || got[0] != xssScript+" Ltd" {
		t.Errorf("name_en %v", got)
	}
	o := f.Ownership
	if o == nil || len(o.Up) == 0 || len(o.Down) != 1 {
		t.Fatalf("ownership %+v", o)
	}
	var casc, sasac bool
	for _, s := range o.Up {
		casc = casc || (s.Name == "中国航天科技集团有限公司" && s.Direct != nil && s.Direct.Text == "60%")
		sasac = sasac || (s.Name == "国务院国有资产监督管理委员会" && s.Effective.Text == "60%")
	}
	if !casc || !sasac {
		t.Errorf("owners %+v: want CASC 60%% direct, SASAC 60%% effective", o.Up)
	}
	if o.StateShare == nil || o.StateShare.Text != "60%" || o.Class == "" {
		t.Errorf("state share %+v class %q", o.StateShare, o.Class)
	}
	if o.Down[0].Direct == nil || o.Down[0].Direct.Text != "51%" {
		t.Errorf("holdings %+v", o.Down)
	}
	// An entity that is not a firm is not found as one.
	var e errorBody
	getJSON(t, ts, "/api/v1/firms/"+url.PathEscape(ts.firmIDAny(t, "国务院国有资产")), 404, &e)
}

func TestHTTPDatasetsCrosswalkTag(t *testing.T) {
	ts := newTestServer(t, "")
	var d Datasets
	getJSON(t, ts, "/api/v1/datasets", 200, &d)
	if len(d.Datasets) != 1 || d.Datasets[0].Name != "registry" || d.Stats.Entities == 0 {
		t.Errorf("datasets %+v", d)
	}
	var cw struct {
		Best         struct{ Code string }
		Distribution []any
	}
	getJSON(t, ts, "/api/v1/crosswalk?from=gbt4754-2017&to=sei2018&code=3442", 200, &cw)
	if cw.Best.Code == "" || len(cw.Distribution) == 0 {
		t.Errorf("crosswalk: %+v", cw)
	}
	var tg struct {
		Tags []struct{ Tag string }
	}
	getJSON(t, ts, "/api/v1/tag?text="+url.QueryEscape("工业机器人用精密减速器"), 200, &tg)
	if len(tg.Tags) == 0 || !strings.Contains(tg.Tags[0].Tag, "reducer") {
		t.Errorf("tag: %+v", tg)
	}
}

// Writes need the token: without one configured they are refused (403); with one,
// a request without it or with a wrong one gets 401 and records nothing.
func TestHTTPWriteNeedsToken(t *testing.T) {
	post := func(ts *testServer, auth, body string) (int, string) {
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/judgements", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	open := newTestServer(t, "")
	body := `{"left_id":"` + open.firmID(t, "华为") + `","right_id":"` + open.firmID(t, "大疆") + `","decision":"different","reviewer":"t"}`
	if code, b := post(open, "Bearer anything", body); code != 403 || !strings.Contains(b, `"forbidden"`) {
		t.Errorf("no token configured: %d %s, want 403", code, b)
	}
	ts := newTestServer(t, "s3cret")
	body = `{"left_id":"` + ts.firmID(t, "华为") + `","right_id":"` + ts.firmID(t, "大疆") + `","decision":"different","reviewer":"t"}`
	for _, auth := range []string{"", "Bearer wrong", "Basic czNjcmV0", "s3cret", "Bearer s3cret2"} {
		if code, b := post(ts, auth, body); code != 401 || !strings.Contains(b, `"unauthorized"`) {
			t.Errorf("Authorization %q: %d %s, want 401", auth, code, b)
		}
	}
	if len(ts.judged) != 0 {
		t.Fatalf("refused requests recorded %v", ts.judged)
	}
	if code, b := post(ts, "Bearer s3cret", `{"left_id":"a","right_id":"a","decision":"same"}`); code != 400 {
		t.Errorf("bad judgement: %d %s", code, b)
	}
	if code, b := post(ts, "Bearer s3cret", body); code != 201 {
		t.Fatalf("with the token: %d %s", code, b)
	}
	if len(ts.judged) != 1 || ts.judged[0].Decision != "different" || ts.judged[0].Left > ts.judged[0].Right ||
		ts.judged[0].DecidedAt != "2026-01-02T03:04:05Z" {
		t.Errorf("recorded %+v", ts.judged)
	}
	// A body over the limit is refused before it is read whole.
	big := `{"note":"` + strings.Repeat("x", MaxBodyBytes+10) + `"}`
	if code, _ := post(ts, "Bearer s3cret", big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("large body: %d, want 413", code)
	}
}

func TestReconcile(t *testing.T) {
	ts := newTestServer(t, "")
	var m struct {
		Versions     []string
		Name         string
		DefaultTypes []ReconType
		View         struct{ URL string }
	}
	getJSON(t, ts, "/reconcile", 200, &m)
	if len(m.Versions) == 0 || len(m.DefaultTypes) != 1 || m.DefaultTypes[0].ID != "Firm" || !strings.Contains(m.View.URL, "{{id}}") {
		t.Errorf("manifest %+v", m)
	}
	queries := `{"q0":{"query":"华为技术有限公司","properties":[{"pid":"region","v":"深圳"}]},` +
		`"q1":{"query":"HUAWEI TECH CO LTD"},` +
		`"q2":{"query":"x","properties":[{"pid":"uscc","v":"914403007954257495"}]},` +
		`"q3":{"query":"完全不相干的名字"}}`
	resp, err := http.PostForm(ts.URL+"/reconcile", url.Values{"queries": {queries}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]struct{ Result []ReconCandidate }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	huawei, dji := ts.firmID(t, "华为"), ts.firmID(t, "大疆")
	if r := out["q0"].Result; len(r) == 0 || r[0].ID != huawei || !r[0].Match || r[0].Type[0].ID != "Firm" || r[0].Types[0].ID != "Firm" {
		t.Errorf("q0: %+v", r)
	}
	if r := out["q1"].Result; len(r) == 0 || r[0].ID != huawei {
		t.Errorf("q1 (cross-script): %+v", r)
	}
	if r := out["q2"].Result; len(r) == 0 || r[0].ID != dji || !r[0].Match {
		t.Errorf("q2 (credit code): %+v", r)
	}
	if r, ok := out["q3"]; !ok || len(r.Result) > 0 && r.Result[0].Match {
		t.Errorf("q3: %+v", r)
	}
	// GET works too; malformed queries are a 400.
	var e errorBody
	getJSON(t, ts, "/reconcile?queries="+url.QueryEscape("{not json"), 400, &e)
}

// The attacking names render as text on every page that shows them.
func TestHTTPEscapesNames(t *testing.T) {
	ts := newTestServer(t, "")
	x1, x2 := ts.firmID(t, "alert(1)</script>有限公司"), ts.firmID(t, "onerror=alert(1)>科技")
	casc := ts.firmID(t, "航天科技")
	pages := []string{
		"/search?q=" + url.QueryEscape("alert(1)"),
		"/search?q=" + url.QueryEscape(xssScript),
		"/firms/" + url.PathEscape(x1),
		"/firms/" + url.PathEscape(x2),
		"/firms/" + url.PathEscape(casc), // x1 among its holdings
		"/entities/" + url.PathEscape(x1),
		"/firms/" + url.PathEscape(x1) + "?lang=zh",
	}
	for _, p := range pages {
		code, h, body := get(t, ts, p)
		if code != 200 {
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
}

func TestHTTPLanguageToggle(t *testing.T) {
	ts := newTestServer(t, "")
	code, h, body := get(t, ts, "/?lang=zh")
	if code != 200 || !strings.Contains(body, "数据库内容") || !strings.Contains(h.Get("Set-Cookie"), "lang=zh") {
		t.Fatalf("zh: %d %q", code, h.Get("Set-Cookie"))
	}
	if !strings.Contains(body, `href="/?lang=en"`) {
		t.Errorf("no toggle to English")
	}
	_, _, body = get(t, ts, "/", "Cookie", "lang=zh")
	if !strings.Contains(body, "数据库内容") {
		t.Errorf("cookie zh not honoured")
	}
	_, _, body = get(t, ts, "/?lang=en", "Cookie", "lang=zh")
	if !strings.Contains(body, "What the database holds") || !strings.Contains(body, "registry") {
		t.Errorf("en home")
	}
	if code, _, _ := get(t, ts, "/static/style.css"); code != 200 {
		t.Errorf("style.css: %d", code)
	}
	if code, _, _ := get(t, ts, "/firms/nope"); code != 404 {
		t.Errorf("missing firm page: %d", code)
	}
}
