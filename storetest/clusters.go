package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
)

// explanations are what cipmap resolve writes to explain a link, made tricky: line
// breaks, quotes, commas, tabs, Chinese text and the pipes that separate comparisons.
var explanations = []string{
	"name: jaro-winkler 0.97 → level 3 (+4.21)\nreg_code: equal → level 2 (+9.10)\naddress: missing (0)",
	`name "航天华明科技（北京）有限公司" ~ "航天华明科技有限公司", +3.5`,
	"name\tlevel 2\t+2.0 | city\tequal\t+1.1 | phone\tdifferent\t-4.0",
	"uscc 91110108MA01XXXX1X = 91110108MA01XXXX1X | name: 硕橙（厦门）科技有限公司,硕橙科技 | p=0.999",
	"crlf\r\nend\r",
	`back\slash \N \. NULL | ""`,
}

// clustersV1 puts six records into two clusters, with every kind of link, plus one
// record alone with every optional field empty.
func clustersV1() []cipmap.ClusterMember {
	probabilities := []float64{1, 1.0 / 3, 0.999999999999, 1e-300, 0.1, 0.875}
	methods := []string{"identifier", "score", "judgement", "score", "score", "identifier"}
	var out []cipmap.ClusterMember
	for i, e := range explanations {
		m := cipmap.ClusterMember{EntityID: fmt.Sprintf("rec-%02d", i), ClusterID: fmt.Sprintf("firm-%c", 'a'+i%2),
			Probability: probabilities[i], Method: methods[i], Explanation: e, Source: tricky[i]}
		if i >= 2 {
			m.LinkedTo = fmt.Sprintf("rec-%02d", i-2)
		}
		out = append(out, m)
	}
	return append(out, cipmap.ClusterMember{EntityID: "rec-99", ClusterID: "firm-z", Probability: 0})
}

var judgementsV1 = []cipmap.Judgement{
	{Left: "rec-00", Right: "rec-02", Decision: "same", Reviewer: "李明", DecidedAt: "2026-01-02T03:04:05+08:00",
		Note: explanations[0], Source: "review.csv:2"},
	{Left: "rec-01", Right: "rec-04", Decision: "different", Reviewer: `O'Brien, "Pat"`, DecidedAt: "2026-01-02T03:05:00Z",
		Note: "同名不同址 | different address,\tsame name", Source: tricky[5]},
	{Left: "rec-03", Right: "rec-05", Decision: "unsure"},
	{Left: "rec-01", Right: "rec-03", Decision: "pending", Reviewer: "cipmap resolve", Note: "0.7312", Source: explanations[2]},
}

// clusterRow and judgementRow are the rows SELECT * returns for a cluster member or
// judgement of dataset: empty strings are stored as NULL, as in every fact table.
func clusterRow(dataset string, c cipmap.ClusterMember) []any {
	return []any{c.EntityID, c.ClusterID, null(c.LinkedTo), c.Probability, null(c.Method), null(c.Explanation),
		dataset, null(c.Source)}
}

func judgementRow(dataset string, j cipmap.Judgement) []any {
	return []any{j.Left, j.Right, j.Decision, null(j.Reviewer), null(j.DecidedAt), null(j.Note), dataset, null(j.Source)}
}

