// Package storetest is the conformance suite that every cipmap.Store runs: the DuckDB
// store in its tests and the PostgreSQL store when CIPMAP_TEST_POSTGRES is set. A store
// that passes behaves the same to every caller.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
)

// Opener opens a fresh, empty store for one test, with the given clock. The suite
// closes it.
type Opener func(t *testing.T, now cipmap.Clock) cipmap.Store

// Run runs the whole suite against stores made by open.
func Run(t *testing.T, open Opener) {
	t.Run("LoadAndRead", func(t *testing.T) { testLoadAndRead(t, open) })
	t.Run("Unchanged", func(t *testing.T) { testUnchanged(t, open) })
	t.Run("NewVersionKeepsFirstSeen", func(t *testing.T) { testNewVersion(t, open) })
	t.Run("FailedLoadChangesNothing", func(t *testing.T) { testFailedLoad(t, open) })
	t.Run("FactTables", func(t *testing.T) { testFacts(t, open) })
	t.Run("TagsAndCrosswalkEdges", func(t *testing.T) { testTagsAndEdges(t, open) })
	t.Run("ClustersAndJudgements", func(t *testing.T) { testClustersAndJudgements(t, open) })
	t.Run("DatasetParams", func(t *testing.T) { testParams(t, open) })
	t.Run("Search", func(t *testing.T) { testSearch(t, open) })
	t.Run("QueryIsReadOnly", func(t *testing.T) { testQueryReadOnly(t, open) })
	t.Run("SchemaViews", func(t *testing.T) { testViews(t, open) })
	t.Run("DeleteDataset", func(t *testing.T) { testDelete(t, open) })
	t.Run("Stats", func(t *testing.T) { testStats(t, open) })
	t.Run("EdgesAndFlows", func(t *testing.T) { testEdges(t, open) })
	t.Run("EntityIDs", func(t *testing.T) { testEntityIDs(t, open) })
	t.Run("FactsLookup", func(t *testing.T) { testFactsLookup(t, open) })
	t.Run("OwnershipLoad", func(t *testing.T) { testOwnershipLoad(t, open) })
	t.Run("UseAfterClose", func(t *testing.T) { testUseAfterClose(t, open) })
}

