package patent_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/patent"
	"github.com/cipmap/cipmap/schema"
)

// TestSplit splits the ipc column of patent_facts as mapping files and patent
// offices write it: codes separated by ";", with spaces around them and inside them
// ("G06N 3/08" is one code), repeated codes, empty fields.
func TestSplit(t *testing.T) {
	tests := []struct {
		name, ipc string
		want      []string
	}{
		{"empty", "", nil},
		{"only separators and spaces", " ; ;;\t; ", nil},
		{"one code", "G06N3/08", []string{"G06N3/08"}},
		{"semicolons", "G06N3/08;G06F17/00;H04L9/32", []string{"G06N3/08", "G06F17/00", "H04L9/32"}},
		{"spaces around codes", "  G06N3/08 ;  G06F17/00\t;\nH04L9/32  ", []string{"G06N3/08", "G06F17/00", "H04L9/32"}},
		{"space inside a code is kept", "G06N 3/08; B25J   9/16", []string{"G06N 3/08", "B25J   9/16"}},
		{"trailing separator", "G06N3/08;", []string{"G06N3/08"}},
		{"leading and doubled separators", ";;G06N3/08;;G06F17/00", []string{"G06N3/08", "G06F17/00"}},
		{"duplicates keep the first position", "G06F17/00;G06N3/08;G06F17/00; G06N3/08 ", []string{"G06F17/00", "G06N3/08"}},
		{"ideographic spaces are trimmed", "\u3000G06N3/08\u3000;G06F17/00", []string{"G06N3/08", "G06F17/00"}},
		{"no-break spaces are trimmed", "\u00a0G06N3/08\u00a0", []string{"G06N3/08"}},
		{"a compact code", "B25J0009160000", []string{"B25J0009160000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := patent.Split(tt.ipc); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q) = %q, want %q", tt.ipc, got, tt.want)
			}
		})
	}
}

// TestSplitOtherSeparators: Chinese patent data often separates IPC codes with a
// full-width semicolon "；" or with commas, neither of which can occur inside an IPC
// code. Split knows only ";": such a field is one "code" that the crosswalk refuses,
// and the patent's whole mass is lost.
func TestSplitOtherSeparators(t *testing.T) {
	tests := []struct {
		name, ipc string
		want      []string
	}{
		{"full-width semicolon", "G06N3/08；G06F17/00", []string{"G06N3/08", "G06F17/00"}},
		{"comma", "G06N3/08,G06F17/00", []string{"G06N3/08", "G06F17/00"}},
		{"full-width comma", "G06N3/08，G06F17/00", []string{"G06N3/08", "G06F17/00"}},
		{"enumeration comma", "G06N3/08、G06F17/00", []string{"G06N3/08", "G06F17/00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := patent.Split(tt.ipc); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q) = %q, want %q", tt.ipc, got, tt.want)
			}
		})
	}
}

// FuzzSplit: Split never panics, and its codes are trimmed, non-empty, distinct,
// free of separators and found in the field.
func FuzzSplit(f *testing.F) {
	const seps = ";；,，、"
	for _, s := range []string{"", ";", "G06N3/08;G06F17/00", " G06N 3/08 ; ;G06N 3/08", "G06N3/08；G06F17/00",
		"\u3000;\u00a0", "a;b;a;c", "\xff;\xfe ;", ";;;x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ipc string) {
		got := patent.Split(ipc)
		seen := map[string]bool{}
		for _, c := range got {
			if c == "" || c != strings.TrimSpace(c) || strings.ContainsAny(c, seps) {
				t.Errorf("Split(%q) has code %q: want trimmed, non-empty, without separators", ipc, c)
			}
			if seen[c] {
				t.Errorf("Split(%q) has %q twice", ipc, c)
			}
			seen[c] = true
			if !strings.Contains(ipc, c) {
				t.Errorf("Split(%q) has %q, which is not in the field", ipc, c)
			}
		}
		// Every non-blank piece between separators is one of the codes.
		for _, p := range strings.FieldsFunc(ipc, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
			if p = strings.TrimSpace(p); p != "" && !seen[p] {
				t.Errorf("Split(%q) = %q lost %q", ipc, got, p)
			}
		}
	})
}

