package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/ownership"
	"github.com/cipmap/cipmap/resolve"
	"github.com/cipmap/cipmap/schema"
)

const ingestToken = "s3cret-token"

// ingestServer serves the fixture store (a DuckDB file, open read-write) with
// writes enabled as cipmap serve wires them: judgements into the store, uploads
// through ingest.RunFile, the match index and ownership view built from the store.
type ingestServer struct {
	*testServer
	srv    *Server
	upload string // the folder uploads are written into
}

func newIngestServer(t testing.TB, token string, maxUpload int64) *ingestServer {
	t.Helper()
	st := fixtureStore(t)
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	is := &ingestServer{testServer: &testServer{store: st}, upload: t.TempDir()}
	cfg := Config{
		Store:     st,
		Token:     token,
		Index:     func(ctx context.Context) (*resolve.Index, error) { return firmIndex(ctx, st) },
		Ownership: func(ctx context.Context, _ []string, _ bool) (*ownership.View, error) { return ownershipView(ctx, st) },
		Now:       func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		Logf:      t.Logf,
		MaxUpload: maxUpload,
		TempDir:   is.upload,
	}
	if token != "" {
		cfg.Judge = storeJudge(st)
		cfg.Ingest = func(ctx context.Context, mapping string, opts ingest.Options) (*ingest.Summary, error) {
			return ingest.RunFile(ctx, st, mapping, schemas, opts)
		}
	}
	if is.srv, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	is.Server = httptest.NewServer(is.srv)
	t.Cleanup(is.Close)
	return is
}

// upload is one POST /api/v1/ingest: the mapping, the files by name, form fields.
type upload struct {
	mapping     string
	mappingName string // "" means m.yaml
	files       map[string]string
	fields      map[string]string
	token       string // "" sends no Authorization header
}