// checkGrouped checks that a Grouped read of the Firm statements gives the
// statements want (sorted "entity property value source" keys), each entity's
// together.
func checkGrouped(t *testing.T, s cipmap.Store, want []string) {
	t.Helper()
	var got []string
	done := map[string]bool{}
	last := ""
	err := s.Statements(context.Background(), cipmap.StatementFilter{Schemas: []string{"Firm"}, Grouped: true}, func(st *cipmap.Statement) error {
		if st.EntityID != last {
			if done[st.EntityID] {
				t.Errorf("grouped read: the statements of %s come in two runs", st.EntityID)
			}
			done[last], last = true, st.EntityID
		}
		got = append(got, st.EntityID+" "+st.Property+" "+st.Value+" "+st.Source)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("grouped statements differ from ordered ones:\n%v\n%v", got, want)
	}
}

// CheckGrouped is checkGrouped for stores' own tests (a DuckDB read in many parts).
func CheckGrouped(t *testing.T, s cipmap.Store, want []string) { checkGrouped(t, s, want) }

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newClock() *clock {
	return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// fact is a compact statement for tests.
type fact struct{ entity, schema, prop, value, source string }

func load(t *testing.T, s cipmap.Store, name, version string, facts []fact) *cipmap.LoadResult {
	t.Helper()
	res, err := s.Load(context.Background(), &cipmap.Dataset{Name: name, Version: version, Title: name + " title", Licence: "CC0", Rows: int64(len(facts))},
		func(w cipmap.Writer) error {
			for _, f := range facts {
				if err := w.Statement(&cipmap.Statement{EntityID: f.entity, Schema: f.schema, Property: f.prop,
					Value: f.value, Original: f.value + " (raw)", Lang: "zh", Source: f.source}); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		t.Fatalf("load %s@%s: %v", name, version, err)
	}
	return res
}

var procurement = []fact{
	{"gov-1", "GovBody", "name", "中国航天科技集团有限公司", "awards.csv:2"},
	{"gov-1", "GovBody", "name", "中国航天科技集团有限公司", "awards.csv:3"},
	{"firm-1", "Firm", "name", "航天华明科技（北京）有限公司", "awards.csv:2"},
	{"firm-1", "Firm", "name_en", "Hangtian Huaming Technology", "awards.csv:2"},
	{"firm-2", "Firm", "name", "硕橙（厦门）科技有限公司", "awards.csv:3"},
	{"c-1", "Contract", "buyer", "gov-1", "awards.csv:2"},
	{"c-1", "Contract", "supplier", "firm-1", "awards.csv:2"},
	{"c-1", "Contract", "amount", "25200", "awards.csv:2"},
	{"c-1", "Contract", "currency", "CNY", "awards.csv:2"},
	{"c-1", "Contract", "title", "智能哨位声光报警器", "awards.csv:2"},
	{"c-2", "Contract", "buyer", "gov-1", "awards.csv:3"},
	{"c-2", "Contract", "supplier", "firm-2", "awards.csv:3"},
	{"c-2", "Contract", "amount", "15120", "awards.csv:3"},
}

func count(t *testing.T, s cipmap.Store, q string) int64 {
	t.Helper()
	tab, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if len(tab.Rows) != 1 || len(tab.Rows[0]) != 1 {
		t.Fatalf("%s: want one value, got %v", q, tab.Rows)
	}
	return toInt(t, tab.Rows[0][0])
}

func toInt(t *testing.T, v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case float64:
		return int64(x)
	case uint64:
		return int64(x)
	case fmt.Stringer:
		var n int64
		fmt.Sscan(x.String(), &n)
		return n
	}
	t.Fatalf("not a number: %T %v", v, v)
	return 0
}

func testLoadAndRead(t *testing.T, open Opener) {
	c := newClock()
	s := open(t, c.now)
	res := load(t, s, "pla", "v1", procurement)
	if res.Unchanged || res.Previous != "" || res.Added != 12 {
		t.Errorf("first load: got unchanged=%v previous=%q added=%d, want false, \"\", 12 distinct facts", res.Unchanged, res.Previous, res.Added)
	}
	if got, want := res.Dataset.Statements, int64(len(procurement)); got != want {
		t.Errorf("dataset statements = %d, want %d (one row per fact and source record)", got, want)
	}
	if got, want := res.Dataset.Entities, int64(5); got != want {
		t.Errorf("dataset entities = %d, want %d", got, want)
	}
	// A filter on schemas and properties, in entity order.
	var got []string
	err := s.Statements(context.Background(), cipmap.StatementFilter{Schemas: []string{"Firm"}, Properties: []string{"name"}}, func(st *cipmap.Statement) error {
		got = append(got, st.EntityID+" "+st.Property)
		return nil
	})
	if err != nil || len(got) == 0 || !sort.StringsAreSorted(got) {
		t.Errorf("Firm names: %v (%v)", got, err)
	}
	for _, g := range got {
		if !strings.HasSuffix(g, " name") {
			t.Errorf("filtered statements hold %q", g)
		}
	}
	// Unordered: the same statements, in any order.
	var all, unordered []string
	for _, u := range []bool{false, true} {
		err := s.Statements(context.Background(), cipmap.StatementFilter{Schemas: []string{"Firm"}, Unordered: u}, func(st *cipmap.Statement) error {
			k := st.EntityID + " " + st.Property + " " + st.Value + " " + st.Source
			if u {
				unordered = append(unordered, k)
			} else {
				all = append(all, k)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(all)
	sort.Strings(unordered)
	if len(all) == 0 || strings.Join(all, "\n") != strings.Join(unordered, "\n") {
		t.Errorf("unordered statements differ from ordered ones:\n%v\n%v", unordered, all)
	}
	checkGrouped(t, s, all)
	e, err := s.Entity(context.Background(), "firm-1")
	if err != nil {
		t.Fatal(err)
	}
	if e.Schema != "Firm" || e.Caption != "航天华明科技（北京）有限公司" {
		t.Errorf("entity = %s %q, want Firm with its Chinese name as caption", e.Schema, e.Caption)
	}
	if len(e.Statements) != 2 {
		t.Fatalf("statements = %d, want 2", len(e.Statements))
	}
	st := e.Statements[0]
	if st.Dataset != "pla" || st.Source != "awards.csv:2" || st.Original == "" || st.Lang != "zh" || !st.FirstSeen.Equal(c.t) || !st.LastSeen.Equal(c.t) {
		t.Errorf("provenance lost: %+v", st)
	}
	if st.ID != cipmap.StatementID("pla", "firm-1", st.Property, st.Value) {
		t.Errorf("statement id %s is not the stable id", st.ID)
	}
	if _, err := s.Entity(context.Background(), "nope"); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("missing entity: got %v, want ENOTFOUND", err)
	}
	ds, err := s.Dataset(context.Background(), "pla")
	if err != nil {
		t.Fatal(err)
	}
	if ds.Version != "v1" || ds.Licence != "CC0" || ds.Title != "pla title" || !ds.IngestedAt.Equal(c.t) || ds.Rows != int64(len(procurement)) {
		t.Errorf("dataset = %+v", ds)
	}
	if _, err := s.Dataset(context.Background(), "nope"); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("missing dataset: got %v, want ENOTFOUND", err)
	}
}

func testUnchanged(t *testing.T, open Opener) {
	c := newClock()
	s := open(t, c.now)
	load(t, s, "pla", "v1", procurement)
	before := count(t, s, "SELECT count(*) FROM statements")
	c.t = c.t.Add(time.Hour)
	called := false
	res, err := s.Load(context.Background(), &cipmap.Dataset{Name: "pla", Version: "v1"}, func(w cipmap.Writer) error {
		called = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Unchanged || called {
		t.Errorf("same version again: unchanged=%v, fill called=%v; want unchanged and no fill", res.Unchanged, called)
	}
	if after := count(t, s, "SELECT count(*) FROM statements"); after != before {
		t.Errorf("statements %d → %d after an unchanged load", before, after)
	}
	ds, _ := s.Dataset(context.Background(), "pla")
	if !ds.IngestedAt.Equal(newClock().t) {
		t.Errorf("unchanged load moved ingested_at to %v", ds.IngestedAt)
	}
}

func testNewVersion(t *testing.T, open Opener) {
	c := newClock()
	s := open(t, c.now)
	t0 := c.t
	load(t, s, "pla", "v1", procurement)
	load(t, s, "other", "x1", []fact{{"firm-9", "Firm", "name", "其他公司", "other.csv:2"}})
	c.t = c.t.Add(24 * time.Hour)
	v2 := append([]fact{}, procurement[:4]...) // drops firm-2 and the contracts
	v2 = append(v2, fact{"firm-1", "Firm", "alias", "华明科技", "awards.csv:2"})
	res := load(t, s, "pla", "v2", v2)
	if res.Previous != "v1" || res.Added != 1 || res.Removed != 9 {
		t.Errorf("v2: previous=%q added=%d removed=%d; want v1, 1, 9", res.Previous, res.Added, res.Removed)
	}
	if got := count(t, s, "SELECT count(*) FROM statements WHERE dataset = 'pla'"); got != int64(len(v2)) {
		t.Errorf("pla statements = %d, want %d", got, len(v2))
	}
	if got := count(t, s, "SELECT count(*) FROM statements WHERE dataset = 'other'"); got != 1 {
		t.Errorf("another dataset was touched: %d statements, want 1", got)
	}
	e, err := s.Entity(context.Background(), "firm-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range e.Statements {
		want := t0
		if st.Property == "alias" {
			want = c.t
		}
		if !st.FirstSeen.Equal(want) || !st.LastSeen.Equal(c.t) {
			t.Errorf("%s=%s: first seen %v last seen %v; want %v and %v", st.Property, st.Value, st.FirstSeen, st.LastSeen, want, c.t)
		}
	}
	if _, err := s.Entity(context.Background(), "firm-2"); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("firm-2 should be gone with v2, got %v", err)
	}
}

func testFailedLoad(t *testing.T, open Opener) {
	c := newClock()
	s := open(t, c.now)
	load(t, s, "pla", "v1", procurement)
	before := checksum(t, s)
	boom := errors.New("row 7: broken")
	_, err := s.Load(context.Background(), &cipmap.Dataset{Name: "pla", Version: "v2"}, func(w cipmap.Writer) error {
		for i := 0; i < 1000; i++ {
			if err := w.Statement(&cipmap.Statement{EntityID: fmt.Sprint("x", i), Schema: "Firm", Property: "name", Value: "x"}); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the fill error", err)
	}
	if after := checksum(t, s); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a failed load changed the store:\nbefore %v\nafter  %v", before, after)
	}
	ds, _ := s.Dataset(context.Background(), "pla")
	if ds.Version != "v1" {
		t.Errorf("version = %s after failed load, want v1", ds.Version)
	}
	// A statement the writer refuses fails the load too.
	_, err = s.Load(context.Background(), &cipmap.Dataset{Name: "pla", Version: "v3"}, func(w cipmap.Writer) error {
		return w.Statement(&cipmap.Statement{Schema: "Firm", Property: "name", Value: "no id"})
	})
	if cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("statement without entity id: got %v, want EINVALID", err)
	}
	if after := checksum(t, s); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a refused statement changed the store")
	}
}

// checksum summarises the store's content: counts and an order-independent hash of
// every statement, dataset and fact row.
func checksum(t *testing.T, s cipmap.Store) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		"SELECT count(*) FROM statements",
		"SELECT count(*) FROM entities",
		"SELECT count(*) FROM datasets",
		"SELECT count(*) FROM financials",
		"SELECT count(*) FROM trade_flows",
		"SELECT count(*) FROM tags",
		"SELECT count(*) FROM crosswalk_edges",
		"SELECT count(*) FROM clusters",
		"SELECT count(*) FROM judgements",
	} {
		out = append(out, fmt.Sprint(count(t, s, q)))
	}
	var rows []string
	err := s.Statements(context.Background(), cipmap.StatementFilter{}, func(st *cipmap.Statement) error {
		rows = append(rows, fmt.Sprint(*st))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := s.Datasets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		rows = append(rows, fmt.Sprint(d))
	}
	sort.Strings(rows)
	return append(out, fmt.Sprint(len(rows)), fmt.Sprintf("%x", hashStrings(rows)))
}

func hashStrings(ss []string) uint64 {
	var h uint64 = 14695981039346656037
	for _, s := range ss {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
		h ^= 0xff
		h *= 1099511628211
	}
	return h
}

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

func testFacts(t *testing.T, open Opener) {
	c := newClock()
	s := open(t, c.now)
	fill := func(n int) func(w cipmap.Writer) error {
		return func(w cipmap.Writer) error {
			for i := 0; i < n; i++ {
				if err := w.Financial(&cipmap.Financial{EntityID: fmt.Sprint("firm-", i), Year: 2015 + i, Currency: "CNY",
					Revenue: f64(1.5e8 + float64(i)), Employees: i64(int64(100 + i)), Source: fmt.Sprint("fin.csv:", i+2)}); err != nil {
					return err
				}
				if err := w.TradeFlow(&cipmap.TradeFlow{Year: 2020, Reporter: "CHN", Partner: "USA", HS6: "850440", Flow: "export",
					Value: f64(1000 * float64(i+1)), Currency: "USD", Source: fmt.Sprint("trade.csv:", i+2)}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	if _, err := s.Load(context.Background(), &cipmap.Dataset{Name: "fin", Version: "1"}, fill(3)); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s, "SELECT count(*) FROM financials WHERE loans IS NULL AND revenue > 1e8 AND dataset = 'fin'"); got != 3 {
		t.Errorf("financials rows = %d, want 3 with unknown loans", got)
	}
	if got := count(t, s, "SELECT CAST(sum(value) AS BIGINT) FROM trade_flows"); got != 6000 {
		t.Errorf("trade value sum = %d, want 6000", got)
	}
	if _, err := s.Load(context.Background(), &cipmap.Dataset{Name: "fin", Version: "2"}, fill(2)); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s, "SELECT count(*) FROM financials"); got != 2 {
		t.Errorf("after v2 financials = %d, want 2 (replaced)", got)
	}
	ds, _ := s.Dataset(context.Background(), "fin")
	if ds.Facts != 4 {
		t.Errorf("dataset facts = %d, want 4", ds.Facts)
	}
}

func testSearch(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	load(t, s, "pla", "v1", procurement)
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"航天", []string{"firm-1", "gov-1"}},
		{"硕橙", []string{"firm-2"}},
		{"huaming", []string{"firm-1"}},
		{"中国航天科技集团有限公司", []string{"gov-1"}},
		{"报警器", []string{"c-1"}},
		{"nothing like this", nil},
	} {
		hits, err := s.Search(context.Background(), cipmap.SearchQuery{Text: tc.text})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.EntityID)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("search %q = %v, want %v", tc.text, got, tc.want)
		}
	}
	hits, _ := s.Search(context.Background(), cipmap.SearchQuery{Text: "中国航天科技集团有限公司"})
	if len(hits) == 1 && (hits[0].Score != 1 || hits[0].Caption != "中国航天科技集团有限公司" || hits[0].Datasets != "pla") {
		t.Errorf("exact hit = %+v", hits[0])
	}
	hits, _ = s.Search(context.Background(), cipmap.SearchQuery{Text: "航天", Schemas: []string{"Firm"}})
	if len(hits) != 1 || hits[0].EntityID != "firm-1" {
		t.Errorf("search by schema = %+v", hits)
	}
	if _, err := s.Search(context.Background(), cipmap.SearchQuery{Text: "  "}); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("empty search: %v", err)
	}
}

func testQueryReadOnly(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	load(t, s, "pla", "v1", procurement)
	before := checksum(t, s)
	for _, q := range []string{
		"DELETE FROM statement",
		"DROP TABLE statement",
		"INSERT INTO dataset (name) VALUES ('x')",
		"UPDATE statement SET value = 'x'",
		"CREATE TABLE x (a INTEGER)",
	} {
		_, err := s.Query(context.Background(), q)
		if err == nil {
			t.Errorf("%s: allowed", q)
			continue
		}
		if code := cipmap.ErrorCode(err); code != cipmap.EREADONLY {
			t.Errorf("%s: error code %s (%v), want %s", q, code, err, cipmap.EREADONLY)
		}
	}
	if after := checksum(t, s); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a refused query changed the store")
	}
	tab, err := s.Query(context.Background(), "SELECT property, count(*) AS n FROM statements WHERE entity_id = 'c-1' GROUP BY property ORDER BY property")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(tab.Columns) != "[property n]" || len(tab.Rows) != 5 {
		t.Errorf("query = %v %v", tab.Columns, tab.Rows)
	}
	if _, err := s.Query(context.Background(), "SELEC nonsense"); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("bad SQL: %v, want EINVALID", err)
	}
}

