package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/schema"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var fixedNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func now() time.Time { return fixedNow }

func openDB(t *testing.T) (*duckdb.DB, cipmap.Schemas) {
	t.Helper()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	db, err := duckdb.Open(context.Background(), filepath.Join(t.TempDir(), "t.duckdb"), duckdb.Options{Schemas: schemas, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, schemas
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }

// writeFiles writes name → content into a temporary folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func run(t *testing.T, db cipmap.Store, schemas cipmap.Schemas, mappingPath string, opts ingest.Options) (*ingest.Summary, error) {
	t.Helper()
	m, err := ingest.LoadMapping(mappingPath, schemas)
	if err != nil {
		return nil, err
	}
	opts.Now = now
	return ingest.Run(context.Background(), db, m, opts)
}

func count(t *testing.T, db cipmap.Store, q string) int64 {
	t.Helper()
	tab, err := db.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var n int64
	fmt.Sscan(fmt.Sprint(tab.Rows[0][0]), &n)
	return n
}

const firmsMapping = `
dataset: {name: firms, title: Firms, licence: CC0-1.0}
source: {path: firms.csv}
entities:
  - key: firm
    schema: Firm
    id: {columns: [name]}
    properties:
      name: {column: name, lang: zh}
      uscc: uscc
      founded: founded
      registered_capital: {column: capital, type: money, currency: CNY}
`

const firmsCSV = "name,uscc,founded,capital\n" +
	"华为技术有限公司,914403001922038216,1987/9/15,403.1亿元\n" +
	"中芯国际集成电路制造（上海）有限公司,91310000607206953D,2000年12月21日,\"3,500万元\"\n" +
	",,,\n" +
	"硕橙（厦门）科技有限公司,,2016-05-01,USD 2.5m\n"

func TestIngestParsesValuesWithProvenance(t *testing.T) {
	db, schemas := openDB(t)
	dir := writeFiles(t, map[string]string{"mapping.yaml": firmsMapping, "firms.csv": firmsCSV})
	sum, err := run(t, db, schemas, filepath.Join(dir, "mapping.yaml"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 3 || sum.EmptyRows != 1 || sum.Entities != 3 {
		t.Errorf("rows=%d empty=%d entities=%d, want 3, 1, 3", sum.Rows, sum.EmptyRows, sum.Entities)
	}
	tab, err := db.Query(context.Background(), "SELECT name, uscc, founded, registered_capital, currency FROM firms ORDER BY founded")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(tab.Rows)
	want := "[[华为技术有限公司 914403001922038216 1987-09-15 4.031e+10 CNY] [中芯国际集成电路制造(上海)有限公司 91310000607206953D 2000-12-21 3.5e+07 CNY] [硕橙(厦门)科技有限公司 <nil> 2016-05-01 2.5e+06 USD]]"
	if got != want {
		t.Errorf("firms =\n%s\nwant\n%s", got, want)
	}
	hits, _ := db.Search(context.Background(), cipmap.SearchQuery{Text: "华为"})
	if len(hits) != 1 {
		t.Fatalf("search 华为: %v", hits)
	}
	e, err := db.Entity(context.Background(), hits[0].EntityID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range e.Statements {
		if s.Dataset != "firms" || s.Source != "firms.csv:2" {
			t.Errorf("%s: dataset %q source %q, want firms and firms.csv:2", s.Property, s.Dataset, s.Source)
		}
		if s.Property == "registered_capital" && (s.Value != "40310000000" || s.Original != "403.1亿元") {
			t.Errorf("registered_capital = %q from %q, want 40310000000 from 403.1亿元", s.Value, s.Original)
		}
	}
}

func TestIngestTwiceIsUnchanged(t *testing.T) {
	db, schemas := openDB(t)
	dir := writeFiles(t, map[string]string{"mapping.yaml": firmsMapping, "firms.csv": firmsCSV})
	first, err := run(t, db, schemas, filepath.Join(dir, "mapping.yaml"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := run(t, db, schemas, filepath.Join(dir, "mapping.yaml"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !second.Unchanged || second.Statements != first.Statements {
		t.Errorf("second ingest: unchanged=%v statements %d, want unchanged and %d", second.Unchanged, second.Statements, first.Statements)
	}
	// A changed file is a new version that replaces the old facts.
	os.WriteFile(filepath.Join(dir, "firms.csv"), []byte(firmsCSV[:strings.Index(firmsCSV, ",,,")]), 0o644)
	third, err := run(t, db, schemas, filepath.Join(dir, "mapping.yaml"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if third.Unchanged || third.Previous != first.Version || third.Entities != 2 {
		t.Errorf("third ingest: %+v", third)
	}
}

// storeState is a content summary that must not change when an ingest fails.
func storeState(t *testing.T, db cipmap.Store) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{"SELECT count(*) FROM statements", "SELECT count(*) FROM entities", "SELECT count(*) FROM datasets",
		"SELECT coalesce(sum(hash(id || value || coalesce(source, ''))), 0) FROM statements",
		"SELECT coalesce(sum(hash(name || version)), 0) FROM datasets"} {
		fmt.Fprintf(&b, "%d;", count(t, db, q))
	}
	return b.String()
}

func TestBadInputNamesItsPlaceAndChangesNothing(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(firmsCSV)
	for _, tc := range []struct {
		name string
		csv  string
		want []string // each must appear in the error report
	}{
		{"broken quote", "name,uscc,founded,capital\n华为技术有限公司,914403001922038216,1987/9/15,\"403.1亿元\n", []string{"firms.csv:2", "quote"}},
		{"GBK declared utf-8", gbk, []string{"firms.csv:2", "gbk"}},
		{"invalid credit code", "name,uscc,founded,capital\n华为技术有限公司,914403001922038217,1987/9/15,1亿元\n中兴,91440300279245893Z,1985-01-01,1\n",
			[]string{"firms.csv:2:", `column "uscc"`, `"914403001922038217"`, "firms.csv:3:"}},
		{"impossible date", "name,uscc,founded,capital\n华为技术有限公司,,2080-01-01,1\n", []string{"firms.csv:2:", "2080"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, schemas := openDB(t)
			good := writeFiles(t, map[string]string{"mapping.yaml": firmsMapping, "firms.csv": firmsCSV})
			if _, err := run(t, db, schemas, filepath.Join(good, "mapping.yaml"), ingest.Options{}); err != nil {
				t.Fatal(err)
			}
			before := storeState(t, db)
			mapping := strings.Replace(firmsMapping, "source: {path: firms.csv}", "source: {path: firms.csv, encoding: utf-8}", 1)
			bad := writeFiles(t, map[string]string{"mapping.yaml": mapping, "firms.csv": tc.csv})
			sum, err := run(t, db, schemas, filepath.Join(bad, "mapping.yaml"), ingest.Options{})
			if err == nil {
				t.Fatal("bad input was accepted")
			}
			if cipmap.ErrorCode(err) != cipmap.EINVALID {
				t.Errorf("error code %s, want %s: %v", cipmap.ErrorCode(err), cipmap.EINVALID, err)
			}
			report := err.Error()
			if sum != nil {
				for _, e := range sum.Errors {
					report += "\n" + e.String()
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(report, w) {
					t.Errorf("report does not mention %q:\n%s", w, report)
				}
			}
			if after := storeState(t, db); after != before {
				t.Errorf("the store changed: %s → %s", before, after)
			}
		})
	}
}

func TestSkipWritesRejects(t *testing.T) {
	db, schemas := openDB(t)
	csv := "name,uscc,founded,capital\n华为技术有限公司,914403001922038217,1987/9/15,1亿元\n中兴通讯股份有限公司,,1985-01-01,1\n"
	dir := writeFiles(t, map[string]string{"mapping.yaml": firmsMapping, "firms.csv": csv})
	var rejects strings.Builder
	sum, err := run(t, db, schemas, filepath.Join(dir, "mapping.yaml"), ingest.Options{OnError: "skip", Rejects: &rejects})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 2 || sum.Rejects != 1 || sum.Entities != 1 {
		t.Errorf("rows=%d rejects=%d entities=%d, want 2, 1, 1", sum.Rows, sum.Rejects, sum.Entities)
	}
	lines := strings.Split(strings.TrimSpace(rejects.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "firms.csv,2,") || !strings.Contains(lines[1], "914403001922038217") {
		t.Errorf("rejects file:\n%s", rejects.String())
	}
	ds, _ := db.Dataset(context.Background(), "firms")
	if ds.Rejects != 1 || ds.Rows != 2 {
		t.Errorf("dataset records rows=%d rejects=%d", ds.Rows, ds.Rejects)
	}
}

func TestMappingErrors(t *testing.T) {
	_, schemas := openDB(t)
	for _, tc := range []struct{ mapping, want string }{
		{"dataset: {name: x}\nsource: {path: a.csv}\nentities: [{key: a, schema: Nope, id: {columns: [c]}}]\n", `unknown schema "Nope"`},
		{"dataset: {name: x}\nsource: {path: a.csv}\nentities: [{key: a, schema: Firm, id: {columns: [c]}, properties: {colour: c}}]\n", `no property "colour"`},
		{"dataset: {name: x}\nsource: {path: a.csv}\nentitys: []\n", "entitys"},
		{"dataset: {name: X Y}\nsource: {path: a.csv}\nentities: [{key: a, schema: Firm, id: {columns: [c]}}]\n", "dataset.name"},
		{"dataset: {name: x}\nsource: {path: a.csv}\nentities: [{key: a, schema: Contract, id: {columns: [c]}, properties: {buyer: c}}]\n", "entity property"},
		{"dataset: {name: x}\nsource: {path: a.csv, encoding: latin1}\nentities: [{key: a, schema: Firm, id: {columns: [c]}}]\n", "encoding"},
	} {
		_, err := ingest.ParseMapping("m.yaml", []byte(tc.mapping), schemas)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "m.yaml") {
			t.Errorf("mapping %q: got %v, want an error naming m.yaml and %q", tc.mapping, err, tc.want)
		}
	}
	// A column the file does not have is named before anything is read.
	db, _ := openDB(t)
	dir := writeFiles(t, map[string]string{"mapping.yaml": strings.Replace(firmsMapping, "uscc: uscc", "uscc: credit_code", 1), "firms.csv": firmsCSV})
	_, err := run(t, db, schemas, filepath.Join(dir, "mapping.yaml"), ingest.Options{})
	if err == nil || !strings.Contains(err.Error(), `"credit_code"`) {
		t.Errorf("missing column: %v", err)
	}
	var ce *cipmap.Error
	if !errors.As(err, &ce) {
		t.Errorf("not a cipmap error: %T", err)
	}
}

// Under `invalid: drop` a mistyped credit code is dropped and reported, and the rest
// of its row is kept; other properties still fail their rows.
func TestInvalidDropKeepsTheRow(t *testing.T) {
	db, schemas := openDB(t)
	mapping := strings.Replace(firmsMapping, "uscc: uscc", "uscc: {column: uscc, invalid: drop}", 1)
	csv := "name,uscc,founded,capital\n华为技术有限公司,914403001922038217,1987/9/15,1亿元\n中兴通讯股份有限公司,9144030027939873X7,1985-01-01,1\n"
	dir := writeFiles(t, map[string]string{"mapping.yaml": mapping, "firms.csv": csv})
	sum, err := run(t, db, schemas, filepath.Join(dir, "mapping.yaml"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Entities != 2 || sum.Dropped != 1 || len(sum.DroppedValues) != 1 {
		t.Fatalf("entities=%d dropped=%d %+v, want 2 entities and the bad code dropped", sum.Entities, sum.Dropped, sum.DroppedValues)
	}
	d := sum.DroppedValues[0]
	if d.Line != 2 || d.Column != 26 || d.Value != "914403001922038217" || !strings.Contains(d.Reason, "check") {
		t.Errorf("dropped value %+v", d)
	}
	if n := count(t, db, "SELECT count(*) FROM statements WHERE property = 'uscc'"); n != 1 {
		t.Errorf("%d uscc statements, want only the valid one", n)
	}
	// A bad date still fails (only uscc is marked drop).
	csv = "name,uscc,founded,capital\n华为技术有限公司,914403001922038217,1987/13/45,1亿元\n"
	dir = writeFiles(t, map[string]string{"mapping.yaml": mapping, "firms.csv": csv})
	if _, err := run(t, db, schemas, filepath.Join(dir, "mapping.yaml"), ingest.Options{}); err == nil {
		t.Error("a bad date was accepted")
	}
	if _, err := ingest.ParseMapping("m.yaml", []byte(strings.Replace(firmsMapping, "uscc: uscc", "uscc: {column: uscc, invalid: ignore}", 1)), schemas); err == nil || !strings.Contains(err.Error(), "expected error or drop") {
		t.Errorf("invalid: ignore: %v", err)
	}
}