func (is *ingestServer) post(t testing.TB, u upload) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if u.mapping != "" {
		name := u.mappingName
		if name == "" {
			name = "m.yaml"
		}
		fw, _ := mw.CreateFormFile("mapping", name)
		io.WriteString(fw, u.mapping)
	}
	names := make([]string, 0, len(u.files))
	for n := range u.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fw, _ := mw.CreateFormFile(n, n)
		io.WriteString(fw, u.files[n])
	}
	for k, v := range u.fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", is.URL+"/api/v1/ingest", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if u.token != "" {
		req.Header.Set("Authorization", "Bearer "+u.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// datasetNames lists the store's datasets with their versions.
func (is *ingestServer) datasetNames(t testing.TB) map[string]string {
	t.Helper()
	ds, err := is.store.Datasets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range ds {
		out[d.Name] = d.Version
	}
	return out
}

// uploadsLeft fails the test if an upload's folder was left behind.
func (is *ingestServer) uploadsLeft(t testing.TB) {
	t.Helper()
	left, _ := os.ReadDir(is.upload)
	if len(left) > 0 {
		t.Errorf("upload folders left behind: %v", left)
	}
}

// newFirms is a mapping that adds a firm and makes the central SASAC of the fixture
// the owner of DJI (ids as the fixture's mapping makes them: prefix t, key id).
const newFirmsMapping = `dataset: {name: api-firms, title: firms sent through the API, licence: test}
parts:
  - source: {path: firms.csv}
    entities:
      - key: firm
        schema: Firm
        id: {columns: [id], prefix: t}
        properties: {name: {column: name, lang: zh}, uscc: uscc, city: city, founded: founded}
  - source: {path: owners.csv}
    entities:
      - {key: owner, schema: GovBody, id: {columns: [owner], prefix: t}}
      - {key: asset, schema: Firm, id: {columns: [asset], prefix: t}}
      - key: holding
        schema: Ownership
        id: {columns: [owner, asset], prefix: h}
        properties: {owner: {entity: owner}, asset: {entity: asset}, percentage: share}
`

var newFirmsFiles = map[string]string{
	"firms.csv":  "id,name,uscc,city,founded\nxh,星河智能机器人有限公司,,苏州,2019-05-06\n",
	"owners.csv": "owner,asset,share\ng1,dji,100%\n",
}

// Without a token configured every ingest is refused (403); with one, a request
// without it or with another is refused (401); nothing is written either way.
func TestHTTPIngestNeedsToken(t *testing.T) {
	for _, tc := range []struct {
		server, sent string
		status       int
		code         string
	}{
		{"", "", 403, "forbidden"},
		{"", "anything", 403, "forbidden"},
		{ingestToken, "", 401, "unauthorized"},
		{ingestToken, "wrong", 401, "unauthorized"},
		{ingestToken, ingestToken + "x", 401, "unauthorized"},
	} {
		is := newIngestServer(t, tc.server, 0)
		before := is.datasetNames(t)
		status, body := is.post(t, upload{mapping: newFirmsMapping, files: newFirmsFiles, token: tc.sent})
		var e errorBody
		json.Unmarshal(body, &e)
		if status != tc.status || e.Error.Code != tc.code {
			t.Errorf("server token %q, sent %q: %d %s, want %d %s", tc.server, tc.sent, status, body, tc.status, tc.code)
		}
		if after := is.datasetNames(t); !reflect.DeepEqual(before, after) {
			t.Errorf("server token %q, sent %q: datasets %v, were %v", tc.server, tc.sent, after, before)
		}
		is.uploadsLeft(t)
	}
}

// reconcileFirst returns the best reconciliation candidate for a name.
func reconcileFirst(t *testing.T, base, name string) *ReconCandidate {
	t.Helper()
	q, _ := json.Marshal(map[string]any{"q0": map[string]any{"query": name}})
	var out map[string]struct{ Result []ReconCandidate }
	getJSONURL(t, base, "/reconcile?queries="+url.QueryEscape(string(q)), 200, &out)
	if r := out["q0"].Result; len(r) > 0 {
		return &r[0]
	}
	return nil
}

// An ingest through the API loads the dataset as cipmap ingest does and answers with
// its summary; the answers that the server builds from the data once (the match
// index behind /reconcile, the ownership view behind firm pages, the sector
// profiles) change at once, as they do after a judgement.
func TestHTTPIngestLoadsAndRefreshes(t *testing.T) {
	is := newIngestServer(t, ingestToken, 0)
	x1, x2, _, dji := addAnalysisFixture(t, is.testServer)
	_, _ = x1, x2

	// Warm every cache.
	if c := reconcileFirst(t, is.URL, "星河智能机器人有限公司"); c != nil && c.Match {
		t.Fatalf("before: reconciled to %+v", c)
	}
	var firm Firm
	getJSONURL(t, is.URL, "/api/v1/firms/"+dji, 200, &firm)
	if firm.Ownership != nil && len(firm.Ownership.Up) > 0 {
		t.Fatalf("before: DJI has owners %+v", firm.Ownership.Up)
	}
	var before map[string]any
	getJSONURL(t, is.URL, "/api/v1/sectors/"+xssTag, 200, &before)
	if _, _, page := getURL(t, is.URL, "/firms/"+dji+"?lang=zh"); strings.Contains(page, "国有资产监督管理委员会") {
		t.Fatal("before: DJI's page names an owner")
	}

	status, body := is.post(t, upload{mapping: newFirmsMapping, files: newFirmsFiles, token: ingestToken})
	if status != 200 {
		t.Fatalf("ingest: %d %s", status, body)
	}
	var res IngestResult
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if res.Status != "loaded" || res.Dataset != "api-firms" || res.Rows != 2 || res.Rejects != 0 || res.Added == 0 ||
		!strings.HasPrefix(res.Version, "sha256:") || !reflect.DeepEqual(res.Files, []string{"firms.csv", "owners.csv"}) {
		t.Errorf("summary %s", body)
	}
	if v := is.datasetNames(t)["api-firms"]; v != res.Version {
		t.Errorf("stored version %q, answered %q", v, res.Version)
	}
	is.uploadsLeft(t)

	c := reconcileFirst(t, is.URL, "星河智能机器人有限公司")
	if c == nil || !c.Match || c.ID != is.firmID(t, "星河智能") {
		t.Errorf("after: reconciled to %+v, want the new firm", c)
	}
	getJSONURL(t, is.URL, "/api/v1/firms/"+dji, 200, &firm)
	if firm.Ownership == nil || len(firm.Ownership.Up) != 1 || !strings.Contains(firm.Ownership.Up[0].Name, "国有资产监督管理委员会") {
		t.Errorf("after: DJI's owners %+v, want the SASAC", firm.Ownership)
	}
	if _, _, page := getURL(t, is.URL, "/firms/"+dji+"?lang=zh"); !strings.Contains(page, "国有资产监督管理委员会") {
		t.Error("after: DJI's page, kept from before, does not name the SASAC")
	}
	var after map[string]any
	getJSONURL(t, is.URL, "/api/v1/sectors/"+xssTag, 200, &after)
	if reflect.DeepEqual(before["ownership"], after["ownership"]) {
		t.Errorf("sector ownership unchanged after the ingest: %v", after["ownership"])
	}

	// The same content again writes nothing.
	status, body = is.post(t, upload{mapping: newFirmsMapping, files: newFirmsFiles, token: ingestToken})
	if status != 200 || !strings.Contains(string(body), `"status":"unchanged"`) {
		t.Errorf("second ingest: %d %s", status, body)
	}

	// A judgement refreshes too: warm the sector cache, then change the data
	// behind the server's back and record a judgement through the API.
	getJSONURL(t, is.URL, "/api/v1/sectors/"+xssTag, 200, &before)
	if err := is.store.DeleteDataset(context.Background(), "api-firms"); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", is.URL+"/api/v1/judgements",
		strings.NewReader(fmt.Sprintf(`{"left_id":%q,"right_id":%q,"decision":"different"}`, x1, x2)))
	req.Header.Set("Authorization", "Bearer "+ingestToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("judgement: %d", resp.StatusCode)
	}
	getJSONURL(t, is.URL, "/api/v1/sectors/"+xssTag, 200, &after)
	if reflect.DeepEqual(before["ownership"], after["ownership"]) {
		t.Errorf("sector ownership unchanged after a judgement: %v", after["ownership"])
	}
	if c := reconcileFirst(t, is.URL, "星河智能机器人有限公司"); c != nil && c.Match {
		t.Errorf("after the judgement: still reconciled to the deleted firm %+v", c)
	}
	// The firm kept from before shows the data as it is now.
	firm = Firm{}
	getJSONURL(t, is.URL, "/api/v1/firms/"+dji, 200, &firm)
	if firm.Ownership != nil && len(firm.Ownership.Up) > 0 {
		t.Errorf("after the judgement: DJI still has the deleted owners %+v", firm.Ownership.Up)
	}
}