func testViews(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	load(t, s, "pla", "v1", procurement)
	tab, err := s.Query(context.Background(), "SELECT id, buyer, supplier, amount, currency, title, datasets FROM contracts ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 2 {
		t.Fatalf("contracts = %v", tab.Rows)
	}
	r := tab.Rows[0]
	if fmt.Sprintf("%v %v %v", r[0], r[1], r[2]) != "c-1 gov-1 firm-1" || toInt(t, r[3]) != 25200 || fmt.Sprintf("%v %v %v", r[4], r[5], r[6]) != "CNY 智能哨位声光报警器 pla" {
		t.Errorf("contracts row = %v", r)
	}
	if got := count(t, s, "SELECT count(*) FROM firms WHERE name LIKE '%科技%'"); got != 2 {
		t.Errorf("firms view: %d, want 2", got)
	}
	if got := count(t, s, "SELECT count(*) FROM entities WHERE schema = 'Firm'"); got != 2 {
		t.Errorf("entities view: %d firms, want 2", got)
	}
	if got := count(t, s, "SELECT count(*) FROM datasets"); got != 1 {
		t.Errorf("datasets view: %d", got)
	}
}

func testDelete(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	load(t, s, "pla", "v1", procurement)
	load(t, s, "other", "x1", []fact{{"firm-9", "Firm", "name", "其他公司", "other.csv:2"}})
	if err := s.DeleteDataset(context.Background(), "pla"); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s, "SELECT count(*) FROM statements"); got != 1 {
		t.Errorf("after delete: %d statements, want 1", got)
	}
	if err := s.DeleteDataset(context.Background(), "pla"); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("deleting twice: %v", err)
	}
}