// writeResolved writes a name statement and a cluster member for each record, with
// the judgements interleaved, so a store that streams per table switches tables often.
func writeResolved(members []cipmap.ClusterMember, judgements []cipmap.Judgement) func(cipmap.Writer) error {
	return func(w cipmap.Writer) error {
		for i := range members {
			m := members[i]
			if err := w.Statement(&cipmap.Statement{EntityID: m.EntityID, Schema: "Firm", Property: "name",
				Value: "公司 " + m.EntityID, Source: m.Source}); err != nil {
				return err
			}
			if err := w.Cluster(&m); err != nil {
				return err
			}
			if i < len(judgements) {
				if err := w.Judgement(&judgements[i]); err != nil {
					return err
				}
			}
		}
		for i := len(members); i < len(judgements); i++ {
			if err := w.Judgement(&judgements[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

func testClustersAndJudgements(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, newClock().now)
	members := clustersV1()
	res, err := s.Load(ctx, &cipmap.Dataset{Name: "resolve", Version: "1"}, writeResolved(members, judgementsV1))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Dataset.Facts, int64(len(members)+len(judgementsV1)); got != want {
		t.Errorf("v1 facts = %d, want %d cluster members and judgements", got, want)
	}
	var wantMembers, wantJudgements [][]any
	for _, m := range members {
		wantMembers = append(wantMembers, clusterRow("resolve", m))
	}
	for _, j := range judgementsV1 {
		wantJudgements = append(wantJudgements, judgementRow("resolve", j))
	}
	const clusterOrder, judgementOrder = "entity_id, cluster_id", "left_id, right_id, decision"
	checkRows(t, s, "clusters", "resolve", clusterOrder, sortRows(wantMembers, 2))
	checkRows(t, s, "judgements", "resolve", judgementOrder, sortRows(wantJudgements, 3))

	// Another dataset, which replacing and deleting "resolve" must leave alone.
	otherMember := cipmap.ClusterMember{EntityID: "rec-x", ClusterID: "firm-x", Probability: 1, Method: "single",
		Explanation: "alone | 独立", Source: "other.csv:2"}
	otherJudgement := cipmap.Judgement{Left: "rec-x", Right: "rec-y", Decision: "different", Reviewer: "王芳",
		DecidedAt: "2025-12-31T23:59:59Z", Note: "a,b\nc", Source: "other.csv:3"}
	if _, err := s.Load(ctx, &cipmap.Dataset{Name: "other", Version: "1"},
		writeResolved([]cipmap.ClusterMember{otherMember}, []cipmap.Judgement{otherJudgement})); err != nil {
		t.Fatal(err)
	}

	// Version 2 replaces the dataset's cluster members and judgements.
	members2 := []cipmap.ClusterMember{
		{EntityID: "rec-00", ClusterID: "firm-a", Probability: 1, Method: "single", Source: "resolve v2"},
		{EntityID: "rec-02", ClusterID: "firm-a", LinkedTo: "rec-00", Probability: 0.25, Method: "score",
			Explanation: explanations[3], Source: "resolve v2"},
	}
	judgements2 := []cipmap.Judgement{{Left: "rec-00", Right: "rec-02", Decision: "same", Reviewer: "李明",
		DecidedAt: "2026-02-01T00:00:00Z", Note: explanations[1], Source: "review.csv:9"}}
	res, err = s.Load(ctx, &cipmap.Dataset{Name: "resolve", Version: "2"}, writeResolved(members2, judgements2))
	if err != nil {
		t.Fatal(err)
	}
	wantFacts := int64(len(members2) + len(judgements2))
	if res.Dataset.Facts != wantFacts {
		t.Errorf("v2 facts = %d, want %d", res.Dataset.Facts, wantFacts)
	}
	ds, err := s.Dataset(ctx, "resolve")
	if err != nil {
		t.Fatal(err)
	}
	if ds.Facts != wantFacts {
		t.Errorf("stored v2 facts = %d, want %d", ds.Facts, wantFacts)
	}
	wantV2 := func() {
		t.Helper()
		checkRows(t, s, "clusters", "resolve", clusterOrder,
			[][]any{clusterRow("resolve", members2[0]), clusterRow("resolve", members2[1])})
		checkRows(t, s, "judgements", "resolve", judgementOrder, [][]any{judgementRow("resolve", judgements2[0])})
	}
	wantOther := func() {
		t.Helper()
		checkRows(t, s, "clusters", "other", clusterOrder, [][]any{clusterRow("other", otherMember)})
		checkRows(t, s, "judgements", "other", judgementOrder, [][]any{judgementRow("other", otherJudgement)})
	}
	wantV2()
	wantOther()

	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Facts["clusters"] != 3 || st.Facts["judgements"] != 2 || st.Facts["tags"] != 0 {
		t.Errorf("stats facts = %v, want 3 cluster members and 2 judgements", st.Facts)
	}

	// A failing fill, or a member or judgement the writer refuses, leaves every row
	// as it was, whether the dataset is replaced (version 3) or new ("fresh").
	before := checksum(t, s)
	boom := errors.New("row 9: broken")
	for _, name := range []string{"resolve", "fresh"} {
		_, err := s.Load(ctx, &cipmap.Dataset{Name: name, Version: "3"}, func(w cipmap.Writer) error {
			if err := writeResolved(clustersV1(), judgementsV1)(w); err != nil {
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
			{"member without entity", func(w cipmap.Writer) error {
				return w.Cluster(&cipmap.ClusterMember{ClusterID: "firm-a", Probability: 1, Source: "clusters.csv:4"})
			}},
			{"member without cluster", func(w cipmap.Writer) error {
				return w.Cluster(&cipmap.ClusterMember{EntityID: "rec-01", Probability: 1, Source: "clusters.csv:5"})
			}},
			{"member with NaN probability", func(w cipmap.Writer) error {
				return w.Cluster(&cipmap.ClusterMember{EntityID: "rec-01", ClusterID: "firm-a", Probability: math.NaN(),
					Source: "clusters.csv:6"})
			}},
			{"member with infinite probability", func(w cipmap.Writer) error {
				return w.Cluster(&cipmap.ClusterMember{EntityID: "rec-01", ClusterID: "firm-a", Probability: math.Inf(-1),
					Source: "clusters.csv:7"})
			}},
			{"judgement without right", func(w cipmap.Writer) error {
				return w.Judgement(&cipmap.Judgement{Left: "rec-01", Decision: "same", Source: "review.csv:8"})
			}},
			{"judgement without decision", func(w cipmap.Writer) error {
				return w.Judgement(&cipmap.Judgement{Left: "rec-01", Right: "rec-02", Source: "review.csv:9"})
			}},
		} {
			_, err := s.Load(ctx, &cipmap.Dataset{Name: name, Version: "4"}, func(w cipmap.Writer) error {
				if err := writeResolved(members2, judgements2)(w); err != nil {
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
	wantV2()
	if _, err := s.Dataset(ctx, "fresh"); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("a failed first load stored dataset fresh: %v", err)
	}

	if err := s.DeleteDataset(ctx, "resolve"); err != nil {
		t.Fatal(err)
	}
	checkRows(t, s, "clusters", "resolve", clusterOrder, nil)
	checkRows(t, s, "judgements", "resolve", judgementOrder, nil)
	wantOther()
	st, err = s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Facts["clusters"] != 1 || st.Facts["judgements"] != 1 {
		t.Errorf("stats facts after delete = %v, want 1 cluster member and 1 judgement", st.Facts)
	}
}

// sortRows orders rows by their first n columns, strings compared byte by byte as
// ORDER BY does in the C collation.
func sortRows(rows [][]any, n int) [][]any {
	out := append([][]any{}, rows...)
	sort.SliceStable(out, func(i, j int) bool {
		for k := 0; k < n; k++ {
			if a, b := fmt.Sprint(out[i][k]), fmt.Sprint(out[j][k]); a != b {
				return a < b
			}
		}
		return false
	})
	return out
}
