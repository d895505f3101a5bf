package ownership

import (
	"testing"
)

func TestEffectiveHandComputed(t *testing.T) {
	tests := []struct {
		name           string
		holdings       []Holding
		holder, target string
		want           Range
	}{
		{
			name:     "chain: 60% of 50% is 30%",
			holdings: []Holding{h("A", "B", 0.6), h("B", "C", 0.5)},
			holder:   "A", target: "C", want: Exact(0.3),
		},
		{
			// A owns 50% of B and of C; B and C each own 40% of D: 0.5·0.4 + 0.5·0.4.
			name:     "diamond",
			holdings: []Holding{h("A", "B", 0.5), h("A", "C", 0.5), h("B", "D", 0.4), h("C", "D", 0.4)},
			holder:   "A", target: "D", want: Exact(0.4),
		},
		{
			// A holds 50% of B; B 20% of C; C 30% of B. The walks from A to B are A→B,
			// A→B→C→B, A→B→C→B→C→B, ...: 0.5·(1 + 0.06 + 0.06² + ...) = 0.5/0.94 = 25/47.
			name:     "cycle: A in B",
			holdings: []Holding{h("A", "B", 0.5), h("B", "C", 0.2), h("C", "B", 0.3)},
			holder:   "A", target: "B", want: Exact(25.0 / 47),
		},
		{
			// The walks to C are those to B followed by B→C: 25/47 · 0.2 = 5/47.
			name:     "cycle: A in C",
			holdings: []Holding{h("A", "B", 0.5), h("B", "C", 0.2), h("C", "B", 0.3)},
			holder:   "A", target: "C", want: Exact(5.0 / 47),
		},
		{
			// B→C is B's only walk to C that does not come back to B: 20%, not 0.2/0.94.
			name:     "cycle: a holder inside the cycle",
			holdings: []Holding{h("A", "B", 0.5), h("B", "C", 0.2), h("C", "B", 0.3)},
			holder:   "B", target: "C", want: Exact(0.2),
		},
		{
			name:     "cycle: the other way round",
			holdings: []Holding{h("A", "B", 0.5), h("B", "C", 0.2), h("C", "B", 0.3)},
			holder:   "C", target: "B", want: Exact(0.3),
		},
		{
			// 30–50% of 60%: 18% with the low shares, 30% with the high ones.
			name:     "ranges",
			holdings: []Holding{hr("A", "B", 0.3, 0.5), h("B", "C", 0.6)},
			holder:   "A", target: "C", want: Range{0.18, 0.3},
		},
		{
			// Next to P's 60%, A's unknown share is 0–40%; through B's 50%, 0–20%.
			name:     "unknown share tightened by the other holders",
			holdings: []Holding{{Owner: "A", Asset: "B"}, h("P", "B", 0.6), h("B", "C", 0.5)},
			holder:   "A", target: "C", want: Range{0, 0.2},
		},
		{
			name:     "unknown share alone",
			holdings: []Holding{{Owner: "A", Asset: "B", Share: Unknown}, h("B", "C", 0.5)},
			holder:   "A", target: "C", want: Range{0, 0.5},
		},
		{
			// B holds 20% of itself (treasury shares): A's 40% is 40/80 of the rest.
			name:     "treasury shares",
			holdings: []Holding{h("A", "B", 0.4), h("B", "B", 0.2)},
			holder:   "A", target: "B", want: Exact(0.5),
		},
		{
			name:     "no path",
			holdings: []Holding{h("A", "B", 0.4), h("C", "D", 0.2)},
			holder:   "A", target: "D", want: Range{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := fixture{holdings: tt.holdings}.graph(t).At(0)
			got, approx, err := v.Effective(tt.holder, tt.target)
			if err != nil {
				t.Fatal(err)
			}
			if !nearRange(got, tt.want) || approx {
				t.Errorf("Effective(%s, %s) = %v (approx %v), want %v", tt.holder, tt.target, got, approx, tt.want)
			}
			// Down computes the same share the other way.
			down, err := v.Down(tt.holder)
			if err != nil {
				t.Fatal(err)
			}
			s, _ := stakeOf(down, tt.target)
			if !nearRange(s.Effective, tt.want) {
				t.Errorf("Down(%s)[%s] = %v, want %v", tt.holder, tt.target, s.Effective, tt.want)
			}
		})
	}
}

