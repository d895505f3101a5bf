package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
)

// tricky are values a staging format could mangle: delimiters, quotes, line breaks,
// tabs, backslashes, spaces at the edges, and Chinese text.
var tricky = []string{
	`精密减速器→减速器; "RV reducer"`,
	"工业机器人，伺服电机、精密减速器的研发",
	"a,b,,c",
	`""`,
	`say "hi", then 'bye'`,
	"line one\nline two",
	"crlf\r\nend\r",
	"tab\there\t",
	" edge spaces ",
	`back\slash \N \. NULL`,
}

// taggedV1 tags the value of each tricky business scope, plus one tag with every
// optional field empty.
func taggedV1() []cipmap.TagFact {
	weights := []float64{1.0 / 3, 0.1, 2.5e-7, 1, 0, 0.875}
	var out []cipmap.TagFact
	for i, s := range tricky {
		id := fmt.Sprintf("firm-%02d", i)
		out = append(out, cipmap.TagFact{EntityID: id, Property: "business_scope", Value: s, System: "ctt",
			Tag: "robotics.reducers", Weight: weights[i%len(weights)], Method: "rule", Evidence: s + "→减速器",
			Confidence: 1 - weights[(i+1)%len(weights)], StatementID: cipmap.StatementID("tagged", id, "business_scope", s),
			Source: fmt.Sprintf("firms.csv:%d", i+2)})
	}
	return append(out, cipmap.TagFact{EntityID: "firm-99", System: "sei2018", Tag: "2.1", Weight: 0.5, Confidence: 0.25})
}

var edgesV1 = []cipmap.CrosswalkEdge{
	{FromSystem: "gbt4754-2017", From: "3484", ToSystem: "ctt", To: "robotics.reducers", Weight: 1.0 / 3,
		WeightType: cipmap.WeightOccurrence, ValidFrom: "2017-10-01", SampleSize: 1 << 40, Source: tricky[0]},
	{FromSystem: "hs2022", From: "848340", ToSystem: "ctt", To: "robotics.reducers", Weight: 1},
	{FromSystem: "sei2018", From: "2.1.3", ToSystem: "ctt", To: tricky[2], Weight: 0.6, WeightType: cipmap.WeightExpert,
		Partial: true, ValidFrom: "2018", ValidTo: "2024", SampleSize: 12, Source: "SEI 2018 附表\n\"*\" 部分对应"},
}

// tagRow and edgeRow are the rows SELECT * returns for a tag or edge of dataset:
// empty strings are stored as NULL, as in every fact table.
func tagRow(dataset string, t cipmap.TagFact) []any {
	return []any{t.EntityID, null(t.Property), null(t.Value), t.System, t.Tag, t.Weight, null(t.Method),
		null(t.Evidence), t.Confidence, null(t.StatementID), dataset, null(t.Source)}
}

func edgeRow(dataset string, e cipmap.CrosswalkEdge) []any {
	return []any{e.FromSystem, e.From, e.ToSystem, e.To, e.Weight, null(e.WeightType), e.Partial, null(e.ValidFrom),
		null(e.ValidTo), int64(e.SampleSize), dataset, null(e.Source)}
}