// crosswalk is a test IPC → CTT converter: codes not in the map are invalid.
func crosswalk(m map[string][]patent.Share) (patent.Converter, *int) {
	calls := 0
	return func(code string) ([]patent.Share, error) {
		calls++
		s, ok := m[code]
		if !ok {
			return nil, cipmap.Errorf(cipmap.EINVALID, "%q is not an IPC code", code)
		}
		return s, nil
	}, &calls
}

// testCrosswalk: G06N3/08 is all AI; G06F17/00 half AI, half software; H04L9/32
// 0.6 security and 0.4 unmapped; A01B1/00 valid but reaching no tag.
var testCrosswalk = map[string][]patent.Share{
	"G06N3/08":  {{Tag: "ai", Weight: 1}},
	"G06F17/00": {{Tag: "ai", Weight: 0.5}, {Tag: "software", Weight: 0.5}},
	"H04L9/32":  {{Tag: "security", Weight: 0.6}},
	"A01B1/00":  nil,
}

type weighed struct {
	tags []cipmap.PatentTag
	lost float64
	bad  []string
}

func TestWeigh(t *testing.T) {
	tag := func(tg string, w float64, ev string) cipmap.PatentTag {
		return cipmap.PatentTag{Tag: tg, Weight: w, Method: "code", Evidence: ev}
	}
	tests := []struct {
		name  string
		codes []string
		want  weighed
	}{
		{"no codes", nil, weighed{}},
		{"one code, one tag", []string{"G06N3/08"}, weighed{tags: []cipmap.PatentTag{tag("ai", 1, "G06N3/08")}}},
		{"one code, two tags", []string{"G06F17/00"},
			weighed{tags: []cipmap.PatentTag{tag("ai", 0.5, "G06F17/00"), tag("software", 0.5, "G06F17/00")}}},
		// 1/2 each: ai = 1/2 + 1/2·1/2, software = 1/4.
		{"two codes share a tag", []string{"G06N3/08", "G06F17/00"},
			weighed{tags: []cipmap.PatentTag{tag("ai", 0.75, "G06N3/08;G06F17/00"), tag("software", 0.25, "G06F17/00")}}},
		// 1/3 each: security 0.6/3, lost 0.4/3 + 1/3 (A01B1/00 maps to nothing).
		{"partly mapped and unmapped codes", []string{"H04L9/32", "A01B1/00", "G06N3/08"},
			weighed{tags: []cipmap.PatentTag{tag("ai", 1.0/3, "G06N3/08"), tag("security", 0.2, "H04L9/32")}, lost: 0.4/3 + 1.0/3}},
		// 1/4 each: the invalid codes' halves are lost and reported.
		{"invalid codes", []string{"G06N3/08", "XYZ", "G06F17/00", "G06N3/08；G06F17/00"},
			weighed{tags: []cipmap.PatentTag{tag("ai", 0.375, "G06N3/08;G06F17/00"), tag("software", 0.125, "G06F17/00")},
				lost: 0.5, bad: []string{"XYZ", "G06N3/08；G06F17/00"}}},
		{"only invalid", []string{"XYZ"}, weighed{lost: 1, bad: []string{"XYZ"}}},
		// Ties are ordered by tag.
		{"ties by tag", []string{"H04L9/32", "G06F17/00"},
			weighed{tags: []cipmap.PatentTag{tag("security", 0.3, "H04L9/32"), tag("ai", 0.25, "G06F17/00"), tag("software", 0.25, "G06F17/00")}, lost: 0.2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv, _ := crosswalk(testCrosswalk)
			tags, lost, bad := patent.Weigh(tt.codes, conv, nil)
			checkWeighed(t, weighed{tags, lost, bad}, tt.want)
			// A patent's weight is shared, never multiplied: tags + lost = 1.
			var sum float64
			for _, tg := range tags {
				sum += tg.Weight
			}
			if len(tt.codes) > 0 && (sum > 1+1e-12 || math.Abs(sum+lost-1) > 1e-12) {
				t.Errorf("tags sum to %v and lost %v: want at most 1, and 1 together", sum, lost)
			}
		})
	}
}