// With every holder recorded, the ultimate owners of a firm own all of it, cycles and
// all. A holds 50% of B, C 30% and P 20%; B holds 20% of C and Q 80%. Ultimate owners
// of C: A 0.5·0.2/0.94 = 5/47, P 0.2·0.2/0.94 = 2/47, Q 0.8/0.94 = 40/47, which add up
// to 1; of B: A 0.5/0.94 = 25/47, P 0.2/0.94 = 10/47, Q 0.8·0.3/0.94 = 12/47.
func TestUltimateOwnersAddUpToOne(t *testing.T) {
	v := fixture{holdings: []Holding{
		h("A", "B", 0.5), h("C", "B", 0.3), h("P", "B", 0.2),
		h("B", "C", 0.2), h("Q", "C", 0.8),
	}}.graph(t).At(0)
	for target, want := range map[string]map[string]float64{
		"C": {"A": 5.0 / 47, "P": 2.0 / 47, "Q": 40.0 / 47, "B": 0.2},
		"B": {"A": 25.0 / 47, "P": 10.0 / 47, "Q": 12.0 / 47, "C": 0.3},
	} {
		up, err := v.Up(target)
		if err != nil {
			t.Fatal(err)
		}
		if len(up) != len(want) {
			t.Errorf("Up(%s) has %d holders, want %d: %+v", target, len(up), len(want), up)
		}
		sum := 0.0
		for id, w := range want {
			s, ok := stakeOf(up, id)
			if !ok || !nearRange(s.Effective, Exact(w)) || s.Approx {
				t.Errorf("Up(%s)[%s] = %+v, want %v", target, id, s, w)
			}
			if id != "B" && id != "C" {
				sum += s.Effective.Lo
			}
		}
		if !near(sum, 1) {
			t.Errorf("the ultimate owners of %s hold %v, want 1", target, sum)
		}
	}
}

func TestDuplicatesAndDates(t *testing.T) {
	d := MustDate
	g := fixture{holdings: []Holding{
		// One holding stated by two sources: not 120%.
		{Owner: "A", Asset: "B", Share: Exact(0.6), Source: "s1"},
		{Owner: "A", Asset: "B", Share: Exact(0.6), Source: "s2"},
		// Two sources disagree: the hull.
		{Owner: "C", Asset: "D", Share: Exact(0.3), Source: "s1"},
		{Owner: "C", Asset: "D", Share: Range{0.35, 0.4}, Source: "s2"},
		// The later record wins.
		{Owner: "E", Asset: "F", Share: Exact(0.51), Recorded: d("2019-12-31")},
		{Owner: "E", Asset: "F", Share: Exact(0.45), Recorded: d("2021-12-31")},
		// A sale: 70% until the end of 2015, 20% from 2016.
		{Owner: "G", Asset: "H", Share: Exact(0.7), From: d("2010-01-01"), To: d("2015-12-31")},
		{Owner: "G", Asset: "H", Share: Exact(0.2), From: d("2016-01-01")},
	}}.graph(t)
	tests := []struct {
		day           Date
		holder, asset string
		want          Range
	}{
		{0, "A", "B", Exact(0.6)},
		{0, "C", "D", Range{0.3, 0.4}},
		{0, "E", "F", Exact(0.45)},
		{d("2014-06-30"), "G", "H", Exact(0.7)},
		{d("2015-12-31"), "G", "H", Exact(0.7)},
		{d("2016-01-01"), "G", "H", Exact(0.2)},
		{d("2009-12-31"), "G", "H", Range{}},
		// Without a date, the later start wins.
		{0, "G", "H", Exact(0.2)},
	}
	for _, tt := range tests {
		got, _, err := g.At(tt.day).Effective(tt.holder, tt.asset)
		if err != nil {
			t.Fatal(err)
		}
		if !nearRange(got, tt.want) {
			t.Errorf("at %v, %s in %s = %v, want %v", tt.day, tt.holder, tt.asset, got, tt.want)
		}
	}
}

func TestClosedCycleIsCappedNotLooped(t *testing.T) {
	// B and C hold all of each other, and A claims half of B: the shares around the
	// cycle add up to more than 100%, the series diverges, and the answer is capped.
	v := fixture{holdings: []Holding{h("A", "B", 0.5), h("B", "C", 1), h("C", "B", 1), h("C", "D", 0.6)}}.graph(t).At(0)
	down, err := v.Down("A")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range down {
		if s.Effective.Lo < 0 || s.Effective.Hi > 1 || s.Effective.Lo > s.Effective.Hi {
			t.Errorf("Down(A)[%s] = %v, out of [0, 1]", s.ID, s.Effective)
		}
		if !s.Approx {
			t.Errorf("Down(A)[%s] is not flagged approximate", s.ID)
		}
	}
	// Walks from B to D that do not come back to B: B→C→D only. The cycle does not
	// matter once the holder is taken out, so these are exact.
	up, err := v.Up("D")
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]float64{"B": 0.6, "C": 0.6} {
		if s, _ := stakeOf(up, id); !nearRange(s.Effective, Exact(want)) {
			t.Errorf("Up(D)[%s] = %+v, want %v", id, s, want)
		}
	}
}

func TestNotFound(t *testing.T) {
	v := fixture{holdings: []Holding{h("A", "B", 0.5)}}.graph(t).At(0)
	if _, err := v.Up("nobody"); err == nil {
		t.Error("Up of an unknown id: no error")
	}
}