func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// writeTagged writes a statement for each tagged value, then tags and edges
// interleaved, so a store that streams per table switches tables often.
func writeTagged(tags []cipmap.TagFact, edges []cipmap.CrosswalkEdge) func(cipmap.Writer) error {
	return func(w cipmap.Writer) error {
		for i := range tags {
			t := tags[i]
			if t.Value != "" {
				if err := w.Statement(&cipmap.Statement{EntityID: t.EntityID, Schema: "Firm", Property: t.Property,
					Value: t.Value, Source: t.Source}); err != nil {
					return err
				}
			}
			if err := w.Tag(&t); err != nil {
				return err
			}
			if i < len(edges) {
				if err := w.CrosswalkEdge(&edges[i]); err != nil {
					return err
				}
			}
		}
		for i := len(tags); i < len(edges); i++ {
			if err := w.CrosswalkEdge(&edges[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// checkRows compares the rows of `SELECT * FROM table WHERE dataset = ... ORDER BY
// order` with want, and the columns with cipmap.FactTables[table], dataset, source.
func checkRows(t *testing.T, s cipmap.Store, table, dataset, order string, want [][]any) {
	t.Helper()
	q := fmt.Sprintf("SELECT * FROM %s WHERE dataset = '%s' ORDER BY %s", table, dataset, order)
	tab, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	cols := append(append([]string{}, cipmap.FactTables[table]...), "dataset", "source")
	if fmt.Sprint(tab.Columns) != fmt.Sprint(cols) {
		t.Errorf("%s columns = %v, want %v", table, tab.Columns, cols)
	}
	if len(tab.Rows) != len(want) {
		t.Errorf("%s rows of %s = %d, want %d", table, dataset, len(tab.Rows), len(want))
	}
	for i := 0; i < len(tab.Rows) && i < len(want); i++ {
		if got, w := fmt.Sprintf("%#v", tab.Rows[i]), fmt.Sprintf("%#v", want[i]); got != w {
			t.Errorf("%s row %d:\n got %s\nwant %s", table, i, got, w)
		}
	}
}

func testTagsAndEdges(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, newClock().now)
	tags := taggedV1()
	res, err := s.Load(ctx, &cipmap.Dataset{Name: "tagged", Version: "1"}, writeTagged(tags, edgesV1))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Dataset.Facts, int64(len(tags)+len(edgesV1)); got != want {
		t.Errorf("v1 facts = %d, want %d tags and edges", got, want)
	}
	var wantTags, wantEdges [][]any
	for _, tg := range tags {
		wantTags = append(wantTags, tagRow("tagged", tg))
	}
	for _, e := range edgesV1 {
		wantEdges = append(wantEdges, edgeRow("tagged", e))
	}
	checkRows(t, s, "tags", "tagged", "entity_id, system, tag", wantTags)
	checkRows(t, s, "crosswalk_edges", "tagged", "from_system, from_code, to_system, to_code", wantEdges)

	// Another dataset, which replacing and deleting "tagged" must leave alone.
	otherTag := cipmap.TagFact{EntityID: "firm-x", Property: "name", Value: "其他", System: "ctt", Tag: "energy.pv",
		Weight: 1, Method: "human", Confidence: 1, Source: "other.csv:2"}
	otherEdge := cipmap.CrosswalkEdge{FromSystem: "ipc", From: "H01L", ToSystem: "ctt", To: "semiconductors",
		Weight: 1, WeightType: cipmap.WeightEqual, Source: "other.csv:3"}
	if _, err := s.Load(ctx, &cipmap.Dataset{Name: "other", Version: "1"},
		writeTagged([]cipmap.TagFact{otherTag}, []cipmap.CrosswalkEdge{otherEdge})); err != nil {
		t.Fatal(err)
	}

	// Version 2 replaces the dataset's tags and edges.
	tags2 := []cipmap.TagFact{
		{EntityID: "firm-00", Property: "business_scope", Value: tricky[0], System: "ctt", Tag: "robotics",
			Weight: 0.5, Method: "code", Evidence: "GB/T 4754: 3484", Confidence: 0.9, Source: "firms.csv:2"},
		{EntityID: "firm-50", Property: "business_scope", Value: tricky[5], System: "ctt", Tag: "robotics.servo",
			Weight: 0.25, Method: "learned", Evidence: tricky[7], Confidence: 0.125, Source: "firms.csv:52"},
	}
	edges2 := []cipmap.CrosswalkEdge{{FromSystem: "gbt4754-2017", From: "3484", ToSystem: "ctt", To: "robotics",
		Weight: 0.75, WeightType: cipmap.WeightLearned, SampleSize: 4096, Source: "learn"}}
	res, err = s.Load(ctx, &cipmap.Dataset{Name: "tagged", Version: "2"}, writeTagged(tags2, edges2))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Dataset.Facts, int64(len(tags2)+len(edges2)); got != want {
		t.Errorf("v2 facts = %d, want %d", got, want)
	}
	ds, err := s.Dataset(ctx, "tagged")
	if err != nil {
		t.Fatal(err)
	}
	if ds.Facts != int64(len(tags2)+len(edges2)) {
		t.Errorf("stored v2 facts = %d, want %d", ds.Facts, len(tags2)+len(edges2))
	}
	checkRows(t, s, "tags", "tagged", "entity_id, system, tag", [][]any{tagRow("tagged", tags2[0]), tagRow("tagged", tags2[1])})
	checkRows(t, s, "crosswalk_edges", "tagged", "from_system, from_code, to_system, to_code", [][]any{edgeRow("tagged", edges2[0])})
	checkRows(t, s, "tags", "other", "entity_id", [][]any{tagRow("other", otherTag)})
	checkRows(t, s, "crosswalk_edges", "other", "from_code", [][]any{edgeRow("other", otherEdge)})

	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table := range cipmap.FactTables {
		if _, ok := st.Facts[table]; !ok {
			t.Errorf("stats facts = %v, missing %s", st.Facts, table)
		}
	}
	if st.Facts["tags"] != 3 || st.Facts["crosswalk_edges"] != 2 || st.Facts["financials"] != 0 {
		t.Errorf("stats facts = %v, want 3 tags and 2 crosswalk edges", st.Facts)
	}

	// A failing fill, or a tag or edge the writer refuses, leaves every row as it was,
	// whether the dataset is replaced (version 3) or new ("fresh").
	before := checksum(t, s)
	beforeTags := count(t, s, "SELECT count(*) FROM tags WHERE dataset = 'tagged' AND weight = 0.25 AND confidence = 0.125")
	boom := errors.New("row 9: broken")
	for _, name := range []string{"tagged", "fresh"} {
		_, err := s.Load(ctx, &cipmap.Dataset{Name: name, Version: "3"}, func(w cipmap.Writer) error {
			if err := writeTagged(taggedV1(), edgesV1)(w); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("%s: got %v, want the fill error", name, err)
		}
		for _, tc := range []struct {
			what string
			fill func(cipmap.Writer) error
		}{
			{"tag without entity", func(w cipmap.Writer) error {
				return w.Tag(&cipmap.TagFact{System: "ctt", Tag: "robotics", Weight: 1, Source: "tags.csv:4"})
			}},
			{"tag with NaN weight", func(w cipmap.Writer) error {
				return w.Tag(&cipmap.TagFact{EntityID: "firm-1", System: "ctt", Tag: "robotics", Weight: math.NaN(), Source: "tags.csv:5"})
			}},
			{"edge without target", func(w cipmap.Writer) error {
				return w.CrosswalkEdge(&cipmap.CrosswalkEdge{FromSystem: "hs2022", From: "848340", ToSystem: "ctt", Weight: 1, Source: "edges.csv:6"})
			}},
			{"edge with infinite weight", func(w cipmap.Writer) error {
				return w.CrosswalkEdge(&cipmap.CrosswalkEdge{FromSystem: "hs2022", From: "848340", ToSystem: "ctt", To: "robotics",
					Weight: math.Inf(1), Source: "edges.csv:7"})
			}},
		} {
			_, err := s.Load(ctx, &cipmap.Dataset{Name: name, Version: "4"}, func(w cipmap.Writer) error {
				if err := writeTagged(tags2, edges2)(w); err != nil {
					return err
				}
				return tc.fill(w)
			})
			if cipmap.ErrorCode(err) != cipmap.EINVALID || !strings.Contains(err.Error(), ".csv:") {
				t.Errorf("%s %s: got %v, want EINVALID naming the record", name, tc.what, err)
			}
		}
	}
	if after := checksum(t, s); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("failed loads changed the store:\nbefore %v\nafter  %v", before, after)
	}
	if got := count(t, s, "SELECT count(*) FROM tags WHERE dataset = 'tagged' AND weight = 0.25 AND confidence = 0.125"); got != beforeTags || got != 1 {
		t.Errorf("v2 tag after failed loads: %d rows, want 1", got)
	}
	checkRows(t, s, "crosswalk_edges", "tagged", "from_system, from_code, to_system, to_code", [][]any{edgeRow("tagged", edges2[0])})
	if _, err := s.Dataset(ctx, "fresh"); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("a failed first load stored dataset fresh: %v", err)
	}

	if err := s.DeleteDataset(ctx, "tagged"); err != nil {
		t.Fatal(err)
	}
	checkRows(t, s, "tags", "tagged", "entity_id", nil)
	checkRows(t, s, "crosswalk_edges", "tagged", "from_code", nil)
	checkRows(t, s, "tags", "other", "entity_id", [][]any{tagRow("other", otherTag)})
	checkRows(t, s, "crosswalk_edges", "other", "from_code", [][]any{edgeRow("other", otherEdge)})
	st, err = s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Facts["tags"] != 1 || st.Facts["crosswalk_edges"] != 1 {
		t.Errorf("stats facts after delete = %v, want 1 tag and 1 edge", st.Facts)
	}
}
