package httpapi

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/gen"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/ownership"
	"github.com/cipmap/cipmap/patent"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/taxonomy"
)

// worldFixture is a generated world with its policy layer (gen world --policy),
// ingested into DuckDB with its patents tagged through IPC → CTT, as
// cipmap patents tag does: built once for the tests of the package.
type worldFixture struct {
	store cipmap.Store
	view  *ownership.View
	dir   string
}

var (
	worldOnce sync.Once
	world     *worldFixture
	worldErr  error
	worldDir  string
)

// TestMain removes the world's directory after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if world != nil {
		world.store.Close()
	}
	if worldDir != "" {
		os.RemoveAll(worldDir)
	}
	os.Exit(code)
}

func buildWorld() (*worldFixture, error) {
	dir, err := os.MkdirTemp("", "cipmap-httpapi-world-")
	if err != nil {
		return nil, err
	}
	worldDir = dir
	res, err := gen.World(filepath.Join(dir, "world"), gen.WorldOptions{Firms: 400, Records: -1, Policy: true, Seed: 2})
	if err != nil {
		return nil, err
	}
	schemas, err := schema.Load()
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	st, err := duckdb.Open(ctx, filepath.Join(dir, "w.duckdb"), duckdb.Options{Schemas: schemas})
	if err != nil {
		return nil, err
	}
	for _, mp := range res.Mappings {
		m, err := ingest.LoadMapping(mp, schemas)
		if err != nil {
			st.Close()
			return nil, err
		}
		if _, err := ingest.Run(ctx, st, m, ingest.Options{}); err != nil {
			st.Close()
			return nil, err
		}
	}
	reg, err := taxonomy.Default()
	if err != nil {
		st.Close()
		return nil, err
	}
	conv := func(code string) ([]patent.Share, error) {
		r, err := reg.Convert("ipc", code, taxonomy.CTT)
		if err != nil {
			return nil, err
		}
		out := make([]patent.Share, 0, len(r.Distribution))
		for _, t := range r.Distribution {
			out = append(out, patent.Share{Tag: t.Code, Weight: t.Weight})
		}
		return out, nil
	}
	if _, err := patent.Tag(ctx, st, conv, patent.Options{}); err != nil {
		st.Close()
		return nil, err
	}
	v, err := ownershipView(ctx, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &worldFixture{store: st, view: v, dir: dir}, nil
}

// theWorld returns the generated world, built on first use.
func theWorld(t testing.TB) *worldFixture {
	t.Helper()
	if testing.Short() {
		t.Skip("generated world: skipped with -short")
	}
	worldOnce.Do(func() {
		start := time.Now()
		world, worldErr = buildWorld()
		if worldErr == nil {
			t.Logf("generated world built in %v", time.Since(start).Round(time.Millisecond))
		}
	})
	if worldErr != nil {
		t.Fatalf("generated world: %v", worldErr)
	}
	return world
}

// newWorldServer serves the generated world. Judge records into the store's
// judgements dataset, as cipmap serve does.
func newWorldServer(t testing.TB, token string) (*Server, *httptest.Server) {
	t.Helper()
	w := theWorld(t)
	cfg := Config{
		Store:     w.store,
		Token:     token,
		Ownership: func(context.Context, []string, bool) (*ownership.View, error) { return w.view, nil },
		Now:       func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		Logf:      t.Logf,
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// storeJudge merges judgements into the store's judgements dataset, keyed by pair,
// and returns how many it holds: what cmd/cipmap's addJudgements does, for tests.
func storeJudge(st cipmap.Store) func(ctx context.Context, js []cipmap.Judgement) (int, error) {
	return func(ctx context.Context, js []cipmap.Judgement) (int, error) {
		t, err := st.Query(ctx, `SELECT left_id, right_id, decision, reviewer, decided_at, note, source FROM judgements WHERE dataset = 'judgements' ORDER BY left_id, right_id`)
		if err != nil {
			return 0, err
		}
		byPair := map[[2]string]cipmap.Judgement{}
		var order [][2]string
		put := func(j cipmap.Judgement) {
			k := [2]string{j.Left, j.Right}
			if _, ok := byPair[k]; !ok {
				order = append(order, k)
			}
			byPair[k] = j
		}
		for _, r := range t.Rows {
			put(cipmap.Judgement{Left: cell(r[0]), Right: cell(r[1]), Decision: cell(r[2]), Reviewer: cell(r[3]), DecidedAt: cell(r[4]), Note: cell(r[5]), Source: cell(r[6])})
		}
		for _, j := range js {
			put(j)
		}
		ds := &cipmap.Dataset{Name: "judgements", Title: "judgements", Version: time.Now().Format(time.RFC3339Nano), Source: "test", Licence: "test"}
		_, err = st.Load(ctx, ds, func(w cipmap.Writer) error {
			for _, k := range order {
				j := byPair[k]
				if err := w.Judgement(&j); err != nil {
					return err
				}
			}
			return nil
		})
		return len(order), err
	}
}

// xssTag is the CTT tag the attacking fixture firms are tagged with.
const xssTag = "industrial-robots"

// addAnalysisFixture adds to the small fixture store: a CTT tag on the firms named
// to attack the pages, a grant from the SASAC to one of them, and a review queue
// of pairs of them.
func addAnalysisFixture(t testing.TB, ts *testServer) (x1, x2, huawei, dji string) {
	t.Helper()
	ctx := context.Background()
	x1, x2 = ts.firmID(t, "alert(1)</script>有限公司"), ts.firmID(t, "onerror=alert(1)>科技")
	huawei, dji = ts.firmID(t, "华为"), ts.firmID(t, "大疆")
	ds := &cipmap.Dataset{Name: "robot-tags", Title: "tags", Version: "1", Source: "test", Licence: "test"}
	if _, err := ts.store.Load(ctx, ds, func(w cipmap.Writer) error {
		for _, id := range []string{x1, x2, dji} {
			if err := w.Tag(&cipmap.TagFact{EntityID: id, Property: "name", Value: "工业机器人", System: "ctt", Tag: xssTag, Weight: 1,
				Method: "human", Evidence: "工业机器人", Confidence: 1, Dataset: "robot-tags", Source: "test:1"}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	g1 := ts.firmIDAny(t, "国务院国有资产")
	gr := &cipmap.Dataset{Name: "grants", Title: "grants", Version: "1", Source: "test", Licence: "test"}
	if _, err := ts.store.Load(ctx, gr, func(w cipmap.Writer) error {
		for i, g := range [][3]string{{"grant-1", x1, "1000000"}, {"grant-2", x2, "250000.5"}} {
			for _, pv := range [][2]string{{"grantor", g1}, {"recipient", g[1]}, {"amount", g[2]}, {"currency", "CNY"}, {"date", "2021-03-04"}} {
				st := &cipmap.Statement{ID: cipmap.StatementID("grants", g[0], pv[0], pv[1]), EntityID: g[0], Schema: "Grant",
					Property: pv[0], Value: pv[1], Original: pv[1], Dataset: "grants", Source: "grants.csv:" + strconv.Itoa(i+2)}
				if err := w.Statement(st); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	q := &cipmap.Dataset{Name: queueDataset, Title: "queue", Version: "1", Source: "test", Licence: "test"}
	if _, err := ts.store.Load(ctx, q, func(w cipmap.Writer) error {
		for _, j := range []cipmap.Judgement{
			{Left: min(x1, x2), Right: max(x1, x2), Decision: "pending", Note: "0.7000", Source: "name " + xssScript + " 0.41; city " + xssImg},
			{Left: min(huawei, dji), Right: max(huawei, dji), Decision: "pending", Note: "0.5500", Source: "city 深圳 = 深圳 +1.2"},
		} {
			if err := w.Judgement(&j); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return x1, x2, huawei, dji
}
