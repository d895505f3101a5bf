package httpapi

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/ownership"
	"github.com/cipmap/cipmap/resolve"
	"github.com/cipmap/cipmap/schema"
)

// The two strings every page must show as text.
const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `"><img src=x onerror=alert(1)>`
)

// fixtureFiles are a small registry: firms in both scripts (two named to attack the
// pages), a central SASAC that holds a group, which holds 60% of one of them.
var fixtureFiles = map[string]string{
	"firms.csv": "id,name,name_en,uscc,city\n" +
		"huawei,华为技术有限公司,Huawei Technologies Co. Ltd.,914403001922038216,深圳\n" +
		"casc,中国航天科技集团有限公司,China Aerospace Science and Technology Corporation,,北京\n" +
		"x1,\"" + xssScript + "有限公司\",\"" + xssScript + " Ltd\",,上海\n" +
		"x2,\"\"\"><img src=x onerror=alert(1)>科技有限公司\",\"\"\"><img src=x onerror=alert(1)> Tech\",,杭州\n" +
		"dji,深圳市大疆创新科技有限公司,SZ DJI Technology Co. Ltd.,914403007954257495,深圳\n",
	"bodies.csv":  "id,name,level,kind\ng1,国务院国有资产监督管理委员会,central,SASAC\n",
	"own.csv":     "owner,asset,share\ncasc,x1,60%\nx1,x2,51%\n",
	"own-gov.csv": "owner,asset,share\ng1,casc,100%\n",
}

const fixtureMapping = `dataset: {name: registry, title: test registry, licence: test}
parts:
  - source: {path: firms.csv}
    entities:
      - key: firm
        schema: Firm
        id: {columns: [id], prefix: t}
        properties: {name: {column: name, lang: zh}, name_en: {column: name_en, lang: en}, uscc: {column: uscc, invalid: drop}, city: city}
  - source: {path: bodies.csv}
    entities:
      - {key: body, schema: GovBody, id: {columns: [id], prefix: t}, properties: {name: name, level: level, kind: kind}}
  - source: {path: own-gov.csv}
    entities:
      - {key: owner, schema: GovBody, id: {columns: [owner], prefix: t}}
      - {key: asset, schema: Firm, id: {columns: [asset], prefix: t}}
      - key: holding
        schema: Ownership
        id: {columns: [owner, asset], prefix: h}
        properties: {owner: {entity: owner}, asset: {entity: asset}, percentage: share}
  - source: {path: own.csv}
    entities:
      - {key: owner, schema: Firm, id: {columns: [owner], prefix: t}}
      - {key: asset, schema: Firm, id: {columns: [asset], prefix: t}}
      - key: holding
        schema: Ownership
        id: {columns: [owner, asset], prefix: h}
        properties: {owner: {entity: owner}, asset: {entity: asset}, percentage: share}
`

// fixtureStore ingests the fixture into a temporary DuckDB file.
func fixtureStore(t testing.TB) cipmap.Store {
	t.Helper()
	dir := t.TempDir()
	for name, body := range fixtureFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mp := filepath.Join(dir, "mapping.yaml")
	os.WriteFile(mp, []byte(fixtureMapping), 0o644)
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := duckdb.Open(ctx, filepath.Join(dir, "t.duckdb"), duckdb.Options{Schemas: schemas})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m, err := ingest.LoadMapping(mp, schemas)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Run(ctx, st, m, ingest.Options{}); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return st
}

// firmIndex builds a match index over the store's firms, as cipmap match does
// (cmd/cipmap wires its own loader; this one is for the tests).
func firmIndex(ctx context.Context, st cipmap.Store) (*resolve.Index, error) {
	byID := map[string]*resolve.Record{}
	var order []string
	err := st.Statements(ctx, cipmap.StatementFilter{Schemas: []string{"Firm"}, Properties: resolve.Properties}, func(s *cipmap.Statement) error {
		r, ok := byID[s.EntityID]
		if !ok {
			r = &resolve.Record{ID: s.EntityID}
			byID[s.EntityID] = r
			order = append(order, s.EntityID)
		}
		r.Add(s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	recs := make([]resolve.Record, 0, len(order))
	for _, id := range order {
		r := byID[id]
		r.Normalize()
		recs = append(recs, *r)
	}
	return resolve.NewIndex(recs, nil, nil, 1), nil
}

// ownershipView loads the ownership graph, viewed today.
func ownershipView(ctx context.Context, st cipmap.Store) (*ownership.View, error) {
	var b ownership.Builder
	if err := b.AddStore(ctx, st, cipmap.StatementFilter{Schemas: []string{"Firm", "Person", "GovBody", "Fund", "Ownership", "Control", "Directorship"}}); err != nil {
		return nil, err
	}
	g, err := b.Build()
	if err != nil {
		return nil, err
	}
	return g.At(ownership.FromTime(time.Now())), nil
}

// testServer serves the fixture; judge records the judgements it is given.
type testServer struct {
	*httptest.Server
	store  cipmap.Store
	judged []cipmap.Judgement
}

func newTestServer(t testing.TB, token string) *testServer {
	t.Helper()
	st := fixtureStore(t)
	ts := &testServer{store: st}
	cfg := Config{
		Store: st,
		Token: token,
		Index: func(ctx context.Context) (*resolve.Index, error) { return firmIndex(ctx, st) },
		// The view of the whole graph, which answers about any ids; the entities
		// fixture's server reads neighbourhoods (ownership.Around) instead.
		Ownership: func(ctx context.Context, _ []string, _ bool) (*ownership.View, error) { return ownershipView(ctx, st) },
		Now:       func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		Logf:      t.Logf,
	}
	if token != "" {
		cfg.Judge = func(ctx context.Context, js []cipmap.Judgement) (int, error) {
			ts.judged = append(ts.judged, js...)
			return len(ts.judged), nil
		}
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

// firmID finds the id of the fixture firm whose name contains text.
func (ts *testServer) firmID(t testing.TB, text string) string {
	t.Helper()
	hits, err := ts.store.Search(context.Background(), cipmap.SearchQuery{Text: text, Schemas: []string{"Firm"}, Limit: 5})
	if err != nil || len(hits) == 0 {
		t.Fatalf("search %q: %v %v", text, hits, err)
	}
	return hits[0].EntityID
}

// firmIDAny finds the id of any entity whose name contains text.
func (ts *testServer) firmIDAny(t testing.TB, text string) string {
	t.Helper()
	hits, err := ts.store.Search(context.Background(), cipmap.SearchQuery{Text: text, Limit: 5})
	if err != nil || len(hits) == 0 {
		t.Fatalf("search %q: %v %v", text, hits, err)
	}
	return hits[0].EntityID
}