func checkWeighed(t *testing.T, got, want weighed) {
	t.Helper()
	if len(got.tags) != len(want.tags) {
		t.Fatalf("tags = %+v, want %+v", got.tags, want.tags)
	}
	for i := range got.tags {
		g, w := got.tags[i], want.tags[i]
		if g.Tag != w.Tag || math.Abs(g.Weight-w.Weight) > 1e-12 || g.Method != w.Method || g.Evidence != w.Evidence {
			t.Errorf("tag %d = %+v, want %+v", i, g, w)
		}
	}
	if math.Abs(got.lost-want.lost) > 1e-12 {
		t.Errorf("lost = %v, want %v", got.lost, want.lost)
	}
	if !reflect.DeepEqual(got.bad, want.bad) {
		t.Errorf("invalid = %q, want %q", got.bad, want.bad)
	}
}

// TestWeighSumProperty: for random patents over the test crosswalk, the tags never
// exceed the patent's unit, and tags + lost is exactly 1.
func TestWeighSumProperty(t *testing.T) {
	pool := []string{"G06N3/08", "G06F17/00", "H04L9/32", "A01B1/00", "bad-1", "bad-2"}
	conv, _ := crosswalk(testCrosswalk)
	cache := map[string][]patent.Share{}
	// A fixed enumeration of every subset of the pool in two orders: deterministic.
	for mask := 1; mask < 1<<len(pool); mask++ {
		var codes []string
		for i, c := range pool {
			if mask&(1<<i) != 0 {
				codes = append(codes, c)
			}
		}
		for _, order := range [][]string{codes, reversed(codes)} {
			tags, lost, _ := patent.Weigh(order, conv, cache)
			var sum float64
			for _, tg := range tags {
				sum += tg.Weight
				if tg.Weight <= 0 {
					t.Errorf("%v: tag %s with weight %v", order, tg.Tag, tg.Weight)
				}
			}
			if sum > 1+1e-12 || math.Abs(sum+lost-1) > 1e-12 {
				t.Errorf("%v: tags %v + lost %v, want 1", order, sum, lost)
			}
			if !sort.SliceIsSorted(tags, func(i, j int) bool {
				return tags[i].Weight > tags[j].Weight || (tags[i].Weight == tags[j].Weight && tags[i].Tag < tags[j].Tag)
			}) {
				t.Errorf("%v: tags not largest first: %+v", order, tags)
			}
		}
	}
}

func reversed(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[len(ss)-1-i] = s
	}
	return out
}

// TestWeighCache: a cache converts each code once, and a patent weighed from the
// cache gets the same tags and lost mass as one weighed without it.
func TestWeighCache(t *testing.T) {
	codes := []string{"G06N3/08", "H04L9/32", "G06F17/00", "A01B1/00"}
	conv, calls := crosswalk(testCrosswalk)
	want := func() weighed { tg, l, b := patent.Weigh(codes, conv, nil); return weighed{tg, l, b} }()
	*calls = 0
	cache := map[string][]patent.Share{}
	for i := 0; i < 3; i++ {
		tags, lost, bad := patent.Weigh(codes, conv, cache)
		checkWeighed(t, weighed{tags, lost, bad}, want)
	}
	if *calls != len(codes) {
		t.Errorf("converter called %d times for %d codes weighed three times, want once each", *calls, len(codes))
	}
	if len(cache) != len(codes) {
		t.Errorf("cache holds %d codes, want %d", len(cache), len(codes))
	}
}

// TestWeighCacheInvalid: an invalid code weighed from the cache is lost as before,
// and reported as invalid as before.
func TestWeighCacheInvalid(t *testing.T) {
	codes := []string{"G06N3/08", "XYZ"}
	conv, _ := crosswalk(testCrosswalk)
	cache := map[string][]patent.Share{}
	first := func() weighed { tg, l, b := patent.Weigh(codes, conv, cache); return weighed{tg, l, b} }()
	if !reflect.DeepEqual(first.bad, []string{"XYZ"}) || math.Abs(first.lost-0.5) > 1e-12 {
		t.Fatalf("first weighing: lost %v, invalid %q; want 0.5 and XYZ", first.lost, first.bad)
	}
	tags, lost, bad := patent.Weigh(codes, conv, cache)
	if math.Abs(lost-0.5) > 1e-12 || len(tags) != 1 {
		t.Errorf("from the cache: tags %+v, lost %v; want ai 0.5, lost 0.5", tags, lost)
	}
	if !reflect.DeepEqual(bad, first.bad) {
		t.Errorf("from the cache: invalid %q, want %q as the first time", bad, first.bad)
	}
}

