package tagger

import (
	"math"
	"testing"
)

func result(tags ...Weighted) Result { return Result{Tags: tags, Method: MethodRule} }

func TestAggregate(t *testing.T) {
	results := []Result{
		result(Weighted{Tag: "a", Weight: 0.6}, Weighted{Tag: "b", Weight: 0.4}),
		result(Weighted{Tag: "a", Weight: 1}),
		result(), // no tags: counts for nothing
		result(Weighted{Tag: "c", Weight: 0.5}, Weighted{Tag: "b", Weight: 0.5}),
	}
	want := []Count{
		{Tag: "a", Count: 1.6, Lower: 1, Upper: 2},
		{Tag: "b", Count: 0.9, Lower: 0, Upper: 2},
		{Tag: "c", Count: 0.5, Lower: 0, Upper: 1},
	}
	checkCounts(t, Aggregate(results, nil), want)
	if got := Aggregate(nil, nil); len(got) != 0 {
		t.Errorf("Aggregate(nil) = %v", got)
	}
}

// TestAggregateRollUp credits ancestors once per text with the weights of their
// descendants.
func TestAggregateRollUp(t *testing.T) {
	parents := map[string][]string{"a.x": {"a"}, "a.y": {"a"}, "a.x.1": {"a.x", "a"}}
	rollUp := func(tag string) []string { return parents[tag] }
	results := []Result{
		result(Weighted{Tag: "a.x", Weight: 0.6}, Weighted{Tag: "b", Weight: 0.4}),
		result(Weighted{Tag: "a.x.1", Weight: 0.5}, Weighted{Tag: "a.y", Weight: 0.5}),
		result(Weighted{Tag: "b", Weight: 1}),
	}
	want := []Count{
		{Tag: "a", Count: 1.6, Lower: 1, Upper: 2}, // all of text 2 is under a
		{Tag: "b", Count: 1.4, Lower: 1, Upper: 2},
		{Tag: "a.x", Count: 1.1, Lower: 0, Upper: 2},
		{Tag: "a.x.1", Count: 0.5, Lower: 0, Upper: 1},
		{Tag: "a.y", Count: 0.5, Lower: 0, Upper: 1},
	}
	checkCounts(t, Aggregate(results, rollUp), want)
}

// TestAggregateTagger aggregates real results, with the tagger's own roll-up, and
// checks the bounds and that each text counts once in all.
func TestAggregateTagger(t *testing.T) {
	tg := newTestTagger(t)
	results := tg.TagMany(genLabels(5000, zhKeywords(testTree()), 3), 0)
	tagged := 0
	for _, r := range results {
		if len(r.Tags) > 0 {
			tagged++
		}
	}
	sum := 0.0
	for _, c := range Aggregate(results, nil) {
		sum += c.Count
		if !(c.Lower <= c.Count+1e-9 && c.Count <= c.Upper+1e-9) {
			t.Errorf("%s: lower %v, count %v, upper %v", c.Tag, c.Lower, c.Count, c.Upper)
		}
	}
	if math.Abs(sum-float64(tagged)) > 1e-6 {
		t.Errorf("counts sum to %v, want %d (one per tagged text)", sum, tagged)
	}
	for _, c := range Aggregate(results, tg.Ancestors) {
		if !(c.Lower <= c.Count+1e-9 && c.Count <= c.Upper+1e-9) || c.Upper > float64(tagged) {
			t.Errorf("roll-up %s: lower %v, count %v, upper %v", c.Tag, c.Lower, c.Count, c.Upper)
		}
	}
}

func checkCounts(t *testing.T, got, want []Count) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d counts %+v, want %+v", len(got), got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Tag != w.Tag || math.Abs(g.Count-w.Count) > 1e-9 || g.Lower != w.Lower || g.Upper != w.Upper {
			t.Errorf("count %d = %+v, want %+v", i, g, w)
		}
		if !(g.Lower <= g.Count && g.Count <= g.Upper) {
			t.Errorf("%s: not lower ≤ count ≤ upper: %+v", g.Tag, g)
		}
	}
}