// A bad upload is a 400 naming what is wrong (for bad values: file, line and
// column, as cipmap ingest prints them), and the database is as it was.
func TestHTTPIngestBadInput(t *testing.T) {
	is := newIngestServer(t, ingestToken, 0)
	before := is.datasetNames(t)
	badRows := map[string]string{
		"firms.csv":  "id,name,uscc,city,founded\nxh,星河智能机器人有限公司,,苏州,2019-05-06\nyy,月亮科技有限公司,,杭州,not a date\n",
		"owners.csv": newFirmsFiles["owners.csv"],
	}
	for _, tc := range []struct {
		name   string
		u      upload
		want   []string // in the message or the errors
		status int
	}{
		{"bad rows", upload{mapping: newFirmsMapping, files: badRows},
			[]string{"1 bad value(s) in firms.csv, owners.csv; nothing was written", "on_error=skip", `firms.csv:3:37: column "founded", value "not a date"`}, 400},
		{"unknown mapping key", upload{mapping: strings.Replace(newFirmsMapping, "title:", "titel:", 1), files: newFirmsFiles},
			[]string{"mapping m.yaml:", "m.yaml:1: field titel not found"}, 400},
		{"unknown property", upload{mapping: strings.Replace(newFirmsMapping, "city: city", "town: city", 1), files: newFirmsFiles},
			[]string{"mapping m.yaml", "town"}, 400},
		{"file not sent", upload{mapping: newFirmsMapping, files: map[string]string{"firms.csv": newFirmsFiles["firms.csv"]}},
			[]string{`source.path "owners.csv" matches no file`, "-F data.csv=@data.csv"}, 400},
		{"no mapping", upload{files: newFirmsFiles}, []string{"no part named mapping"}, 400},
		{"part name with a folder", upload{mapping: newFirmsMapping, files: map[string]string{"../firms.csv": "x", "owners.csv": "y"}},
			[]string{`part "../firms.csv"`, "plain file name"}, 400},
		{"part name with a slash", upload{mapping: newFirmsMapping, files: map[string]string{"a/firms.csv": "x"}},
			[]string{`part "a/firms.csv"`}, 400},
		{"absolute part name", upload{mapping: newFirmsMapping, files: map[string]string{"/tmp/firms.csv": "x"}},
			[]string{`part "/tmp/firms.csv"`}, 400},
		{"source path up", upload{mapping: strings.Replace(newFirmsMapping, "path: owners.csv", "path: ../../owners.csv", 1), files: newFirmsFiles},
			[]string{`source.path "../../owners.csv"`, "not \"..\""}, 400},
		{"absolute source path", upload{mapping: strings.Replace(newFirmsMapping, "path: owners.csv", "path: /etc/hostname", 1), files: newFirmsFiles},
			[]string{`source.path "/etc/hostname"`, "absolute"}, 400},
		{"bad on_error", upload{mapping: newFirmsMapping, files: newFirmsFiles, fields: map[string]string{"on_error": "ignore"}},
			[]string{`on_error="ignore"`}, 400},
	} {
		tc.u.token = ingestToken
		status, body := is.post(t, tc.u)
		if status != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.name, status, tc.status, body)
		}
		var e ingestErrorBody
		if err := json.Unmarshal(body, &e); err != nil {
			t.Errorf("%s: %v: %s", tc.name, err, body)
		}
		text := e.Error.Message + "\n" + strings.Join(e.Errors, "\n")
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: %q not in\n%s", tc.name, w, text)
			}
		}
		if strings.Contains(text, is.upload) {
			t.Errorf("%s: the server's upload folder is in the answer: %s", tc.name, text)
		}
		if after := is.datasetNames(t); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: datasets %v, were %v", tc.name, after, before)
		}
	}
	is.uploadsLeft(t)

	// Not multipart at all.
	req, _ := http.NewRequest("POST", is.URL+"/api/v1/ingest", strings.NewReader(`{"mapping":"x"}`))
	req.Header.Set("Authorization", "Bearer "+ingestToken)
	req.Header.Set("Content-Type", "application/json")
	var e errorBody
	httpDo(t, req, 400, &e)

	// on_error=skip loads the good rows and lists the bad one.
	status, body := is.post(t, upload{mapping: newFirmsMapping, files: badRows, token: ingestToken, fields: map[string]string{"on_error": "skip"}})
	var res IngestResult
	json.Unmarshal(body, &res)
	if status != 200 || res.Rows != 3 || res.Rejects != 1 || len(res.Errors) != 1 || res.Errors[0].Line != 3 {
		t.Errorf("on_error=skip: %d %s", status, body)
	}
}