// patentRow is a compact patent_facts row: one per patent and applicant.
type patentRow struct {
	id, applicant string
	applicants    int
	ipc           string
	year          int
}

func openStore(t *testing.T) cipmap.Store {
	t.Helper()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	st, err := duckdb.Open(context.Background(), filepath.Join(t.TempDir(), "p.duckdb"), duckdb.Options{Schemas: schemas, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func loadPatents(t *testing.T, st cipmap.Store, dataset string, rows []patentRow) {
	t.Helper()
	_, err := st.Load(context.Background(), &cipmap.Dataset{Name: dataset, Version: "v1"}, func(w cipmap.Writer) error {
		for i, r := range rows {
			if err := w.Patent(&cipmap.Patent{PatentID: r.id, ApplicantID: r.applicant, Applicants: r.applicants,
				IPC: r.ipc, Year: r.year, Source: fmt.Sprintf("%s.csv:%d", dataset, i+2)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tagRows reads the patent_tags rows as "patent|year|system|tag|weight|mass|method|evidence|source".
func tagRows(t *testing.T, st cipmap.Store, dataset string) []string {
	t.Helper()
	tab, err := st.Query(context.Background(), `SELECT patent_id, coalesce(CAST(year AS VARCHAR), '-'), system, tag,
		round(weight, 6), round(mass, 6), method, evidence, source FROM patent_tags WHERE dataset = '`+dataset+`' ORDER BY patent_id, tag`)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range tab.Rows {
		out = append(out, fmt.Sprintf("%v|%v|%v|%v|%.6g|%.6g|%v|%v|%v", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]))
	}
	return out
}

// TestTag tags hand-written patent_facts and checks every patent_tags row and the
// report against the shares computed by hand.
func TestTag(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	loadPatents(t, st, "cnipa", []patentRow{
		// p1: two applicants (two rows), one code: ai 1.
		{"p1", "firm-a", 2, "G06N3/08", 2020},
		{"p1", "firm-b", 2, "G06N3/08", 2020},
		// p2: ai 1/2 + 1/4 = 0.75, software 0.25.
		{"p2", "firm-a", 1, "G06N3/08; G06F17/00", 2021},
		// p3: security 0.6/3 = 0.2, ai 1/3; lost 0.4/3 + 1/3 (A01B1/00 reaches no tag).
		{"p3", "firm-c", 1, "H04L9/32;A01B1/00;G06N3/08;G06N3/08", 2021},
		// p4: a design without IPC codes.
		{"p4", "firm-c", 1, "", 2021},
		// p5: one valid, one invalid code: ai 0.5, lost 0.5; XYZ invalid.
		{"p5", "firm-d", 1, "G06N3/08;XYZ", 2022},
		// p6: only invalid codes, no year: lost 1, tagged nothing; XYZ again, 99 new.
		{"p6", "firm-d", 1, "XYZ;99", 0},
	})
	conv, _ := crosswalk(testCrosswalk)
	rep, err := patent.Tag(ctx, st, conv, patent.Options{Version: "test-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"p1|2020|ctt|ai|1|1|code|G06N3/08|patent_facts:p1",
		"p2|2021|ctt|ai|0.75|1|code|G06N3/08;G06F17/00|patent_facts:p2",
		"p2|2021|ctt|software|0.25|1|code|G06F17/00|patent_facts:p2",
		"p3|2021|ctt|ai|0.333333|0.533333|code|G06N3/08|patent_facts:p3",
		"p3|2021|ctt|security|0.2|0.533333|code|H04L9/32|patent_facts:p3",
		"p5|2022|ctt|ai|0.5|0.5|code|G06N3/08|patent_facts:p5",
	}
	if got := tagRows(t, st, "patent-tags"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("patent_tags:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantLost := (0.4/3 + 1.0/3) + 0.5 + 1
	wantMass := 1 + 1 + (1.0/3 + 0.2) + 0.5
	if rep.Patents != 6 || rep.Tagged != 4 || rep.NoIPC != 1 || rep.Rows != 6 {
		t.Errorf("report: %d patents, %d tagged, %d without IPC, %d rows; want 6, 4, 1, 6", rep.Patents, rep.Tagged, rep.NoIPC, rep.Rows)
	}
	if math.Abs(rep.Mass-wantMass) > 1e-9 || math.Abs(rep.Lost-wantLost) > 1e-9 {
		t.Errorf("report: mass %v, lost %v; want %v, %v", rep.Mass, rep.Lost, wantMass, wantLost)
	}
	// Every patent with IPC codes is one unit, tagged or lost.
	if got := rep.Mass + rep.Lost; math.Abs(got-float64(rep.Patents-rep.NoIPC)) > 1e-9 {
		t.Errorf("mass + lost = %v, want %d", got, rep.Patents-rep.NoIPC)
	}
	// Distinct codes: G06N3/08, G06F17/00, H04L9/32, A01B1/00, XYZ, 99.
	if rep.Codes != 6 || rep.Invalid != 2 || !reflect.DeepEqual(rep.Examples, []string{"XYZ", "99"}) {
		t.Errorf("report: %d codes, %d invalid %q; want 6, 2 [XYZ 99]", rep.Codes, rep.Invalid, rep.Examples)
	}
	if rep.Load == nil || rep.Load.Unchanged || !strings.HasPrefix(rep.Load.Dataset.Version, "sha256:") {
		t.Errorf("load: %+v, want a new sha256 version", rep.Load)
	}

	// The same patents and crosswalk again: nothing written. A new crosswalk version
	// re-tags.
	again, err := patent.Tag(ctx, st, conv, patent.Options{Version: "test-1"})
	if err != nil || !again.Load.Unchanged {
		t.Errorf("tagging again: unchanged %v, err %v; want unchanged", again != nil && again.Load.Unchanged, err)
	}
	newer, err := patent.Tag(ctx, st, conv, patent.Options{Version: "test-2"})
	if err != nil || newer.Load.Unchanged || newer.Load.Previous != rep.Load.Dataset.Version {
		t.Errorf("new crosswalk version: %+v, err %v; want a new version replacing %s", newer.Load, err, rep.Load.Dataset.Version)
	}
}

// TestTagSources: a patent in two datasets counts once; Sources narrows the tagging
// to some datasets, and a dataset without patents is ENOTFOUND.
func TestTagSources(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	loadPatents(t, st, "a", []patentRow{{"p1", "x", 1, "G06N3/08", 2020}, {"p2", "x", 1, "G06F17/00", 2021}})
	loadPatents(t, st, "b", []patentRow{{"p1", "y", 1, "G06N3/08", 2020}, {"p3", "y", 1, "H04L9/32", 2021}})
	conv, _ := crosswalk(testCrosswalk)

	rep, err := patent.Tag(ctx, st, conv, patent.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Patents != 3 || rep.Rows != 4 || math.Abs(rep.Mass-2.6) > 1e-9 || math.Abs(rep.Lost-0.4) > 1e-9 {
		t.Errorf("both datasets: %d patents, %d rows, mass %v, lost %v; want 3, 4, 2.6, 0.4", rep.Patents, rep.Rows, rep.Mass, rep.Lost)
	}
	if rep.Load.Dataset.Source != "cipmap patents tag: IPC → ctt over a, b" {
		t.Errorf("source = %q", rep.Load.Dataset.Source)
	}

	rep, err = patent.Tag(ctx, st, conv, patent.Options{Dataset: "b-tags", Sources: []string{"b"}, System: "ctt"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"p1|2020|ctt|ai|1|1|code|G06N3/08|patent_facts:p1",
		"p3|2021|ctt|security|0.6|0.6|code|H04L9/32|patent_facts:p3",
	}
	if got := tagRows(t, st, "b-tags"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tags of dataset b:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.Patents != 2 || math.Abs(rep.Mass-1.6) > 1e-9 || math.Abs(rep.Lost-0.4) > 1e-9 {
		t.Errorf("dataset b: %d patents, mass %v, lost %v; want 2, 1.6, 0.4", rep.Patents, rep.Mass, rep.Lost)
	}

	if _, err := patent.Tag(ctx, st, conv, patent.Options{Sources: []string{"nope"}}); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("unknown source: %v, want ENOTFOUND", err)
	}
}

// TestTagEmpty: a store without patents is ENOTFOUND, before any code is converted.
func TestTagEmpty(t *testing.T) {
	st := openStore(t)
	conv := func(string) ([]patent.Share, error) { return nil, errors.New("unused") }
	if _, err := patent.Tag(context.Background(), st, conv, patent.Options{}); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("empty patent_facts: %v, want ENOTFOUND", err)
	}
}
