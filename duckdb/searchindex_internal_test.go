package duckdb

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/schema"
)

// Each pair of characters lists exactly the rows whose lowered value holds it,
// once each and in order, however often the pair comes back in a value.
func TestSearchIndexPairs(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var err error
	names := []string{"abab", "ABAB 有限公司", "公司公司公司", "a", "", "Ünïcödé ÜN", "有限责任公司", "ab"}
	_, err = db.Load(ctx, &cipmap.Dataset{Name: "n", Version: "1"}, func(w cipmap.Writer) error {
		for i, n := range names {
			if n == "" {
				continue
			}
			if err := w.Statement(&cipmap.Statement{EntityID: fmt.Sprint("f", i), Schema: "Firm", Property: "name", Value: n,
				Dataset: "n", Source: fmt.Sprint("n.csv:", i+2)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.BuildSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	ix := db.searchIndex()
	want := map[uint64][]uint32{}
	for k, r := range ix.rows {
		var ps []uint64
		forPairs(ix.str(r.lower), func(p uint64) { ps = append(ps, p) })
		slices.Sort(ps)
		for _, p := range slices.Compact(ps) {
			want[p] = append(want[p], uint32(k))
		}
	}
	if len(ix.pairs) != len(want) {
		t.Errorf("%d pairs, want %d", len(ix.pairs), len(want))
	}
	for p, rows := range want {
		if got := ix.rowsWith(p); !slices.Equal(got, rows) {
			t.Errorf("pair %q%q: rows %v, want %v", rune(p>>32), rune(uint32(p)), got, rows)
		}
	}
	if got := ix.rowsWith(uint64('x')<<32 | 'y'); len(got) != 0 {
		t.Errorf("a pair in no value: rows %v", got)
	}
	long := make([]uint32, 200)
	for i := range long {
		long[i] = uint32(2 * i)
	}
	for _, c := range []struct{ a, b, want []uint32 }{
		{[]uint32{1, 4, 9, 12}, []uint32{0, 1, 2, 9, 10, 12, 13}, []uint32{1, 9, 12}}, // merged
		{[]uint32{3, 4, 398, 399}, long, []uint32{4, 398}},                            // searched
		{nil, long, []uint32{}},
		{[]uint32{0, 1, 399, 400, 1000}, long, []uint32{0}}, // the ends of b
		{[]uint32{397, 398}, long, []uint32{398}},
	} {
		if got := intersect(c.a, c.b); !slices.Equal(got, c.want) {
			t.Errorf("intersect(%v, ...): %v, want %v", c.a, got, c.want)
		}
	}
	// Random lists of every ratio of lengths, against a set.
	rng := rand.New(rand.NewPCG(1, 2))
	list := func(n, max int) []uint32 {
		m := map[uint32]bool{}
		for range n {
			m[uint32(rng.IntN(max))] = true
		}
		return slices.Sorted(maps.Keys(m))
	}
	for i := range 2000 {
		a, b := list(rng.IntN(50), 1000), list(rng.IntN(2000), 1000+i)
		if len(a) > len(b) {
			a, b = b, a
		}
		in := map[uint32]bool{}
		for _, x := range b {
			in[x] = true
		}
		want := []uint32{}
		for _, x := range a {
			if in[x] {
				want = append(want, x)
			}
		}
		if got := intersect(a, b); !slices.Equal(got, want) {
			t.Fatalf("intersect(%v, %v): %v, want %v", a, b, got, want)
		}
	}
	hits := ix.find(cipmap.SearchQuery{}, "公司", 10)
	if len(hits) != 3 || hits[0].Value != "公司公司公司" {
		t.Errorf("search 公司: %+v", hits)
	}
}

// openTemp opens a new database in the test's folder, closed when the test ends.
func openTemp(t *testing.T) *DB {
	t.Helper()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.duckdb"), Options{Schemas: schemas})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSearchIndexEntity: with the search index built, Entity takes the schema and
// caption of a named entity from it, and answers every entity (named or not, in
// one dataset or two, or none) exactly as it does from its queries.
func TestSearchIndexEntity(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var err error
	type st struct{ id, schema, prop, value string }
	sets := map[string][]st{
		"a": {{"f1", "Firm", "name", "甲公司"}, {"f1", "Firm", "name_en", "Jia Co"}, {"f2", "Firm", "name", "乙公司"},
			{"p1", "Person", "name", "张三"}, {"o1", "Ownership", "owner", "p1"}, {"o1", "Ownership", "asset", "f1"},
			{"f3", "Firm", "uscc", "91110000000000000X"}},
		"b": {{"f1", "Firm", "name", "甲有限公司"}, {"f2", "Firm", "name_en", "Yi Ltd"}, {"o1", "Ownership", "percentage", "40"}},
	}
	for _, ds := range []string{"a", "b"} {
		_, err = db.Load(ctx, &cipmap.Dataset{Name: ds, Version: "1"}, func(w cipmap.Writer) error {
			for i, s := range sets[ds] {
				if err := w.Statement(&cipmap.Statement{EntityID: s.id, Schema: s.schema, Property: s.prop, Value: s.value,
					Dataset: ds, Source: fmt.Sprint(ds, ".csv:", i+2)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	ids := []string{"f1", "f2", "f3", "p1", "o1", "nobody"}
	show := func(e *cipmap.Entity, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprintf("%s %s %d statements", e.Schema, e.Caption, len(e.Statements))
	}
	want := map[string]string{}
	for _, id := range ids {
		want[id] = show(db.Entity(ctx, id))
	}
	if _, err := db.BuildSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	caps := db.Captions(ids)
	for _, id := range ids {
		if got := show(db.Entity(ctx, id)); got != want[id] {
			t.Errorf("entity %s with the index: %s, want %s", id, got, want[id])
		}
		_, _, ok := db.indexedEntity(id)
		if _, has := caps[id]; has != ok {
			t.Errorf("Captions holds %s: %v, the entity %v", id, has, ok)
		}
		if named := id == "f1" || id == "f2" || id == "p1"; ok != named {
			t.Errorf("the index holds %s: %v, want %v", id, ok, named)
		}
	}
	// Captions are the least of the node rows of by_id.
	tab, err := db.Lookup(ctx, cipmap.LookupQuery{IDs: ids, Sides: []string{"node"}, Columns: []string{"end_id", "schema", "caption", "name_en"}})
	if err != nil {
		t.Fatal(err)
	}
	least := map[string]cipmap.Caption{}
	for _, r := range tab.Rows {
		id := r[0].(string)
		c := least[id]
		for i, f := range []*string{&c.Schema, &c.Caption, &c.NameEn} {
			if v, ok := r[1+i].(string); ok && (*f == "" || v < *f) {
				*f = v
			}
		}
		least[id] = c
	}
	for id, c := range caps {
		if c != least[id] {
			t.Errorf("Captions of %s: %+v, the node rows give %+v", id, c, least[id])
		}
	}
	if caps["f2"].NameEn != "Yi Ltd" || len(caps) != 3 {
		t.Errorf("Captions: %+v", caps)
	}
	if want["f1"] != "Firm 甲公司 3 statements" {
		t.Errorf("f1: %s", want["f1"])
	}
}