func httpDo(t *testing.T, req *http.Request, want int, v any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", req.Method, req.URL.Path, resp.StatusCode, want, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}

// The ingest route reads bodies up to its own limit, beyond the 1 MiB of every
// other route, and refuses larger ones with 413.
func TestHTTPIngestBodyLimit(t *testing.T) {
	is := newIngestServer(t, ingestToken, 3<<20)
	var big strings.Builder
	big.WriteString("id,name,uscc,city,founded\n")
	for i := 0; big.Len() < 3<<19; i++ { // 1.5 MiB
		fmt.Fprintf(&big, "f%d,大号测试企业%06d有限公司,,苏州,2019-05-06\n", i, i)
	}
	files := map[string]string{"firms.csv": big.String(), "owners.csv": newFirmsFiles["owners.csv"]}
	status, body := is.post(t, upload{mapping: newFirmsMapping, files: files, token: ingestToken})
	if status != 200 {
		t.Fatalf("1.5 MiB upload: %d %s", status, body)
	}
	files["firms.csv"] += big.String() + big.String()
	before := is.datasetNames(t)
	status, body = is.post(t, upload{mapping: newFirmsMapping, files: files, token: ingestToken})
	var e errorBody
	json.Unmarshal(body, &e)
	if status != 413 || !strings.Contains(e.Error.Message, "larger than 3 MiB") {
		t.Errorf("4.5 MiB upload: %d %s", status, body)
	}
	if after := is.datasetNames(t); !reflect.DeepEqual(before, after) {
		t.Errorf("datasets %v, were %v", after, before)
	}
	is.uploadsLeft(t)
	// Other routes keep their 1 MiB.
	req, _ := http.NewRequest("POST", is.URL+"/api/v1/judgements", strings.NewReader(`{"note":"`+strings.Repeat("x", 2<<20)+`"}`))
	req.Header.Set("Authorization", "Bearer "+ingestToken)
	httpDo(t, req, 413, &e)
	if !strings.Contains(e.Error.Message, "larger than 1 MiB") {
		t.Errorf("judgement: %+v", e)
	}
}

// One ingest runs at a time: another sent meanwhile gets 409 and writes nothing.
func TestHTTPIngestOneAtATime(t *testing.T) {
	is := newIngestServer(t, ingestToken, 0)
	is.srv.uploads.running.Lock() // an ingest under way
	status, body := is.post(t, upload{mapping: newFirmsMapping, files: newFirmsFiles, token: ingestToken})
	is.srv.uploads.running.Unlock()
	var e errorBody
	json.Unmarshal(body, &e)
	if status != 409 || e.Error.Code != "conflict" {
		t.Errorf("during an ingest: %d %s, want 409", status, body)
	}
	if _, ok := is.datasetNames(t)["api-firms"]; ok {
		t.Error("the refused ingest wrote its dataset")
	}
	if status, body := is.post(t, upload{mapping: newFirmsMapping, files: newFirmsFiles, token: ingestToken}); status != 200 {
		t.Errorf("after it: %d %s", status, body)
	}
}

// bulkFiles makes a dataset of n firms; every 100th is named with the marker ZQX.
func bulkFiles(n int) map[string]string {
	var b strings.Builder
	b.WriteString("id,name,uscc,city,founded\n")
	for i := 0; i < n; i++ {
		marker := ""
		if i%100 == 0 {
			marker = "ZQX"
		}
		fmt.Fprintf(&b, "b%d,批量%s测试企业%06d有限公司,,苏州,2019-05-06\n", i, marker, i)
	}
	return map[string]string{"firms.csv": b.String(), "owners.csv": "owner,asset,share\n"}
}

var bulkMapping = strings.Replace(newFirmsMapping, "name: api-firms", "name: bulk", 1)

// state is what one answer showed of the bulk dataset.
type state struct {
	statements int64 // the dataset's statements, 0 if absent
	total      int64 // every statement in the store
}

// While an ingest of thousands of rows runs, and then one that replaces it, every
// answer of /api/v1/datasets and /api/v1/search shows the data before one of them or
// after it, never part of a version; and no reader goes back to an older state.
func TestHTTPIngestConsistentReaders(t *testing.T) {
	is := newIngestServer(t, ingestToken, 0)
	ctx := context.Background()
	baseStats, err := is.store.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	versions := []struct {
		rows, markers int
	}{{3000, 30}, {5000, 50}}

	var stop atomic.Bool
	var wg sync.WaitGroup
	var mu sync.Mutex
	var seenDatasets []map[int64]int // per reader, how often each statement count was seen
	var seenSearch []map[int]int
	var failures []string
	fail := func(format string, args ...any) {
		mu.Lock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
		mu.Unlock()
	}
	for g := 0; g < 6; g++ {
		counts, hits := map[int64]int{}, map[int]int{}
		seenDatasets, seenSearch = append(seenDatasets, counts), append(seenSearch, hits)
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			last, lastHits := int64(-1), -1
			for !stop.Load() {
				if g%2 == 0 {
					var d Datasets
					if err := getJSONQuiet(is.URL+"/api/v1/datasets", &d); err != nil {
						fail("datasets: %v", err)
						return
					}
					var s state
					var sum int64
					for _, ds := range d.Datasets {
						sum += ds.Statements
						if ds.Name == "bulk" {
							s.statements = ds.Statements
						}
					}
					s.total = d.Stats.Statements
					if sum != s.total {
						fail("datasets: the list sums to %d statements, the counts say %d", sum, s.total)
					}
					if s.statements < last {
						fail("datasets: went back from %d to %d statements", last, s.statements)
					}
					last = s.statements
					counts[s.statements]++
				} else {
					var p SearchPage
					if err := getJSONQuiet(is.URL+"/api/v1/search?q=ZQX&limit=200", &p); err != nil {
						fail("search: %v", err)
						return
					}
					if len(p.Results) < lastHits {
						fail("search: went back from %d to %d hits", lastHits, len(p.Results))
					}
					lastHits = len(p.Results)
					hits[len(p.Results)]++
				}
			}
		}(g)
	}
	var stored []int64
	for _, v := range versions {
		time.Sleep(50 * time.Millisecond) // let the readers see the state before
		status, body := is.post(t, upload{mapping: bulkMapping, files: bulkFiles(v.rows), token: ingestToken})
		if status != 200 {
			stop.Store(true)
			wg.Wait()
			t.Fatalf("ingest of %d rows: %d %s", v.rows, status, body)
		}
		ds, err := is.store.Dataset(ctx, "bulk")
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, ds.Statements)
	}
	time.Sleep(50 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	wantCounts := map[int64]bool{0: true, stored[0]: true, stored[1]: true}
	wantHits := map[int]bool{0: true, versions[0].markers: true, versions[1].markers: true}
	answers := 0
	all := map[string]int{}
	for i := range seenDatasets {
		for n, k := range seenDatasets[i] {
			answers += k
			all[fmt.Sprintf("datasets:%d", n)] += k
			if !wantCounts[n] {
				t.Errorf("an answer of /api/v1/datasets showed %d statements of bulk, want one of %v", n, wantCounts)
			}
		}
		for n, k := range seenSearch[i] {
			answers += k
			all[fmt.Sprintf("search:%d", n)] += k
			if !wantHits[n] {
				t.Errorf("an answer of /api/v1/search showed %d ZQX firms, want one of %v", n, wantHits)
			}
		}
	}
	t.Logf("%d answers during two ingests (base %d statements): %v", answers, baseStats.Statements, all)
	// The readers ran before, between and after the ingests.
	for _, k := range []string{"datasets:0", fmt.Sprintf("datasets:%d", stored[1]), "search:0", fmt.Sprintf("search:%d", versions[1].markers)} {
		if all[k] == 0 {
			t.Errorf("no answer showed %s", k)
		}
	}
}