func testStats(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	load(t, s, "pla", "v1", procurement)
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Datasets != 1 || st.Entities != 5 || st.Statements != int64(len(procurement)) || st.BySchema["Firm"] != 2 || st.BySchema["Contract"] != 2 {
		t.Errorf("stats = %+v", st)
	}
}

// A dataset's params (how the version was made, as JSON) round-trip and are
// replaced with the version.
func testParams(t *testing.T, open Opener) {
	c := newClock()
	s := open(t, c.now)
	ctx := context.Background()
	params := `{"lambda":1e-06,"note":"引号 \"quoted\", 逗号,\nnew line"}`
	noop := func(w cipmap.Writer) error { return nil }
	if _, err := s.Load(ctx, &cipmap.Dataset{Name: "resolve", Version: "1", Params: params}, noop); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Dataset(ctx, "resolve")
	if err != nil || ds.Params != params {
		t.Fatalf("params = %q (%v), want %q", ds.Params, err, params)
	}
	if _, err := s.Load(ctx, &cipmap.Dataset{Name: "resolve", Version: "2"}, noop); err != nil {
		t.Fatal(err)
	}
	all, err := s.Datasets(ctx)
	if err != nil || len(all) != 1 || all[0].Params != "" || all[0].Version != "2" {
		t.Errorf("after a version without params: %+v (%v)", all, err)
	}
}