// getJSONQuiet gets url into v, for goroutines that may not call t.Fatal.
func getJSONQuiet(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: %d %s", url, resp.StatusCode, b)
	}
	return json.Unmarshal(b, v)
}

var _ = cipmap.EINVALID

// commitDuringStats is a store in which a write commits while the server reads the
// counts of /api/v1/datasets: the moment a reader can mix two states.
type commitDuringStats struct {
	cipmap.Store
	once  sync.Once
	write func()
}

func (s *commitDuringStats) Stats(ctx context.Context) (*cipmap.Stats, error) {
	s.once.Do(s.write)
	return s.Store.Stats(ctx)
}

// /api/v1/datasets answers with the list and the counts of one state even when a
// write commits between its queries.
func TestHTTPDatasetsOneState(t *testing.T) {
	st := fixtureStore(t)
	cs := &commitDuringStats{Store: st, write: func() {
		ds := &cipmap.Dataset{Name: "late", Title: "late", Version: "1", Source: "test", Licence: "test"}
		if _, err := st.Load(context.Background(), ds, func(w cipmap.Writer) error {
			return w.Statement(&cipmap.Statement{ID: "late-1", EntityID: "late-firm", Schema: "Firm", Property: "name",
				Value: "迟到有限公司", Original: "迟到有限公司", Dataset: "late", Source: "late.csv:2"})
		}); err != nil {
			t.Error(err)
		}
	}}
	s, err := New(Config{Store: cs, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	var d Datasets
	getJSONURL(t, ts.URL, "/api/v1/datasets", 200, &d)
	var sum int64
	var names []string
	for _, ds := range d.Datasets {
		sum += ds.Statements
		names = append(names, ds.Name)
	}
	if sum != d.Stats.Statements || d.Stats.Datasets != int64(len(d.Datasets)) {
		t.Errorf("datasets %v hold %d statements, the counts say %d statements in %d datasets", names, sum, d.Stats.Statements, d.Stats.Datasets)
	}
}
